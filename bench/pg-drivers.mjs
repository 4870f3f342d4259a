#!/usr/bin/env node
// Start-up of the two PostgreSQL drivers drizzle-orm supports, `pg` (node-postgres) and `postgres`
// (porsager/postgres.js): time to import the driver (alone, and with drizzle-orm's adapter), then
// connect and run one query; as separate modules and bundled by esbuild (as dist/ is built); and
// each whole process, beside the floor (`node -e`). The median of 21 alternating rounds.
//
//   npm install --prefix /tmp/pgdrv postgres@3      # a scratch folder: not a project dependency
//   node bench/pg-drivers.mjs /tmp/pgdrv postgres://user@127.0.0.1:5432/db
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [scratch, url] = process.argv.slice(2);
if (!scratch || !url) {
  console.error('usage: node bench/pg-drivers.mjs <scratch folder with postgres installed> <postgres:// URL>');
  process.exit(2);
}
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nm = path.join(scratch, 'node_modules');
// pg from the project (symlinked; it resolves its own dependencies from there); drizzle-orm copied,
// so that its postgres-js adapter finds the scratch folder's postgres.
if (!fs.existsSync(path.join(nm, 'pg'))) fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules', 'pg')), path.join(nm, 'pg'));
if (!fs.existsSync(path.join(nm, 'drizzle-orm'))) fs.cpSync(fs.realpathSync(path.join(ROOT, 'node_modules', 'drizzle-orm')), path.join(nm, 'drizzle-orm'), { recursive: true });

const u = JSON.stringify(url);
const SOURCES = {
  'pg': `const { default: pg } = await import('pg'); const t1 = performance.now();
    const c = new pg.Client({ connectionString: ${u} }); await c.connect(); await c.query('SELECT 1'); const t2 = performance.now(); await c.end();`,
  'postgres': `const { default: postgres } = await import('postgres'); const t1 = performance.now();
    const q = postgres(${u}, { max: 1 }); await q\`SELECT 1\`; const t2 = performance.now(); await q.end();`,
  'pg + drizzle': `const { default: pg } = await import('pg'); const { drizzle } = await import('drizzle-orm/node-postgres'); const { sql } = await import('drizzle-orm'); const t1 = performance.now();
    const c = new pg.Client({ connectionString: ${u} }); await c.connect(); await drizzle(c).execute(sql\`SELECT 1\`); const t2 = performance.now(); await c.end();`,
  'postgres + drizzle': `const { default: postgres } = await import('postgres'); const { drizzle } = await import('drizzle-orm/postgres-js'); const { sql } = await import('drizzle-orm'); const t1 = performance.now();
    const q = postgres(${u}, { max: 1 }); await drizzle(q).execute(sql\`SELECT 1\`); const t2 = performance.now(); await q.end();`,
};
const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
const variants = ['floor'];
for (const [name, body] of Object.entries(SOURCES)) {
  const file = path.join(scratch, `${name.replace(/[^a-z]+/g, '-')}.mjs`);
  fs.writeFileSync(file, `const t0 = performance.now();\n${body}\nconsole.log(JSON.stringify({ imp: t1 - t0, conn: t2 - t1 }));\n`);
  const bundled = file.replace(/\.mjs$/, '.bundled.mjs');
  execFileSync(esbuild, [file, '--bundle', '--platform=node', '--format=esm', '--external:pg-native', '--external:cloudflare:sockets', `--outfile=${bundled}`, '--log-level=error',
    "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);"]);
  variants.push(file, bundled);
}
const res = Object.fromEntries(variants.map((v) => [v, { imp: [], conn: [], wall: [] }]));
for (let round = 0; round < 21; round++) {
  for (const v of [...variants].sort(() => Math.random() - 0.5)) {
    const t = performance.now();
    const out = execFileSync(process.execPath, v === 'floor' ? ['-e', 'console.log("{}")'] : [v], { encoding: 'utf8', cwd: scratch });
    res[v].wall.push(performance.now() - t);
    const o = JSON.parse(out);
    if (o.imp !== undefined) (res[v].imp.push(o.imp), res[v].conn.push(o.conn));
  }
}
const med = (a) => (a.length ? [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(1) : '');
const label = (v) => (v === 'floor' ? '`node -e` (the floor)' : `${path.basename(v).replace(/\.bundled\.mjs$/, ', bundled').replace(/\.mjs$/, ', modules')}`);
console.log('| driver | import (ms) | connect + first query (ms) | whole process (ms) |\n| --- | ---: | ---: | ---: |');
for (const v of variants) console.log(`| ${label(v)} | ${med(res[v].imp)} | ${med(res[v].conn)} | ${med(res[v].wall)} |`);
