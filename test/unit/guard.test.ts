import { afterEach, describe, expect, it } from 'vitest';
import * as auth from '../../src/domain/auth.js';
import { enterOrg } from '../../src/domain/guard.js';
import * as orgs from '../../src/domain/orgs.js';
import { seedMember } from '../support/members.js';
import { failure, openTestWorld, type TestWorld } from '../support/world.js';

// On both stores (test/support/world.ts): on PostgreSQL as the CLI's login role, under row-level security.
let world: TestWorld;
afterEach(() => world?.close());

describe('authentication is re-checked in the store', () => {
  it('expires sessions after 30 days and honours revocation', async () => {
    world = await openTestWorld();
    const grant = await auth.signup(world.deps, { email: 'a@example.com', name: 'A', password: 'long enough pw' });
    await auth.authenticate(world.deps, grant.sessionToken, 'session');
    world.clock.advance(auth.SESSION_TTL_MS + 1);
    const expired = await failure(auth.authenticate(world.deps, grant.sessionToken, 'session'));
    expect(expired.exitCode).toBe(3);
    expect(expired.message).toContain('expired');

    const again = await auth.login(world.deps, { email: 'A@example.com', password: 'long enough pw' });
    world.remember(again.sessionToken); // PostgreSQL: the session the world presents when she acts
    const principal = await auth.authenticate(world.deps, again.sessionToken, 'session');
    const token = await auth.createToken(world.deps, principal, { name: 'ci', ttlMs: 60_000 });
    await auth.authenticate(world.deps, token.token, 'TKT_TOKEN');
    await auth.revokeToken(world.deps, principal, token.id);
    expect((await failure(auth.authenticate(world.deps, token.token, 'TKT_TOKEN'))).message).toContain('revoked');
    await auth.logout(world.deps, principal);
    expect((await failure(auth.authenticate(world.deps, again.sessionToken, 'session'))).message).toContain('logged out');
  });

  it('stores only hashes of secrets', async () => {
    world = await openTestWorld();
    const grant = await auth.signup(world.deps, { email: 'a@example.com', name: 'A', password: 'long enough pw' });
    const rows = world.db.prepare('SELECT token_hash FROM credentials').all() as Array<{ token_hash: string }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(grant.sessionToken.slice(5));
    const users = world.db.prepare('SELECT password_hash FROM users').all() as Array<{ password_hash: string }>;
    expect(users[0]!.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(users[0]!.password_hash).not.toContain('long enough pw');
  });
});

describe('the tenant guard', () => {
  it('answers the same for an unknown org and an org you do not belong to', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const mallory = await world.user('mallory@example.com');
    await world.org(alice, 'Acme');
    const notMine = await failure(world.tenant(mallory, 'acme'));
    const unknown = await failure(world.tenant(mallory, 'nope'));
    expect(notMine.exitCode).toBe(4);
    expect(unknown.exitCode).toBe(4);
    expect(notMine.message.replace('acme', 'X')).toBe(unknown.message.replace('nope', 'X'));
  });

  it('checks the permission against the role read from the store on every entry', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const acme = await world.org(alice, 'Acme');
    await world.tenant(alice, 'acme', 'org:delete');
    // Demote alice behind the tool's back: the very next entry sees it. (Another owner first: on
    // PostgreSQL the database itself refuses to leave an org without an owner.)
    await world.user('bob@example.com');
    seedMember(world.db, 'acme', 'bob@example.com', 'owner');
    world.db
      .prepare(
        `UPDATE memberships SET role_id = (SELECT id FROM roles WHERE organization_id = ? AND code = 'viewer')
         WHERE organization_id = ? AND user_id = ?`,
      )
      .run(acme.ctx.org.id, acme.ctx.org.id, alice.user.id);
    const denied = await failure(world.tenant(alice, 'acme', 'org:delete'));
    expect(denied.exitCode).toBe(4);
    expect(denied.message).toContain('viewer');
    await world.tenant(alice, 'acme', 'ticket:read');
  });

  it('explains a stale saved org differently from a typed slug, without revealing anything', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const bob = await world.user('bob@example.com');
    const acme = await world.org(alice, 'Acme');
    const stale = await failure(enterOrg(world.store, bob, { ref: { id: acme.ctx.org.id }, source: 'config' }, 'ticket:read'));
    const missing = await failure(enterOrg(world.store, bob, { ref: { id: 99999 }, source: 'config' }, 'ticket:read'));
    expect(stale.message).toBe(missing.message);
    expect(stale.hint).toContain('tkt org switch');
    const none = await failure(enterOrg(world.store, bob, undefined, 'ticket:read'));
    expect(none.exitCode).toBe(2);
  });
});

describe('org create', () => {
  it('is all or nothing: a duplicate key leaves no org, role or membership behind', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    await world.org(alice, 'Acme');
    const count = (table: string) => Number((world.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
    const before = [count('organizations'), count('roles'), count('memberships'), count('audit_events')];
    const dup = await failure(orgs.createOrg(world.store, alice, { name: 'Acme Two', key: 'ACME' }));
    expect(dup.exitCode).toBe(6);
    expect([count('organizations'), count('roles'), count('memberships'), count('audit_events')]).toEqual(before);
  });

  it('creates the four system roles and the owner membership, audited', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const acme = await world.org(alice, 'Acme Corp');
    expect(acme.ctx.org).toMatchObject({ slug: 'acme-corp', ticketKey: 'ACME' });
    expect(acme.ctx.role.code).toBe('owner');
    const roles = world.db
      .prepare('SELECT code FROM roles WHERE organization_id = ? ORDER BY id')
      .all(acme.ctx.org.id)
      .map((r) => (r as { code: string }).code);
    expect(roles).toEqual(['owner', 'admin', 'member', 'viewer']);
    const events = await acme.store.audit.list({ limit: 0 });
    expect(events.map((e) => e.action)).toEqual(['org.create']);
  });
});
