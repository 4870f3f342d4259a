#!/usr/bin/env node
// Does the time a login takes tell who has an account? Times `tkt auth login` with an unknown
// email, with a known email and a wrong password, and with the right password, at the real
// scrypt cost, in alternating rounds (each round runs the three in a random order).
//
//   node bench/login.mjs [--runs 7] [--json] [--no-build]
//
// bench/run.mjs runs it (with --json --no-build) for its "auth login" row; run alone, it builds
// dist/ and prints the figures. Target: unknown email ÷ wrong password within 1.2 either way.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'tkt.js');
const NODE = process.execPath;
const TARGET = 1.2;

const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Math.max(1, Number(argv[argv.indexOf('--runs') + 1])) : 7;
if (!argv.includes('--no-build')) execFileSync(NODE, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-bench-login-'));
const env = { ...process.env, TKT_DB: path.join(work, 'tkt.db'), TKT_CONFIG_DIR: path.join(work, 'config'), NO_COLOR: '1' };
for (const name of ['TKT_ORG', 'TKT_TOKEN', 'TKT_DEBUG', 'NODE_OPTIONS']) delete env[name];
const EMAIL = 'bench-login@example.com';
const PASSWORD = 'the bench pass phrase';

function login(email, password, expectedCode) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(NODE, [BIN, 'auth', 'login', '--email', email, '--password-stdin'], { env, input: `${password}\n` });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== expectedCode) throw new Error(`login ${email}: exit ${r.status}, expected ${expectedCode}: ${r.stderr}`);
  return ms;
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

try {
  execFileSync(NODE, [BIN, 'auth', 'signup', '--email', EMAIL, '--name', 'Bench', '--password-stdin'], { env, input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  const cases = [
    { id: 'unknown', run: () => login('nobody-here@example.com', PASSWORD, 3), samples: [] },
    { id: 'wrong', run: () => login(EMAIL, 'not the pass phrase', 3), samples: [] },
    { id: 'right', run: () => login(EMAIL, PASSWORD, 0), samples: [] },
  ];
  for (const c of cases) c.run(); // warm-up
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < runs; round++) {
    const order = [...cases].sort(() => rand() - 0.5);
    for (const c of order) c.samples.push(c.run());
  }
  const [unknown, wrong, right] = cases.map((c) => median(c.samples));
  const ratio = unknown / wrong;
  const result = { runs, unknownMs: unknown, wrongMs: wrong, rightMs: right, ratio, met: ratio <= TARGET && ratio >= 1 / TARGET };
  if (argv.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    const f = (n) => n.toFixed(0);
    process.stdout.write(
      `auth login, median of ${runs}: unknown email ${f(unknown)} ms, wrong password ${f(wrong)} ms, right password ${f(right)} ms\n` +
        `unknown ÷ wrong = ${ratio.toFixed(2)} (target within ${TARGET} either way: ${result.met ? 'met' : 'NOT met'})\n`,
    );
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
