// Measures `tkt ticket import` through the built CLI: N tickets (default 100,000) with bodies,
// labels and assignees, from JSON and from CSV, each into a fresh org of a temp store.
// Not a test (no wall-clock assertions): run it by hand after `npm run build`.
//   node scripts/measure-import.mjs [count]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'tkt.js');
const count = Number(process.argv[2] ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-measure-'));
const env = { ...process.env, TKT_DB: path.join(dir, 'tkt.db'), TKT_CONFIG_DIR: path.join(dir, 'config') };
const tkt = (args, input) => execFileSync(process.execPath, [bin, ...args], { env, input, stdio: ['pipe', 'pipe', 'inherit'] }).toString();

try {
  tkt(['auth', 'signup', '--email', 'me@example.com', '--name', 'Me', '--password-stdin'], 'measure-password-1\n');
  const statuses = ['open', 'in_progress', 'done', 'canceled'];
  const priorities = ['none', 'low', 'medium', 'high', 'urgent'];
  const records = Array.from({ length: count }, (_, i) => ({
    title: `Ticket ${i}: something "quoted", with ünïcödé`,
    body: `Line one of ticket ${i}\nline two, with a comma\n\n- a list item`,
    status: statuses[i % 4],
    priority: priorities[i % 5],
    assignee: i % 3 === 0 ? 'me@example.com' : null,
    labels: i % 2 === 0 ? ['bug', `area-${i % 10}`] : [],
  }));
  for (const format of ['json', 'csv']) {
    tkt(['org', 'create', `Measure ${format}`, '--key', format === 'json' ? 'MJ' : 'MC']);
    tkt(['ticket', 'export', '--format', format]); // warm the page cache and the bundle
    const file = path.join(dir, `in.${format}`);
    if (format === 'json') {
      fs.writeFileSync(file, JSON.stringify(records));
    } else {
      const { stringify } = await import('csv-stringify/sync');
      const rows = records.map((r) => [r.title, r.body, r.status, r.priority, r.assignee ?? '', r.labels.join(',')]);
      fs.writeFileSync(file, stringify(rows, { header: true, columns: ['title', 'body', 'status', 'priority', 'assignee', 'labels'] }));
    }
    // /usr/bin/time reports the CPU time too, which other processes on a busy machine inflate less.
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, bin, 'ticket', 'import', file, '-q'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (run.status !== 0) throw new Error(`import failed with exit ${run.status}: ${run.stderr}`);
    const [wall, user, sys] = run.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
    const rate = (s) => Math.round(count / s).toLocaleString('en');
    console.log(
      `${format}: ${count.toLocaleString('en')} tickets, whole CLI run: ${wall.toFixed(2)} s wall = ${rate(wall)} tickets/s; ` +
        `${(user + sys).toFixed(2)} s CPU = ${rate(user + sys)} tickets/s`,
    );
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
