// The walls around the store file itself (issue 11, items 5, 12 and 13), attacked through the
// built CLI: a dangling symlink at the store path, mistyped paths, an empty TKT_DB, the demo
// pointed at a real store, db status without a login, an open config folder, and damaged stores.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, PASSWORD, Sandbox, type CliResult } from '../support/cli.js';

const sandboxes: Sandbox[] = [];
afterAll(() => sandboxes.forEach((s) => s.cleanup()));
function sandbox(): Sandbox {
  const sb = new Sandbox();
  sandboxes.push(sb);
  return sb;
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
const noStack = (r: CliResult) => expect(r.stderr).not.toMatch(/\n\s+at /);

describe('a dangling symlink at the store path (item 5)', () => {
  it('is exit 7 for every creating command, and nothing is created where it points', async () => {
    const sb = sandbox();
    const elsewhere = path.join(sb.dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    const target = path.join(elsewhere, 'planted.db');
    const link = path.join(sb.dir, 'link.db');
    fs.symlinkSync(target, link);
    for (const args of [
      ['auth', 'signup', '--email', 'a@example.com', '--name', 'A', '--password-stdin'],
      ['db', 'init'],
      ['db', 'migrate'],
      ['demo', '--db', link],
      ['db', 'status'],
      ['auth', 'login', '--email', 'a@example.com', '--password-stdin'],
    ]) {
      const r = await sb.run(args, { env: { TKT_DB: link }, input: `${PASSWORD}\n` });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(args[0] === 'demo' ? 2 : 7);
      if (args[0] !== 'demo') expect(r.stderr).toContain(`is a symbolic link to ${target}, which does not exist`);
      noStack(r);
      expect(fs.readdirSync(elsewhere), args.join(' ')).toEqual([]);
    }
  });

  it('a symlink to an existing store still works, under the config entry of the real path', async () => {
    const sb = sandbox();
    const link = path.join(sb.dir, 'link.db');
    expect((await sb.run(['db', 'init'])).code).toBe(0);
    fs.symlinkSync(sb.dbPath, link);
    const configDir = path.join(sb.dir, 'me');
    const up = await sb.run(['--db', link, 'auth', 'signup', '--email', 'me@example.com', '--name', 'Me', '--password-stdin'], { configDir, input: `${PASSWORD}\n` });
    expect(up.code, up.stderr).toBe(0);
    const status = await sb.run(['auth', 'status', '--json'], { configDir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toMatchObject({ email: 'me@example.com', store: sb.dbPath });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a store created under umask 000 is still 0600', () => {
    const sb = sandbox();
    const file = path.join(sb.dir, 'open-umask.db');
    execFileSync('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, '--db', file, 'db', 'init'], {
      env: sb.env(path.join(sb.dir, 'cfg')) as NodeJS.ProcessEnv,
      cwd: sb.dir,
      stdio: 'pipe',
    });
    expect(mode(file)).toBe('600');
  });
});

describe('store hygiene (item 12)', () => {
  it('a mistyped path with each kind of command is exit 7 and leaves no file and no folder behind', async () => {
    const sb = sandbox();
    const alice = await sb.person('alice@example.com');
    expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
    const before = fs.readdirSync(sb.dir).sort();
    const typos = [path.join(sb.dir, 'tkt.dbb'), path.join(sb.dir, 'typo', 'deeper', 'tkt.db')];
    const commands = [
      ['auth', 'status'],
      ['auth', 'login', '--email', 'alice@example.com', '--password-stdin'],
      ['auth', 'logout'],
      ['auth', 'token', 'list'],
      ['org', 'list'],
      ['org', 'create', 'Other'],
      ['db', 'status'],
      ['db', 'check'],
      ['--org', 'acme', 'ticket', 'list'],
      ['--org', 'acme', 'ticket', 'create', '--title', 'x'],
      ['--org', 'acme', 'member', 'list'],
      ['invite', 'accept', 'tkti_nothing'],
    ];
    for (const typo of typos) {
      for (const args of commands) {
        for (const how of ['--db', 'TKT_DB'] as const) {
          const argv = how === '--db' ? ['--db', typo, ...args] : args;
          const r = await alice.run(argv, { input: `${PASSWORD}\n`, ...(how === 'TKT_DB' ? { env: { TKT_DB: typo } } : {}) });
          expect(r.code, `${how} ${args.join(' ')}: ${r.stderr}`).toBe(7);
          expect(r.stderr).toContain(`no tkt store at ${typo}`);
          expect(r.stderr).toContain('tkt db init');
          noStack(r);
        }
      }
      // With a token instead of a session, too.
      expect((await sb.run(['org', 'list'], { env: { TKT_DB: typo, TKT_TOKEN: 'tkt_x' } })).code).toBe(7);
    }
    expect(fs.readdirSync(sb.dir).sort()).toEqual(before);
  });

  it('only auth signup, db init, db migrate and demo create a store', async () => {
    const sb = sandbox();
    const made = (name: string) => path.join(sb.dir, 'made', name, 'tkt.db');
    const cases: Array<[string, string[], string?]> = [
      ['signup', ['auth', 'signup', '--email', 's@example.com', '--name', 'S', '--password-stdin'], `${PASSWORD}\n`],
      ['init', ['db', 'init']],
      ['migrate', ['db', 'migrate']],
      ['demo', ['demo']],
    ];
    for (const [name, args, input] of cases) {
      const file = made(name);
      const r = await sb.run(['--db', file, ...args], input ? { input } : {});
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(mode(file)).toBe('600');
      expect(mode(path.dirname(file))).toBe('700');
    }
  });

  it('TKT_DB="" is exit 2, like --db "", and no default store appears', async () => {
    const sb = sandbox();
    for (const args of [['db', 'status'], ['db', 'init'], ['auth', 'signup', '--email', 'e@example.com', '--name', 'E', '--password-stdin']]) {
      const viaEnv = await sb.run(args, { env: { TKT_DB: '' }, input: `${PASSWORD}\n` });
      expect(viaEnv.code, viaEnv.stderr).toBe(2);
      expect(viaEnv.stderr).toContain('TKT_DB');
      const viaFlag = await sb.run(['--db', '', ...args], { input: `${PASSWORD}\n` });
      expect(viaFlag.code).toBe(2);
    }
    // HOME is the sandbox: the default store would be under .local/share/tkt.
    expect(fs.existsSync(path.join(sb.dir, '.local'))).toBe(false);
    expect(fs.existsSync(sb.dbPath)).toBe(false);
  });

  it('demo with TKT_DB set leaves that store untouched and builds its own', async () => {
    const sb = sandbox();
    await sb.person('owner@example.com');
    const before = sha(sb.dbPath);
    const r = await sb.run(['demo', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const demoDb = r.json().db as string;
    expect(demoDb).not.toBe(sb.dbPath);
    expect(fs.existsSync(demoDb)).toBe(true);
    expect(sha(sb.dbPath)).toBe(before);
    fs.rmSync(path.dirname(demoDb), { recursive: true, force: true });
  });

  it('demo --db is exit 2 on an existing store (or any file), and builds at a new path', async () => {
    const sb = sandbox();
    await sb.person('owner@example.com');
    const before = sha(sb.dbPath);
    const existing = await sb.run(['demo', '--db', sb.dbPath]);
    expect(existing.code).toBe(2);
    expect(existing.stderr).toContain('demo builds a new store');
    expect(sha(sb.dbPath)).toBe(before);
    const fresh = path.join(sb.dir, 'demo-here.db');
    const made = await sb.run(['demo', '--db', fresh, '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.json().db).toBe(fresh);
    expect((await sb.run(['demo', '--db', fresh])).code).toBe(2);
  });

  it('db status shows no counts of anyone\'s data, logged out or in', async () => {
    const sb = sandbox();
    const alice = await sb.person('alice@example.com');
    expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
    expect((await alice.run(['--org', 'acme', 'ticket', 'create', '--title', 'secret plans'])).code).toBe(0);
    for (const r of [await sb.run(['db', 'status', '--json']), await alice.run(['db', 'status', '--json'])]) {
      expect(r.code, r.stderr).toBe(0);
      expect(Object.keys(r.json()).sort()).toEqual(['latestVersion', 'pending', 'schemaVersion', 'sqlite', 'store', 'upToDate']);
    }
    const text = await sb.run(['db', 'status']);
    expect(text.stdout).not.toMatch(/users|orgs|members|tickets/);
  });

  it('a config folder open to others is tightened to 0700', async () => {
    const sb = sandbox();
    const alice = await sb.person('alice@example.com');
    fs.chmodSync(alice.configDir, 0o777);
    const r = await alice.run(['auth', 'status']);
    expect(r.code, r.stderr).toBe(0);
    expect(mode(alice.configDir)).toBe('700');
    // One that a login creates, under umask 000, too.
    const fresh = path.join(sb.dir, 'new-config');
    execFileSync('sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, 'auth', 'login', '--email', 'alice@example.com', '--password-stdin'], {
      env: sb.env(fresh) as NodeJS.ProcessEnv,
      cwd: sb.dir,
      input: `${PASSWORD}\n`,
      stdio: 'pipe',
    });
    expect(mode(fresh)).toBe('700');
  });
});

describe('damaged stores are exit 7 with one clear message (item 13)', () => {
  async function storeWithData(): Promise<Sandbox> {
    const sb = sandbox();
    const alice = await sb.person('alice@example.com');
    expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
    expect((await alice.run(['--org', 'acme', 'ticket', 'create', '--title', 'one'])).code).toBe(0);
    return sb;
  }

  function damage(file: string, sql: string): void {
    const raw = new Database(file);
    try {
      raw.pragma('foreign_keys = OFF');
      raw.exec(sql);
    } finally {
      raw.close();
    }
  }

  async function expectDamaged(sb: Sandbox, says: RegExp): Promise<void> {
    for (const args of [['db', 'status'], ['db', 'check'], ['db', 'status', '--json']]) {
      const r = await sb.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(7);
      expect(r.stderr).toMatch(says);
      noStack(r);
      if (args.includes('--json')) expect(JSON.parse(r.stderr).error.code).toBe('store');
    }
  }

  it('a dropped table', async () => {
    const sb = await storeWithData();
    damage(sb.dbPath, 'DROP TABLE comments');
    await expectDamaged(sb, /comments is missing/);
  });

  it('a dropped table, met by an ordinary command', async () => {
    const sb = await storeWithData();
    damage(sb.dbPath, 'DROP TABLE ticket_labels');
    const alice = await sb.person('bob@example.com');
    const r = await alice.run(['org', 'list']);
    expect(r.code).toBe(0);
    const tickets = await sb.run(['--org', 'acme', 'ticket', 'list'], { configDir: alice.configDir });
    expect([4, 7]).toContain(tickets.code); // bob is no member: the guard may refuse first
    const owner = path.join(sb.dir, 'config-alice_example_com');
    const own = await sb.run(['--org', 'acme', 'ticket', 'list'], { configDir: owner });
    expect(own.code, own.stderr).toBe(7);
    expect(own.stderr).toContain('is damaged: no such table: ticket_labels');
    noStack(own);
  });

  it('an object of a later migration missing (history says applied)', async () => {
    const sb = await storeWithData();
    damage(sb.dbPath, 'DROP INDEX audit_org_number_uq');
    await expectDamaged(sb, /index audit_org_number_uq is missing/);
  });

  it('a row deleted from the migration history (not the last)', async () => {
    const sb = await storeWithData();
    damage(sb.dbPath, `DELETE FROM __drizzle_migrations WHERE id = (SELECT id FROM __drizzle_migrations ORDER BY created_at LIMIT 1 OFFSET 3)`);
    await expectDamaged(sb, /migration history is out of step with the schema/);
  });

  it('the last row deleted from the migration history', async () => {
    const sb = await storeWithData();
    const before = sha(sb.dbPath);
    damage(sb.dbPath, `DELETE FROM __drizzle_migrations WHERE id = (SELECT max(id) FROM __drizzle_migrations)`);
    const damaged = sha(sb.dbPath);
    expect(damaged).not.toBe(before);
    await expectDamaged(sb, /migration history is out of step with its schema/);
    expect(sha(sb.dbPath)).toBe(damaged);
  });

  it('corrupt pages in the middle of the file', async () => {
    const sb = await storeWithData();
    const alice = path.join(sb.dir, 'config-alice_example_com');
    const tickets = JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ title: `ticket ${i}`, body: 'x'.repeat(500) })));
    fs.writeFileSync(path.join(sb.dir, 'many.json'), tickets);
    const imported = await sb.run(['--org', 'acme', 'ticket', 'import', 'many.json'], { configDir: alice });
    expect(imported.code, imported.stderr).toBe(0);
    const size = fs.statSync(sb.dbPath).size;
    const page = 4096;
    const middle = Math.floor(size / page / 2) * page;
    const fd = fs.openSync(sb.dbPath, 'r+');
    fs.writeSync(fd, Buffer.alloc(page * 4, 0xa5), 0, page * 4, middle);
    fs.closeSync(fd);
    await expectDamaged(sb, /damaged|corrupt|malformed/);
  });
});
