#!/usr/bin/env node
// A focused start-up comparison of several builds of tkt, to decide whether a start-up trick pays:
//
//   node bench/compare-builds.mjs [--runs 200] <tree> <tree> …
//
// Each <tree> is a copy of the package with its own built dist/ (bin/tkt.js, dist/, migrations/,
// node_modules). Every round runs `tkt --version` and `tkt auth status` once in every tree, and
// `node -e 0`, in a random order (so that a burst of load on the machine hits them all alike);
// the figures are the medians of the wall times, and each tree's difference from the first.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
let runs = 200;
const trees = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else trees.push(path.resolve(args[i]));
}
if (trees.length === 0 || !(runs > 0)) throw new Error('usage: node bench/compare-builds.mjs [--runs N] <tree> <tree> …');

const NODE = process.execPath;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-compare-'));
const env = { ...process.env, TKT_DB: path.join(work, 'tkt.db'), TKT_CONFIG_DIR: path.join(work, 'config'), NO_COLOR: '1' };
for (const name of Object.keys(env)) if (name.startsWith('TKT_') && !['TKT_DB', 'TKT_CONFIG_DIR'].includes(name)) delete env[name];
execFileSync(NODE, [path.join(trees[0], 'bin', 'tkt.js'), 'auth', 'signup', '--email', 'a@example.com', '--name', 'A', '--password-stdin'], {
  env,
  input: 'compare-password-1\n',
  stdio: ['pipe', 'ignore', 'inherit'],
});

const cases = [{ label: 'node -e 0', argv: ['-e', '0'] }];
for (const tree of trees) {
  const bin = path.join(tree, 'bin', 'tkt.js');
  cases.push({ tree, label: '--version', argv: [bin, '--version'] });
  cases.push({ tree, label: 'auth status', argv: [bin, 'auth', 'status'] });
}
const times = new Map(cases.map((c) => [c, []]));
const once = (c) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(NODE, c.argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.label} in ${c.tree} exited with ${r.status}: ${r.stderr}`);
  return ms;
};
for (const c of cases) once(c); // warm-up
for (let round = 0; round < runs; round++) {
  const order = [...cases].sort(() => Math.random() - 0.5);
  for (const c of order) times.get(c).push(once(c));
}
fs.rmSync(work, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const baseline = new Map();
console.log(`${runs} rounds; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| tree | command | wall, median (ms) | vs first tree (ms) |\n| --- | --- | ---: | ---: |');
for (const c of cases) {
  const m = median(times.get(c));
  if (!baseline.has(c.label)) baseline.set(c.label, m);
  const diff = m - baseline.get(c.label);
  console.log(`| ${c.tree ? path.basename(c.tree) : ''} | ${c.label} | ${m.toFixed(1)} | ${c.tree ? `${diff >= 0 ? '+' : ''}${diff.toFixed(1)}` : ''} |`);
}
