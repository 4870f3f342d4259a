#!/usr/bin/env node
// The PostgreSQL rows of the benchmark: the same commands as bench/run.mjs on a team store on a
// throwaway PostgreSQL (test/support/pg-server.ts: initdb, or TKT_TEST_PG_URL), reached as the
// CLI's login role (in tkt_app: row-level security applies), with the session in a config file.
//
//   node bench/pg.mjs [--runs 7] [--tickets 1000000] [--import 100000] [--clients 16] [--creates 10]
//
// 1. `tkt db migrate` as the owner; `auth signup` and `org create` (big, small, fillers) through the CLI.
// 2. Tickets are loaded as the owner with one INSERT … SELECT per org (the counters taken first,
//    as the store's number guard requires; the search index filled by the store's own trigger):
//    the big org holds a tenth of them, the small org 901, filler orgs the rest.
// 3. Timed, as in run.mjs: the median of --runs alternating rounds beside the floor (`node -e 0`).
// 4. `ticket import` of --import tickets (JSON, the shape `ticket export` writes, with labels) into the small org.
// 5. --clients processes at once, each creating --creates tickets in the small org: throughput,
//    errors, and whether the numbers came out gapless and unique.
// Writes its section of bench/RESULTS.md (after the marker that run.mjs keeps).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'tkt.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt('runs', 7);
const TICKETS = opt('tickets', 1_000_000);
const IMPORT = opt('import', 100_000);
const CLIENTS = opt('clients', 16);
const CREATES = opt('creates', 10);
const log = (m) => process.stderr.write(`[bench:pg] ${m}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en');
const started = Date.now();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-bench-pg-'));
const { build } = await import('esbuild');
await build({
  entryPoints: [path.join(ROOT, 'test', 'support', 'pg-server.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: path.join(work, 'pg-server.mjs'),
  logLevel: 'error',
});
const pgs = await import(path.join(work, 'pg-server.mjs'));

execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
const server = await pgs.startPgServer();
let exitCode = 0;
try {
  const cluster = pgs.prepareCluster(server.adminUrl, (ownerUrl) => {
    execFileSync(process.execPath, [BIN, 'db', 'migrate'], { env: { PATH: process.env.PATH, HOME: work, TKT_DB: ownerUrl, TKT_CONFIG_DIR: work } });
  });
  const dbName = pgs.createSandboxDatabase(cluster);
  const teamUrl = pgs.dbUrl(cluster.appUrl, dbName);
  const ownerUrl = pgs.dbUrl(cluster.ownerUrl, dbName);
  const sql = (text) => pgs.psql(cluster.psql, ownerUrl, text);
  const configDir = path.join(work, 'config');
  const env = { PATH: process.env.PATH, HOME: work, TKT_DB: teamUrl, TKT_CONFIG_DIR: configDir };
  const tkt = (argv, input) => execFileSync(process.execPath, [BIN, ...argv], { env, cwd: work, input: input ?? '', encoding: 'utf8', maxBuffer: 1 << 28 });

  // 1. The bench user and the orgs, through the CLI.
  tkt(['auth', 'signup', '--email', 'bench@example.com', '--name', 'Bench', '--password-stdin'], 'bench-password-1\n');
  const fillers = Math.max(1, Math.ceil((TICKETS * 0.9 - 901) / 100_000));
  const orgs = [['Big', 'big', 'BIG'], ['Small', 'small', 'SML'], ...Array.from({ length: fillers }, (_, i) => [`Filler ${i + 1}`, `filler-${i + 1}`, `FIL${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`])];
  for (const [name, slug, key] of orgs) tkt(['org', 'create', name, '--slug', slug, '--key', key, '-q']);

  // 2. Tickets, as the owner. Titles hold two words from 24 × 24 syllable pairs (each in ~0.2%).
  const share = { big: Math.round(TICKETS * 0.1), small: 901 };
  const rest = TICKETS - share.big - share.small;
  for (let i = 1; i <= fillers; i++) share[`filler-${i}`] = Math.floor(rest / fillers) + (i === 1 ? rest % fillers : 0);
  const userId = sql("SELECT id FROM users WHERE email = 'bench@example.com'");
  const t0 = Date.now();
  for (const [slug, count] of Object.entries(share)) {
    if (count <= 0) continue;
    sql(`
      SET synchronous_commit = off;
      WITH o AS (UPDATE organizations SET next_ticket_number = next_ticket_number + ${count} WHERE slug = '${slug}' RETURNING id, next_ticket_number - ${count} AS first)
      INSERT INTO tickets (organization_id, number, title, body, status, priority, reporter_id, created_at, updated_at)
      SELECT o.id, o.first + g - 1,
        'Ticket ' || g || ' ' || (array['ba','ce','di','fo','gu','ha','je','ki','lo','mu','na','pe','qi','ro','su','ta','ve','wi','xo','yu','za','bo','cu','da'])[1 + g % 24]
          || (array['lin','gor','tam','sek','vur','pol','mib','dax','ren','qos','fet','hul','zin','cab','nod','jup','wex','lak','tiv','sor','gem','buf','kol','yar'])[1 + (g / 24) % 24],
        'Body of ticket ' || g, (array['open','in_progress','done','canceled'])[1 + g % 4], (array['none','low','medium','high','urgent'])[1 + g % 5],
        ${userId}, 1700000000000 + g * 1000, 1700000000000 + g * 1000
      FROM o, generate_series(1, ${count}) g;`);
  }
  sql('ANALYZE');
  const seedSeconds = (Date.now() - t0) / 1000;
  const total = Number(sql('SELECT count(*) FROM tickets'));
  log(`${fmt(total)} tickets loaded in ${seedSeconds.toFixed(0)} s`);
  const searchWord = 'bagor'; // ba (g%24=0) + gor (g/24%24=1): ~1/576 of each org
  const bigHits = Number(sql(`SELECT count(*) FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'big' AND t.title LIKE '% ${searchWord}'`));
  const viewKey = `BIG-${Math.round(share.big / 2)}`;

  // 3. Timed commands.
  const commands = [
    { id: 'floor', label: '`node -e 0` (the floor)', argv: null },
    { id: 'list', label: '`ticket list --limit 50 --json`, big org', argv: ['--org', 'big', 'ticket', 'list', '--limit', '50', '--json'] },
    { id: 'list-plain', label: '`ticket list --limit 50` (plain), big org', argv: ['--org', 'big', 'ticket', 'list', '--limit', '50'] },
    { id: 'list-small', label: '`ticket list --limit 50 --json`, small org', argv: ['--org', 'small', 'ticket', 'list', '--limit', '50', '--json'] },
    { id: 'search', label: `\`ticket list --search ${searchWord}\`, big org (${fmt(bigHits)} hits)`, argv: ['--org', 'big', 'ticket', 'list', '--search', searchWord, '--json'] },
    { id: 'search-all', label: `\`ticket list --search ticket\`, big org (every ticket: ${fmt(share.big)} hits)`, argv: ['--org', 'big', 'ticket', 'list', '--search', 'ticket', '--json'] },
    { id: 'view', label: `\`ticket view ${viewKey}\``, argv: ['--org', 'big', 'ticket', 'view', viewKey, '--json'] },
    { id: 'create', label: '`ticket create`, big org', argv: ['--org', 'big', 'ticket', 'create', '--title', 'Benchmark ticket', '--priority', 'high', '-q'] },
    { id: 'status', label: '`tkt auth status`', argv: ['auth', 'status'] },
  ];
  const times = Object.fromEntries(commands.map((c) => [c.id, []]));
  const once = (c) => {
    const t = process.hrtime.bigint();
    if (c.argv) tkt(c.argv);
    else execFileSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const c of commands) once(c); // warm
  for (let round = 0; round < RUNS; round++) {
    for (const c of [...commands].sort(() => Math.random() - 0.5)) times[c.id].push(once(c));
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const floor = median(times.floor);

  // 4. Import into the small org.
  const IMPORT_LABELS = ['bug', 'feature', 'ui', 'backend', 'docs', 'perf', 'security', 'infra'];
  const importFile = path.join(work, 'import.json');
  fs.writeFileSync(
    importFile,
    // Each ticket with labels: two of eight (one when both picks are the same: an eighth of them).
    JSON.stringify(
      Array.from({ length: IMPORT }, (_, i) => ({
        title: `Imported ${i} lingor`,
        body: `Imported body ${i}`,
        status: 'open',
        priority: 'low',
        labels: [IMPORT_LABELS[i % 8], IMPORT_LABELS[(i >> 3) % 8]],
      })),
    ),
  );
  const ti = Date.now();
  tkt(['--org', 'small', 'ticket', 'import', importFile, '-q']);
  const importSeconds = (Date.now() - ti) / 1000;
  const imported = Number(sql(`SELECT count(*) FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'small' AND t.title LIKE 'Imported %'`));
  if (imported !== IMPORT) throw new Error(`import wrote ${imported} tickets, not ${IMPORT}`);

  // 5. Concurrent clients.
  const before = Number(sql(`SELECT next_ticket_number FROM organizations WHERE slug = 'small'`));
  const tc = Date.now();
  const results = await Promise.all(
    Array.from({ length: CLIENTS }, (_, c) =>
      new Promise((resolve) => {
        const script = `for i in $(seq 1 ${CREATES}); do node ${JSON.stringify(BIN)} --org small ticket create --title "client ${c} ticket $i" -q || echo FAILED >&2; done`;
        const child = spawn('bash', ['-c', script], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, keys: out.split('\n').filter(Boolean), err }));
      }),
    ),
  );
  const concurrentSeconds = (Date.now() - tc) / 1000;
  const keys = results.flatMap((r) => r.keys);
  const errors = results.filter((r) => r.code !== 0 || r.err.trim() !== '').map((r) => r.err.trim()).filter(Boolean);
  const numbers = sql(`SELECT number FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'small' AND t.number >= ${before} ORDER BY number`)
    .split('\n')
    .filter(Boolean)
    .map(Number);
  const wanted = CLIENTS * CREATES;
  const gapless = numbers.length === wanted && numbers.every((n, i) => n === before + i) && new Set(keys).size === wanted;

  // The report.
  const row = (c) => `| ${c.label} | ${fmt(total)} | ${median(times[c.id]).toFixed(0)} | ${(median(times[c.id]) / floor).toFixed(2)}× |`;
  const load = os.loadavg()[0].toFixed(2);
  const section = `## PostgreSQL: the same commands on a team store

\`node bench/pg.mjs --runs ${RUNS} --tickets ${TICKETS} --import ${IMPORT} --clients ${CLIENTS} --creates ${CREATES}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,
same machine as above (2 cores shared with other work: load average ${load} at the end), PostgreSQL
${cluster.version} on loopback TCP started by the bench (fsync off: it measures tkt, not the disk), the
CLI connected as a login role in \`tkt_app\` (row-level security applies to every statement), the
session in a config file. ${fmt(total)} tickets: the big org ${fmt(share.big)}, the small org 901
(before the import), ${fillers} filler org(s) the rest; loaded as the owner in ${seedSeconds.toFixed(0)} s (one
INSERT … SELECT per org; the search index filled by the store's trigger). Unlike the SQLite stores
above, the ${fmt(total)} tickets are in ${orgs.length} organizations, not 1,000, and have no
comments. Medians of ${RUNS} alternating rounds; the whole PostgreSQL bench took ${((Date.now() - started) / 60000).toFixed(1)} min.

| command | store (tickets) | wall, median (ms) | × floor |
| --- | ---: | ---: | ---: |
${commands.map(row).join('\n')}
| \`ticket import\` of ${fmt(IMPORT)} tickets (JSON, 1–2 labels each), small org | ${fmt(total)} | ${fmt(importSeconds * 1000)} | **${fmt(IMPORT / importSeconds)} tickets/s** (target ≥ 50,000) |

${CLIENTS} clients at once, each running \`ticket create\` ${CREATES} times in the small org (${wanted} creates):
${concurrentSeconds.toFixed(1)} s, **${(wanted / concurrentSeconds).toFixed(1)} creates/s**; ${errors.length === 0 ? 'no errors' : `${errors.length} client(s) with errors: ${errors[0].split('\n')[0]}`};
numbers ${gapless ? `gapless and unique (${before}…${before + wanted - 1})` : `NOT gapless: ${numbers.length} numbers from ${numbers[0]} to ${numbers.at(-1)}`}.
`;
  const resultsFile = path.join(ROOT, 'bench', 'RESULTS.md');
  const MARK = '<!-- PostgreSQL: written by bench/pg.mjs; kept by bench/run.mjs -->';
  let text = fs.readFileSync(resultsFile, 'utf8');
  if (!text.includes(MARK)) text += `\n${MARK}\n`;
  const start = text.indexOf('## PostgreSQL: the same commands on a team store');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 5);
    text = text.slice(0, start) + (next >= 0 ? text.slice(next + 1) : '');
  }
  text = text.replace(MARK, `${MARK}\n${section}`);
  fs.writeFileSync(resultsFile, text);
  process.stdout.write(section);
  if (errors.length || !gapless) exitCode = 1;
} finally {
  server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
