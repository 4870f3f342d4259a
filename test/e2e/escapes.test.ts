// Raw terminal escapes (issue 11 #6), attacked end to end: a store path from TKT_DB or .tkt.json
// whose folder name holds ESC, OSC, BEL, C1, bidi and line-separator characters, and rows written
// past validation with raw SQL. Whatever tkt prints of them, on a terminal (TKT_FORCE_TTY), piped
// or as JSON, on stdout or stderr, in messages, warnings and errors, must hold none of those
// characters raw: only tab and newline of the controls reach the terminal.
//
// On PostgreSQL the store is a URL: the one in TKT_DB or .tkt.json names a database whose name
// holds those characters (the server's own messages quote it), and the rows are planted as the
// database's owner, past row-level security and the CLI's validation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PASSWORD, Sandbox, type CliResult, type Person } from '../support/cli.js';
import { dbUrl, dropSandboxDatabase, OWNER_ROLE, psql } from '../support/pg-server.js';
import { withStore } from '../support/raw-store.js';
import { onPostgres, onSqlite } from '../support/stores.js';

/** What must never reach a terminal raw (render.ts UNPRINTABLE, tab and newline aside). */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** An OSC that retitles the terminal, a CSI in C1 form, a bidi override, a line separator. */
const EVIL = 'x\u001b]0;pwned\u0007y\u009b31m\u202e\u2028z\u0085';

const MODES: Array<[string, string[], Record<string, string>]> = [
  ['piped', [], {}],
  ['on a terminal', [], { TKT_FORCE_TTY: '1', COLUMNS: '300', NO_COLOR: '1' }],
  ['on a terminal, in colour', [], { TKT_FORCE_TTY: '1', COLUMNS: '300', FORCE_COLOR: '1' }],
  ['as JSON', ['--json'], {}],
];

/** tkt's own colours (chalk's SGR codes for the tones of render.ts), the only escapes it may write. */
const OWN_COLOURS = /\u001b\[(?:1|2|22|3[1-6]|39)m/g;

function clean(what: string, r: CliResult): void {
  for (const [stream, text] of [['stdout', r.stdout.replace(OWN_COLOURS, '')], ['stderr', r.stderr.replace(OWN_COLOURS, '')]] as const) {
    const m = RAW.exec(text);
    expect(m, `${what}: ${stream} holds U+${m?.[0].codePointAt(0)!.toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`).toBeNull();
  }
}

describe.each([
  ['TKT_DB', false],
  ['.tkt.json', true],
])('a store path with escapes, from %s', (_source, fromProjectFile) => {
  const sb = new Sandbox();
  const folder = path.join(sb.dir, EVIL);
  const configDir = path.join(sb.dir, 'config');
  // PostgreSQL: a database named with the escapes (and a suffix: each case has its own), created
  // once the "before there is a store" errors are seen, as its owner would (createdb, migrate).
  const pg = onPostgres ? inject('pgCluster') : undefined;
  const database = `${EVIL}_${Math.random().toString(36).slice(2, 8)}`;
  const store = pg ? dbUrl(pg.appUrl, database) : path.join(folder, 'tkt.db');
  fs.mkdirSync(folder);
  if (fromProjectFile) fs.writeFileSync(path.join(folder, '.tkt.json'), JSON.stringify({ db: pg ? store : 'tkt.db' }), { mode: 0o644 });
  afterAll(() => {
    if (pg) dropSandboxDatabase(pg, database);
    sb.cleanup();
  });
  const storeExists = () =>
    pg ? psql(pg.psql, pg.ownerUrl, `SELECT count(*) FROM pg_database WHERE datname = '${database.replace(/'/g, "''")}'`) === '1' : fs.existsSync(store);
  /** How tkt names the store: the path, or the URL (whose database name is %-encoded). */
  const shown = pg ? encodeURIComponent(EVIL) : 'x\\u001b]0;pwned\\u0007y\\u009b31m\\u202e\\u2028z\\u0085';

  const run = (args: string[], env: Record<string, string> = {}, input?: string) =>
    sb.run(args, { cwd: folder, configDir, input, env: { TKT_DB: fromProjectFile ? undefined : store, ...env } });

  /** Runs `args` in every mode; each run is checked, and must end with one of `codes`. */
  async function everyMode(args: string[], codes: number[], input?: string): Promise<CliResult[]> {
    const results: CliResult[] = [];
    for (const [mode, extra, env] of MODES) {
      const r = await run([...args, ...extra], env, input);
      expect(codes, `${args.join(' ')} ${mode}: exit ${r.code}: ${r.stderr}`).toContain(r.code);
      clean(`${args.join(' ')} ${mode}`, r);
      results.push(r);
    }
    return results;
  }

  it('is never printed raw: errors before the store exists, db init, db status, signup, login, auth status, warnings, db check', async () => {
    // Before there is a store: errors naming it (or, for db status, a report of a new one).
    await everyMode(['auth', 'login', '--email', 'ann@example.com', '--password-stdin'], [3, 7], PASSWORD + '\n');
    await everyMode(['auth', 'status'], [3, 7]);
    await everyMode(['db', 'status'], [0, 7]);

    // db init makes SQLite stores; on PostgreSQL it refuses (exit 2), naming the database, which
    // its owner then creates (here: cloned from the migrated template).
    expect(storeExists()).toBe(false);
    const inits = await everyMode(['db', 'init'], [pg ? 2 : 0]);
    if (pg) psql(pg.psql, pg.ownerUrl, `CREATE DATABASE "${database.replace(/"/g, '""')}" TEMPLATE "${pg.template}" OWNER ${OWNER_ROLE}`);
    expect(storeExists()).toBe(true);
    // The store is there, shown as escapes (or %-escapes), not left out.
    expect(inits[1]!.stderr + inits[1]!.stdout).toContain(shown);
    await everyMode(['db', 'status'], [0]);

    const signup = await run(['auth', 'signup', '--email', 'ann@example.com', '--name', 'Ann', '--password-stdin'], { TKT_FORCE_TTY: '1' }, PASSWORD + '\n');
    expect(signup.code, signup.stderr).toBe(0);
    clean('auth signup', signup);
    // A second signup with the same email: the conflict error, in every mode.
    await everyMode(['auth', 'signup', '--email', 'ann@example.com', '--name', 'Ann', '--password-stdin'], [6], PASSWORD + '\n');
    await everyMode(['auth', 'login', '--email', 'ann@example.com', '--password-stdin'], [0], PASSWORD + '\n');
    await everyMode(['auth', 'status'], [0]);
    await everyMode(['org', 'list'], [0]);
    // An error that is not about the store, then one about a store that is not SQLite.
    await everyMode(['ticket', 'list'], [2]);
    fs.writeFileSync(path.join(folder, 'not-sqlite.db'), 'hello, not a database\n'.repeat(100));
    await everyMode(['--db', path.join(folder, 'not-sqlite.db'), 'db', 'status'], [7]);

    if (pg) {
      // No store file, so no warning about its mode; db check passes.
      await everyMode(['db', 'check'], [0]);
      return;
    }
    // A store others may read: the warning of every command and db check's finding name the path.
    fs.chmodSync(store, 0o644);
    const warned = await everyMode(['auth', 'status'], [0]);
    expect(warned[0]!.stderr).toMatch(/^tkt: warning: .*x\\u001b\]0;pwned/m);
    await everyMode(['db', 'check'], [7]);
    // About a dozen logins and signups at tkt's real scrypt cost, each in every output mode.
  }, 240_000);
});

describe('rows written past validation', () => {
  const sb = new Sandbox();
  let ann: Person;
  const BREAKS = ['a\u2028b', 'c\u2029d', 'e\u0085f', 'g\r\nh', 'i\u000bj\u000ck', 'l\u001b[2Jm\u202en'];

  beforeAll(async () => {
    ann = await sb.person('ann@example.com', 'Ann');
    expect((await ann.run(['org', 'create', 'Acme', '--slug', 'acme', '--key', 'ACME'])).code).toBe(0);
    expect((await ann.run(['org', 'create', 'Other', '--slug', 'other', '--key', 'OTH'])).code).toBe(0);
    expect((await ann.run(['org', 'switch', 'acme'])).code).toBe(0);
    for (let i = 0; i < BREAKS.length; i++) expect((await ann.run(['ticket', 'create', '--title', `t${i}`])).code).toBe(0);
    withStore(sb, (db) => {
      const title = db.prepare('UPDATE tickets SET title = ? WHERE number = ? AND organization_id = (SELECT id FROM organizations WHERE slug = ?)');
      BREAKS.forEach((t, i) => expect(title.run(t, i + 1, 'acme').changes).toBe(1));
      expect(db.prepare('UPDATE users SET name = ? WHERE email = ?').run(`Ann${EVIL}`, 'ann@example.com').changes).toBe(1);
      const other = (db.prepare("SELECT id FROM organizations WHERE slug = 'other'").get() as { id: number }).id;
      expect(db.prepare('UPDATE organizations SET slug = ?, name = ? WHERE id = ?').run(`oth${EVIL}`, `Other${EVIL}`, other).changes).toBe(1);
      // SQLite: an org with an escape in its slug and no owner, which db check names as an offending
      // row. PostgreSQL refuses an org without an owner (a constraint trigger), so its db check has
      // no such finding: there Ann stays its owner, and the slug shows in org list.
      if (db.dialect !== 'postgres') {
        (db as unknown as { pragma(p: string): unknown }).pragma('foreign_keys = OFF');
        db.prepare('DELETE FROM memberships WHERE organization_id = ?').run(other);
      }
    });
  });
  afterAll(() => sb.cleanup());

  it('ticket list piped: exactly one line per ticket, whatever line breaks the titles hold', async () => {
    const r = await ann.run(['ticket', 'list']);
    expect(r.code, r.stderr).toBe(0);
    clean('ticket list', r);
    expect(r.lines()).toHaveLength(BREAKS.length);
    r.lines().forEach((line, i) => expect(line.startsWith(`ACME-${BREAKS.length - i}\t`) || line.startsWith(`ACME-${i + 1}\t`)).toBe(true));
    const sorted = await ann.run(['ticket', 'list', '--sort', 'number']);
    expect(sorted.lines().map((l) => l.split('\t')[0]).sort()).toEqual(BREAKS.map((_, i) => `ACME-${i + 1}`));
    // Every row has as many fields as the header-less format has columns.
    const fields = new Set(sorted.lines().map((l) => l.split('\t').length));
    expect(fields.size).toBe(1);
  });

  it('ticket list and view, member list, auth status and org list: nothing raw in any mode', async () => {
    for (const args of [['ticket', 'list'], ['ticket', 'view', 'ACME-6'], ['ticket', 'view', 'ACME-1'], ['member', 'list'], ['auth', 'status'], ['org', 'list']]) {
      for (const [mode, extra, env] of MODES) {
        const r = await ann.run([...args, ...extra], { env });
        expect(r.code, `${args.join(' ')} ${mode}: ${r.stderr}`).toBe(0);
        clean(`${args.join(' ')} ${mode}`, r);
      }
    }
    // JSON still gives the exact text back (escaped the JSON way).
    const json = await ann.run(['ticket', 'view', 'ACME-6', '--json', 'title']);
    expect(json.json()).toEqual({ title: BREAKS[5] });
  });

  it.runIf(onSqlite)('db check shows the offending org neutralised, in every mode', async () => {
    for (const [mode, extra, env] of MODES) {
      const r = await ann.run(['db', 'check', ...extra], { env });
      expect(r.code, `${mode}: ${r.stderr}`).toBe(7);
      clean(`db check ${mode}`, r);
      if (mode !== 'as JSON') expect(r.stdout, r.stdout).toContain('othx\\u001b]0;pwned\\u0007y');
    }
  });

  it.runIf(onPostgres)('org list shows the org with the escapes in its slug and name neutralised, in every mode', async () => {
    for (const [mode, extra, env] of MODES) {
      const r = await ann.run(['org', 'list', ...extra], { env });
      expect(r.code, `${mode}: ${r.stderr}`).toBe(0);
      clean(`org list ${mode}`, r);
      if (mode === 'as JSON') expect(r.json()).toContainEqual(expect.objectContaining({ slug: `oth${EVIL}` }));
      else expect(r.stdout, r.stdout).toContain('othx\\u001b]0;pwned\\u0007y');
    }
  });
});
