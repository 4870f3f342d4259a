import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSWORD, Sandbox } from '../support/cli.js';
import { onPostgres, onSqlite } from '../support/stores.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

describe('signup, orgs and the active org (real CLI, real scrypt)', () => {
  const configDir = path.join(sb.dir, 'alice');
  const alice = (args: string[], input?: string) => sb.run(args, { configDir, ...(input !== undefined ? { input } : {}) });

  it('signs up from stdin, creates orgs, switches, and reports status', async () => {
    const signup = await alice(['auth', 'signup', '--email', 'Alice@Example.com', '--name', 'Alice', '--password-stdin'], 's3cret-pass-phrase\n');
    expect(signup.code, signup.stderr).toBe(0);
    expect(signup.stderr).toContain('Signed up');

    expect((await alice(['org', 'create', 'Acme Corp'])).stdout).toBe('acme-corp\n');
    const side = await alice(['org', 'create', 'Side Project', '--json']);
    expect(side.json()).toMatchObject({ slug: 'side-project', key: 'SIDE', role: 'owner' });

    const listed = await alice(['org', 'list']);
    expect(listed.lines()).toEqual(['acme-corp\tAcme Corp\tACME\towner\t', 'side-project\tSide Project\tSIDE\towner\t*']);

    expect((await alice(['org', 'switch', 'acme-corp'])).stderr).toContain('Switched to acme-corp');
    expect((await alice(['org', 'current', '--json', 'slug,role'])).json()).toEqual({ slug: 'acme-corp', role: 'owner' });
    expect((await alice(['--org', 'side-project', 'org', 'current', '-q'])).stdout).toBe('side-project\n');
    expect((await alice(['org', 'current', '--org', 'side-project', '-q'])).stdout).toBe('side-project\n');

    const status = await alice(['auth', 'status', '--json']);
    expect(status.json()).toMatchObject({ email: 'alice@example.com', org: 'acme-corp', role: 'owner', via: 'session' });
  });

  it('refuses a duplicate email, slug and key with exit 6', async () => {
    const dup = await sb.run(['auth', 'signup', '--email', 'alice@EXAMPLE.com', '--name', 'A', '--password-stdin'], { input: 'another-long-pass\n' });
    expect(dup.code).toBe(6);
    expect((await alice(['org', 'create', 'Acme Corp'])).code).toBe(6);
    const key = await alice(['org', 'create', 'Other', '--key', 'ACME', '--json']);
    expect(key.code).toBe(6);
    expect(JSON.parse(key.stderr).error.code).toBe('conflict');
  });

  it('refuses a short password and bad slugs with exit 2', async () => {
    expect((await sb.run(['auth', 'signup', '--email', 'b@example.com', '--name', 'B', '--password-stdin'], { input: 'short\n' })).code).toBe(2);
    expect((await alice(['org', 'create', 'X', '--slug', 'Bad Slug'])).code).toBe(2);
    expect((await alice(['org', 'create', 'X', '--key', 'toolongforakey'])).code).toBe(2);
  });

  it('logs in with the right password only, and logout ends the session', async () => {
    const other = path.join(sb.dir, 'alice-laptop-2');
    const wrong = await sb.run(['auth', 'login', '--email', 'alice@example.com', '--password-stdin'], { configDir: other, input: 'wrong-password!\n' });
    expect(wrong.code).toBe(3);
    const unknown = await sb.run(['auth', 'login', '--email', 'nobody@example.com', '--password-stdin'], { configDir: other, input: 'wrong-password!\n' });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(wrong.stderr);
    const ok = await sb.run(['auth', 'login', '--email', 'alice@example.com', '--password-stdin'], { configDir: other, input: 's3cret-pass-phrase\n' });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await sb.run(['auth', 'logout'], { configDir: other })).code).toBe(0);
    expect((await sb.run(['org', 'list'], { configDir: other })).code).toBe(3);
    // the first laptop's session is untouched
    expect((await alice(['org', 'list', '-q'])).code).toBe(0);
  });

  it('keeps the config and the store private (mode 0600)', () => {
    expect(fs.statSync(path.join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
    // A PostgreSQL store is no file of ours: the server keeps it.
    if (onSqlite) expect(fs.statSync(sb.dbPath).mode & 0o777).toBe(0o600);
  });
});

describe('API tokens', () => {
  it('work as TKT_TOKEN with no config at all, and stop working when revoked or expired', async () => {
    const bob = await sb.person('bob@example.com');
    await bob.run(['org', 'create', 'Bob Co']);
    const created = await bob.run(['auth', 'token', 'create', '--name', 'ci', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { token, id } = created.json();
    expect(token).toMatch(/^tktp_[A-Za-z0-9_-]{43}$/);

    const ci = (args: string[]) => sb.run(args, { env: { TKT_TOKEN: token, TKT_ORG: 'bob-co' } });
    expect((await ci(['org', 'current', '-q'])).stdout).toBe('bob-co\n');
    expect((await ci(['auth', 'status', '--json'])).json()).toMatchObject({ via: 'token', email: 'bob@example.com' });

    const listed = await bob.run(['auth', 'token', 'list', '--json']);
    expect(listed.stdout).not.toContain(token);
    expect(listed.json()).toEqual([expect.objectContaining({ id, name: 'ci', state: 'active' })]);

    expect((await bob.run(['auth', 'token', 'revoke', '-y', String(id)])).code).toBe(0);
    const revoked = await ci(['org', 'current']);
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toContain('revoked');
    expect((await bob.run(['auth', 'token', 'revoke', '-y', String(id)])).code).toBe(5);

    expect((await sb.run(['org', 'list'], { env: { TKT_TOKEN: 'tktp_garbage' } })).code).toBe(3);
  });

  it('refuses bad --expires values', async () => {
    const carol = await sb.person('carol@example.com');
    expect((await carol.run(['auth', 'token', 'create', '--name', 'x', '--expires', 'soon'])).code).toBe(2);
    expect((await carol.run(['auth', 'token', 'create', '--name', 'x', '--expires', '30s'])).code).toBe(2);
    expect((await carol.run(['auth', 'token', 'create', '--name', 'x', '--expires', '400d'])).code).toBe(2);
  });
});

describe('the tenant guard against a tampered or stale client side', () => {
  it('treats an unknown org and an org you do not belong to the same (exit 4)', async () => {
    const dave = await sb.person('dave@example.com');
    const erin = await sb.person('erin@example.com');
    await dave.run(['org', 'create', 'Dave Secret']);
    const notMine = await erin.run(['--org', 'dave-secret', 'audit', 'list']);
    const unknown = await erin.run(['--org', 'no-such-org', 'audit', 'list']);
    expect(notMine.code).toBe(4);
    expect(unknown.code).toBe(4);
    expect(notMine.stderr.replace('dave-secret', 'X')).toBe(unknown.stderr.replace('no-such-org', 'X'));
  });

  it('re-checks a config that points at another org id, and a garbage session', async () => {
    const frank = await sb.person('frank@example.com');
    const gina = await sb.person('gina@example.com');
    await gina.run(['org', 'create', 'Gina Inc']);
    const ginaOrgId = JSON.parse(fs.readFileSync(path.join(gina.configDir, 'config.json'), 'utf8')).stores[sb.storeLabel].activeOrgId;
    const file = path.join(frank.configDir, 'config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    config.stores[sb.storeLabel].activeOrgId = ginaOrgId;
    fs.writeFileSync(file, JSON.stringify(config));
    const r = await frank.run(['audit', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('tkt org switch');

    config.stores[sb.storeLabel].session = 'tkts_' + 'A'.repeat(43);
    fs.writeFileSync(file, JSON.stringify(config));
    expect((await frank.run(['org', 'list'])).code).toBe(3);
    fs.writeFileSync(file, '{not json');
    const corrupt = await frank.run(['org', 'list']);
    expect(corrupt.code).toBe(3);
    expect(corrupt.stderr).toContain('not valid JSON');
    expect(corrupt.stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for an org when none is selected (exit 2), and an expired session is exit 3', async () => {
    const hal = await sb.person('hal@example.com');
    const none = await hal.run(['audit', 'list']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--org');
  });
});

describe('store and usage errors', () => {
  it('a file that is not SQLite is exit 7 without a stack trace', async () => {
    const bogus = path.join(sb.dir, 'not-a-db');
    fs.writeFileSync(bogus, 'hello, I am a text file '.repeat(100));
    const r = await sb.run(['--db', bogus, 'db', 'status']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('not a tkt store');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('unknown commands and flags are exit 2 with a suggestion', async () => {
    const r = await sb.run(['org', 'lsit']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('list');
    expect((await sb.run(['org', 'list', '--frobnicate'])).code).toBe(2);
    const json = await sb.run(['nope', '--json']);
    expect(JSON.parse(json.stderr).error.code).toBe('usage');
  });

  it('db status, migrate and check work on a fresh store', async () => {
    const status = await sb.run(['db', 'status', '--json']);
    expect(status.json()).toMatchObject(onPostgres ? { upToDate: true, pending: [] } : { upToDate: true, sqlite: { journalMode: 'wal' } });
    // On PostgreSQL, migrate is the database owner's (the README's set-up), not the team's.
    expect((await sb.run(['db', 'migrate'], onPostgres ? { env: { TKT_DB: sb.ownerDb } } : {})).code).toBe(0);
    const check = await sb.run(['db', 'check', '--json']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.json().every((c: { ok: boolean }) => c.ok)).toBe(true);
  });

  it('the password prompt is never waited for without a terminal', async () => {
    const r = await sb.run(['auth', 'login', '--email', 'alice@example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
    void PASSWORD;
  });
});

describe('--json field lists', () => {
  it('are checked before a change is made: a typo is exit 2 and writes nothing', async () => {
    const ivy = await sb.person('ivy@example.com');
    const bad = await ivy.run(['org', 'create', 'Ivy Co', '--json', 'slug,nmae']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('nmae');
    expect(bad.stderr).toContain('available fields: slug, name, key, role, active, createdAt');
    expect((await ivy.run(['org', 'list', '--json'])).json()).toEqual([]);
    expect((await ivy.run(['org', 'create', 'Ivy Co', '--json', 'slug,key'])).json()).toEqual({ slug: 'ivy-co', key: 'IVY' });
    const tokenBad = await ivy.run(['auth', 'token', 'create', '--name', 'x', '--json', 'secret']);
    expect(tokenBad.code).toBe(2);
    expect((await ivy.run(['auth', 'token', 'list', '--json'])).json()).toEqual([]);
    expect((await ivy.run(['auth', 'logout', '--json', 'loggedOut'])).json()).toEqual({ loggedOut: true });
  });
});
