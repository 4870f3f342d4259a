#!/usr/bin/env node
// How long one command takes to write many tickets (issue 16.5):
//
//   node bench/bulk.mjs [--count 1000] [--runs 5]
//
// Builds dist/, then for each run: a fresh store with --count open tickets (one `ticket import`),
// and times `tkt ticket list -q --limit 0 | tkt ticket close -` as the close alone: the keys are
// listed beforehand and fed on stdin, so the figure is the whole `ticket close -` process (start-up,
// login, guard, the one transaction, the output). Prints the median and every run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'tkt.js');
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const count = flag('--count', 1000);
const runs = flag('--runs', 5);

execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'ignore' });

function tkt(env, argv, input) {
  const r = spawnSync(process.execPath, [BIN, ...argv], { env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tkt ${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

const times = [];
for (let run = 0; run < runs; run++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-bulk-'));
  const env = { PATH: process.env.PATH, HOME: dir, TKT_DB: path.join(dir, 'tkt.db'), TKT_CONFIG_DIR: path.join(dir, 'config') };
  tkt(env, ['auth', 'signup', '--email', 'bench@example.com', '--name', 'Bench', '--password-stdin'], 'correct horse battery staple\n');
  tkt(env, ['org', 'create', 'Bench']);
  tkt(env, ['ticket', 'import', '-', '--format', 'json'], JSON.stringify(Array.from({ length: count }, (_, i) => ({ title: `Ticket ${i + 1}` }))));
  const keys = tkt(env, ['ticket', 'list', '-q', '--limit', '0']);
  const started = process.hrtime.bigint();
  const closed = tkt(env, ['ticket', 'close', '-'], keys);
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  if (closed.trim().split('\n').length !== count) throw new Error(`closed ${closed.trim().split('\n').length} of ${count}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`ticket close - of ${count} tickets: median ${median.toFixed(0)} ms over ${runs} runs (${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
