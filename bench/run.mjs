#!/usr/bin/env node
// npm run bench: how fast tkt starts and how its cost grows (or not) with the store.
//
//   node bench/run.mjs [--runs 7] [--sizes 10000,100000,1000000] [--import 100000] [--crowd 200000] [--out bench/RESULTS.md]
//
// 1. Builds dist/ (so the figures are those of the current source).
// 2. Builds benchmark stores through the real store layer (bench/seed.ts), once: they are cached
//    in bench/.stores/ under a hash of everything that shapes them (migrations, store and domain
//    code, the seed script), so a re-run reuses them and a schema change rebuilds them.
// 3. Measures every command as the median of --runs alternating rounds (each round runs every
//    command once and the floor, `node -e 0`, three times, in a random order, so that a burst of
//    load on the machine hits them all alike), on working copies of the cached stores, after one
//    untimed warm-up run each.
// 4. Prints a markdown table (each figure also as a ratio to the floor of the same run) and
//    writes it to bench/RESULTS.md with the machine it ran on.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STORES = path.join(ROOT, 'bench', '.stores');
const BIN = path.join(ROOT, 'bin', 'tkt.js');
const NODE = process.execPath;

const options = parseArgs(process.argv.slice(2));
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const started = Date.now();

function parseArgs(argv) {
  const o = { runs: 7, sizes: [10_000, 100_000, 1_000_000], import: 100_000, crowd: 200_000, out: path.join(ROOT, 'bench', 'RESULTS.md') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--runs') o.runs = Math.max(1, Number(value));
    else if (flag === '--sizes') o.sizes = value.split(',').map(Number);
    else if (flag === '--import') o.import = Number(value);
    else if (flag === '--crowd') o.crowd = Number(value);
    else if (flag === '--out') o.out = path.resolve(value);
    else throw new Error(`unknown option ${flag} (see the comment at the top of bench/run.mjs)`);
    i++;
  }
  if (o.sizes.some((n) => !Number.isSafeInteger(n) || n < 1000)) throw new Error('--sizes: whole numbers of at least 1000');
  return o;
}

// ---- 1. build ----

log('building dist/');
execFileSync(NODE, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
fs.mkdirSync(STORES, { recursive: true });

// ---- 2. stores ----

/** Every file whose change can change a seeded store. */
function storeKey() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        hash.update(path.relative(ROOT, full));
        hash.update(fs.readFileSync(full));
      }
    }
  };
  for (const dir of ['migrations', 'src/store', 'src/domain']) walk(path.join(ROOT, dir));
  hash.update(fs.readFileSync(path.join(ROOT, 'bench', 'seed.ts')));
  hash.update(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version);
  return hash.digest('hex').slice(0, 12);
}

const key = storeKey();
const seedScript = path.join(STORES, `seed-${key}.mjs`);
if (!fs.existsSync(seedScript)) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'seed.ts')],
    outfile: seedScript,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
  });
}

// Files of other keys are stale: a schema or seed change made them.
for (const f of fs.readdirSync(STORES)) {
  if (/^(seed|store|import)-/.test(f) && !f.includes(key)) fs.rmSync(path.join(STORES, f), { force: true });
}
for (const f of fs.readdirSync(STORES)) {
  if (f.startsWith('run-')) fs.rmSync(path.join(STORES, f), { recursive: true, force: true });
}

/** Builds `file` by `build(partial)` under a temporary name, so an interrupted seeding leaves nothing behind. */
function cached(file, what, build) {
  const manifestFile = `${file}.json`;
  if (!fs.existsSync(file) || !fs.existsSync(manifestFile)) {
    log(`seeding ${what} (cached for later runs)`);
    const partial = `${file}.partial`;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
    const manifest = JSON.parse(build(partial));
    for (const suffix of ['-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
    fs.renameSync(partial, file);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    log(`  done in ${manifest.seconds.toFixed(1)} s`);
  }
  return JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
}
const seedRun = (...args) => execFileSync(NODE, [seedScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 }).toString();

const skeletonFile = path.join(STORES, `store-skeleton-${key}.db`);
cached(skeletonFile, 'users, 1,000 organizations and their members', (partial) => seedRun('skeleton', partial));
const stores = new Map();
for (const size of options.sizes) {
  const file = path.join(STORES, `store-${size}-${key}.db`);
  const manifest = cached(file, `a store of ${size.toLocaleString('en')} tickets`, (partial) => {
    fs.copyFileSync(skeletonFile, partial);
    return seedRun('tickets', partial, String(size), `${skeletonFile}.json`);
  });
  stores.set(size, { size, file, manifest });
}
const largest = stores.get(Math.max(...options.sizes));
const smallest = stores.get(Math.min(...options.sizes));

// The smallest store again, plus an org of --crowd tickets full of zeb… words (issue 11, item 2).
const crowded = { size: smallest.size, file: path.join(STORES, `store-${smallest.size}-crowd-${options.crowd}-${key}.db`) };
crowded.manifest = { ...smallest.manifest, ...cached(crowded.file, `the ${smallest.size.toLocaleString('en')}-ticket store and ${options.crowd.toLocaleString('en')} crowding tickets`, (partial) => {
  fs.copyFileSync(smallest.file, partial);
  return seedRun('crowd', partial, String(options.crowd), `${skeletonFile}.json`);
}) };

const importFile = path.join(STORES, `import-${options.import}-${key}.json`);
if (!fs.existsSync(importFile)) {
  log(`writing a ${options.import.toLocaleString('en')}-ticket import file`);
  execFileSync(NODE, [seedScript, 'import-file', `${importFile}.partial`, String(options.import), smallest.manifest.email], { stdio: 'inherit' });
  fs.renameSync(`${importFile}.partial`, importFile);
}

// ---- working copies, config ----

const work = fs.mkdtempSync(path.join(STORES, 'run-'));
const configDir = path.join(work, 'config');
fs.mkdirSync(configDir, { mode: 0o700 });
const config = { stores: {} };
for (const store of [...stores.values(), crowded]) {
  store.work = path.join(work, `store-${store.size}${store === crowded ? '-crowded' : ''}.db`);
  fs.copyFileSync(store.file, store.work);
  // What `tkt auth login` and `tkt org switch big` would save (the config file format of src/cli/config.ts).
  config.stores[fs.realpathSync(store.work)] = { session: store.manifest.session, activeOrgId: store.manifest.big.id };
}
fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(config, null, '\t'), { mode: 0o600 });
const baseEnv = { ...process.env, TKT_CONFIG_DIR: configDir, NO_COLOR: '1' };
for (const name of ['TKT_DB', 'TKT_ORG', 'TKT_TOKEN', 'TKT_DEBUG', 'NODE_OPTIONS']) delete baseEnv[name];

// ---- measuring one process ----

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const PROBE = path.join(ROOT, 'bench', 'maxrss.cjs');
const metricsFile = path.join(work, 'metrics');

/** Runs argv once; returns wall ms, peak RSS (MiB), CPU ms (user+sys, when /usr/bin/time is there). */
function measure(argv, env, input) {
  let file = argv[0];
  let args = argv.slice(1);
  let runEnv = env;
  if (TIME) {
    args = ['-o', metricsFile, '-f', '%M %U %S', file, ...args];
    file = TIME;
  } else {
    // Without GNU time, a preloaded probe reports the peak RSS (it adds ~1 ms to every command, the floor too).
    runEnv = { ...env, NODE_OPTIONS: `--require ${PROBE}`, TKT_BENCH_RSS_FILE: metricsFile };
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { env: runEnv, input: input ?? '', maxBuffer: 256 << 20, cwd: work });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr.toString().slice(0, 2000)}`);
  }
  const fields = fs.readFileSync(metricsFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return {
    wall,
    rss: fields[0] / 1024,
    cpu: TIME ? (fields[1] + fields[2]) * 1000 : null,
    stdout: r.stdout.toString(),
  };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// ---- 3. the commands ----

const tkt = (store, ...args) => [NODE, BIN, '--db', store.work, ...args];
const cases = [
  { id: 'floor', label: '`node -e 0` (the floor)', argv: [NODE, '-e', '0'] },
  { id: 'version', label: '`tkt --version`', argv: [NODE, BIN, '--version'], check: (o) => /^\d+\.\d+\.\d+\n$/.test(o), target: 1.3 },
  { id: 'status', label: '`tkt auth status`', store: largest, argv: tkt(largest, 'auth', 'status'), check: (o) => o.includes('bench@example.com'), target: 1.3 },
];
const jsonCount = (n) => (o) => JSON.parse(o).length === n;
for (const store of stores.values()) {
  const m = store.manifest;
  const at = (orgSlug, ...args) => tkt(store, '--org', orgSlug, ...args);
  const top = store === largest;
  cases.push(
    { id: `list-json-small-${store.size}`, label: '`ticket list --limit 50 --json`, small org', store, argv: at('small', 'ticket', 'list', '--limit', '50', '--json'), check: (o) => JSON.parse(o).length <= Math.min(50, m.small.tickets) },  // the unfinished ones: not all of them
    { id: `list-json-big-${store.size}`, label: '`ticket list --limit 50 --json`, big org', store, argv: at('big', 'ticket', 'list', '--limit', '50', '--json'), check: jsonCount(50), target: top ? 1.5 : undefined },
    { id: `list-plain-small-${store.size}`, label: '`ticket list --limit 50` (plain), small org', store, argv: at('small', 'ticket', 'list', '--limit', '50'), check: (o) => o.split('\n').length <= Math.min(50, m.small.tickets) + 1 },
    { id: `list-plain-big-${store.size}`, label: '`ticket list --limit 50` (plain), big org', store, argv: at('big', 'ticket', 'list', '--limit', '50'), check: (o) => o.split('\n').length === 51 },
    { id: `search-big-${store.size}`, label: `\`ticket list --search ${m.searchWord}\`, big org (${m.searchHits.big.toLocaleString('en')} hits)`, store, argv: at('big', 'ticket', 'list', '--search', m.searchWord, '--json'), check: (o) => JSON.parse(o).length <= Math.min(30, m.searchHits.big), target: top ? 2 : undefined },
    { id: `view-${store.size}`, label: `\`ticket view ${m.big.viewKey}\` (with comments)`, store, argv: at('big', 'ticket', 'view', m.big.viewKey), check: (o) => o.includes('Comments') },
    { id: `create-${store.size}`, label: '`ticket create`, big org', store, argv: at('big', 'ticket', 'create', '--title', 'Benchmark ticket', '--priority', 'high', '--label', 'bench', '-q'), check: (o) => o.startsWith(`${m.big.key}-`) },
  );
}

// The attack of issue 11: a 16-term prefix search in the small org, with and without another org
// full of words it would walk if the index were shared.
const ZEB = Array.from({ length: 16 }, () => 'zeb*').join(' ');
const zebCheck = (o) => Array.isArray(JSON.parse(o));
cases.push(
  { id: 'search-alone', label: `\`ticket list --search "zeb* ×16"\`, small org`, store: smallest, argv: tkt(smallest, '--org', 'small', 'ticket', 'list', '--search', ZEB, '--json'), check: zebCheck },
  { id: 'search-crowded', label: `\`ticket list --search "zeb* ×16"\`, small org, another org with ${options.crowd.toLocaleString('en')} zeb… tickets`, store: crowded, argv: tkt(crowded, '--org', 'small', 'ticket', 'list', '--search', ZEB, '--json'), check: zebCheck },
);

for (const c of cases) {
  c.samples = [];
  c.rss = [];
  c.cpu = [];
}
const loads = [os.loadavg()[0]];
log(`warm-up: each command once (${cases.length} commands)`);
for (const c of cases) {
  const r = measure(c.argv, baseEnv);
  if (c.check && !c.check(r.stdout)) throw new Error(`unexpected output of ${c.argv.slice(2).join(' ')}:\n${r.stdout.slice(0, 1000)}`);
}
// Each round runs the commands in a new random order, with the floor three times among them, so
// that neither a command's place in the round nor a burst of load favours one over another.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let round = 1; round <= options.runs; round++) {
  log(`round ${round}/${options.runs} (load ${os.loadavg()[0].toFixed(2)})`);
  const order = cases.slice(1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const at of [0, Math.round(order.length / 3), Math.round((2 * order.length) / 3) + 1]) order.splice(at, 0, cases[0]);
  for (const c of order) {
    const r = measure(c.argv, baseEnv);
    c.samples.push(r.wall);
    c.rss.push(r.rss);
    if (r.cpu !== null) c.cpu.push(r.cpu);
  }
  loads.push(os.loadavg()[0]);
}

// ---- the import ----

// Each run imports into the small org of a fresh copy of the smallest store, alternating with the floor.
const importRuns = [];
const importFloor = [];
log(`import: ${options.import.toLocaleString('en')} tickets, ${options.runs} runs`);
for (let run = 0; run <= options.runs; run++) {
  const target = path.join(work, `import-${run}.db`);
  fs.copyFileSync(smallest.file, target);
  const cfg = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8'));
  cfg.stores[fs.realpathSync(target)] = { session: smallest.manifest.session };
  fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(cfg, null, '\t'), { mode: 0o600 });
  const floor = measure([NODE, '-e', '0'], baseEnv);
  const r = measure([NODE, BIN, '--db', target, '--org', 'small', 'ticket', 'import', importFile], baseEnv);
  const first = smallest.manifest.small.tickets + 1;
  if (!r.stdout.startsWith(`SML-${first}\t`)) throw new Error(`unexpected import output: ${r.stdout.slice(0, 200)}`);
  if (run > 0) {
    // run 0 is the warm-up
    importRuns.push(r);
    importFloor.push(floor.wall);
  }
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  loads.push(os.loadavg()[0]);
}

fs.rmSync(work, { recursive: true, force: true });

// ---- login timing: does it tell who has an account? (bench/login.mjs) ----

log(`auth login: unknown email vs wrong password, ${options.runs} runs`);
const loginArgs = [path.join(ROOT, 'bench', 'login.mjs'), '--runs', String(options.runs), '--json', '--no-build'];
const login = JSON.parse(execFileSync(NODE, loginArgs, { stdio: ['ignore', 'pipe', 'inherit'] }).toString());

// ---- 4. report ----

const floorMs = median(cases[0].samples);
const fmt = (n, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows = [];
const verdicts = [];
const row = (label, store, wall, ratio, cpu, rss, target) =>
  rows.push(`| ${label} | ${store} | ${wall} | ${ratio} | ${cpu} | ${rss} | ${target} |`);
const byId = new Map(cases.map((c) => [c.id, c]));
const ratioOf = (c) => median(c.samples) / floorMs;
const TIME_NOTE = TIME ? '' : ' (n/a: no /usr/bin/time)';
for (const c of cases) {
  const ratio = ratioOf(c);
  let target = '';
  if (c.target) {
    const met = ratio <= c.target;
    target = `≤ ${c.target}× ${met ? '✅' : '❌'}`;
    verdicts.push({ what: `${c.label.replace(/ \(.*hits\)/, '')}${c.store ? ` at ${fmt(c.store.size)} tickets` : ''}`, target: `≤ ${c.target}×`, got: `${ratio.toFixed(2)}×`, met });
  }
  const rss = Math.max(...c.rss);
  if (c.id !== 'floor') {
    const met = rss <= 120;
    if (!met) verdicts.push({ what: `peak memory of ${c.label}`, target: '≤ 120 MiB', got: `${fmt(rss, 1)} MiB`, met });
  }
  row(
    c.label,
    c.store ? fmt(c.store.size) : '',
    fmt(median(c.samples), 0),
    c.id === 'floor' ? '1.00×' : `${ratio.toFixed(2)}×`,
    c.cpu.length ? fmt(median(c.cpu), 0) : `n/a${TIME_NOTE}`,
    fmt(rss, 1),
    target,
  );
}
// The big org against the small one, in the largest store.
const bigVsSmall = median(byId.get(`list-json-big-${largest.size}`).samples) / median(byId.get(`list-json-small-${largest.size}`).samples);
verdicts.push({ what: `\`ticket list --limit 50 --json\`, big org ÷ small org, at ${fmt(largest.size)} tickets`, target: '≤ 1.2', got: bigVsSmall.toFixed(2), met: bigVsSmall <= 1.2 });
const crowding = median(byId.get('search-crowded').samples) / median(byId.get('search-alone').samples);
verdicts.push({ what: `\`ticket list --search "zeb* ×16"\` with ÷ without another org of ${fmt(options.crowd)} matching tickets`, target: '≤ 1.2', got: crowding.toFixed(2), met: crowding <= 1.2 });
const importWall = median(importRuns.map((r) => r.wall));
const rate = options.import / (importWall / 1000);
const importRss = Math.max(...importRuns.map((r) => r.rss));
row(
  `\`ticket import\` of ${fmt(options.import)} tickets (JSON)`,
  fmt(smallest.size),
  fmt(importWall, 0),
  `${(importWall / median(importFloor)).toFixed(1)}×`,
  TIME ? fmt(median(importRuns.map((r) => r.cpu)), 0) : 'n/a',
  fmt(importRss, 1),
  `**${fmt(rate)} tickets/s** ≥ 50,000 ${rate >= 50_000 ? '✅' : '❌'}`,
);
verdicts.push({ what: '`ticket import`, tickets per second (whole command, start-up included)', target: '≥ 50,000/s', got: `${fmt(rate)}/s`, met: rate >= 50_000 });
verdicts.push({ what: 'peak memory of the import', target: '≤ 300 MiB', got: `${fmt(importRss, 1)} MiB`, met: importRss <= 300 });
row(
  '`auth login`: unknown email vs wrong password (vs right password)',
  '',
  `${fmt(login.unknownMs)} vs ${fmt(login.wrongMs)} (${fmt(login.rightMs)})`,
  '',
  '',
  '',
  `unknown ÷ wrong ${login.ratio.toFixed(2)}, ≤ 1.2 ${login.met ? '✅' : '❌'}`,
);
verdicts.push({ what: '`auth login`: unknown email ÷ wrong password', target: '≤ 1.2 (either way)', got: login.ratio.toFixed(2), met: login.met });
const allRss = Math.max(...cases.slice(1).flatMap((c) => c.rss));
verdicts.push({ what: 'peak memory of any other command', target: '≤ 120 MiB', got: `${fmt(allRss, 1)} MiB`, met: allRss <= 120 });

const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
};
const commit = git('rev-parse', '--short', 'HEAD');
const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
const cpus = os.cpus();
const m = largest.manifest;
const minutes = ((Date.now() - started) / 60000).toFixed(1);
const table = [
  '| command | store (tickets) | wall, median (ms) | × floor | CPU, median (ms) | peak RSS, max (MiB) | target |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows,
].join('\n');
const targets = [
  '| target | wanted | measured | |',
  '| --- | --- | --- | --- |',
  ...verdicts.map((v) => `| ${v.what} | ${v.target} | ${v.got} | ${v.met ? '✅ met' : '❌ not met'} |`),
].join('\n');
const machine = [
  `- CPU: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores; memory ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; ${os.type()} ${os.release()}`,
  `- Node ${process.version}; tkt ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} at ${commit || 'unknown commit'}${dirty ? ' (with uncommitted changes)' : ''}`,
  `- load average (1 min) during the run: ${fmt(Math.min(...loads), 2)} – ${fmt(Math.max(...loads), 2)} (median ${fmt(median(loads), 2)}) on ${cpus.length} cores`,
  `- ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${options.runs} alternating rounds; the whole bench took ${minutes} min`,
].join('\n');
const stores_ = [...stores.values()]
  .map((s) => `${fmt(s.size)} tickets (big org ${fmt(s.manifest.big.tickets)}, small org ${fmt(s.manifest.small.tickets)}, ${fmt(s.manifest.comments)} comments, ${fmt(s.manifest.members)} members by invitation)`)
  .join('; ');
const report = `# tkt benchmark results

Written by \`npm run bench\` (bench/run.mjs); see the README's "Performance" section for what the
targets mean and how to reproduce them.

## Machine

${machine}

## Results

Every figure is the median of ${options.runs} runs, taken in alternating rounds: each round runs
every command once and the floor (\`node -e 0\`) three times, in a random order, so that load on
the machine hits them alike. "× floor" divides by the floor's median (of ${options.runs * 3} runs)
in the same bench run. Peak RSS is the largest of the runs${TIME ? ' (GNU time %M)' : ' (process.resourceUsage().maxRSS, from a preloaded probe)'}.
Commands run with stdout piped (no TTY), with the session in a config file, on working copies of
the cached stores, warm (one untimed run each first).

${table}

## Targets

${targets}

## The stores

${stores_}. ${fmt(m.orgs)} organizations each; the bench user owns the big org and is a member of
the small one. Built by bench/seed.ts through the store layer (organizations by the org use case,
members by invitation, tickets by the import path, comments by the comment path), with
\`synchronous=OFF\` on the seeding connection only; cached in bench/.stores/ by a hash of the
migrations, src/store, src/domain and the seed script. The search word is the most frequent word
found in at most 1% of the big org's tickets. The import reads a ${fmt(options.import)}-ticket JSON
file in the shape \`ticket export\` writes into the small org of a fresh copy of the
${fmt(smallest.size)}-ticket store (start-up, parsing, validation, writing and printing the keys
included).
`;

// The PostgreSQL sections (bench/pg.mjs, bench/pg-drivers.mjs) follow PG_SECTIONS and are kept.
const PG_SECTIONS = '<!-- PostgreSQL: written by bench/pg.mjs; kept by bench/run.mjs -->';
const previous = fs.existsSync(options.out) ? fs.readFileSync(options.out, 'utf8') : '';
const kept = previous.includes(PG_SECTIONS) ? previous.slice(previous.indexOf(PG_SECTIONS)) : '';
fs.writeFileSync(options.out, kept ? `${report}\n${kept}` : report);
process.stdout.write(`\n${machine}\n\n${table}\n\n${targets}\n`);
log(`wrote ${path.relative(process.cwd(), options.out)} in ${minutes} min`);
