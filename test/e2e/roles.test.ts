// Members, roles and access through the real CLI: each rule of issue 3 attacked from the terminal.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember, seedTicket } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let owner: Person;
let admin: Person;
let mem: Person;
let viewer: Person;

const seed = (email: string, role: string, org = 'acme') => withStore(sb, (db) => seedMember(db, org, email, role));
const roleIn = (email: string, org = 'acme') =>
  withStore(sb, (db) =>
    (
      db
        .prepare(
          `SELECT r.code FROM memberships m JOIN roles r ON r.id = m.role_id AND r.organization_id = m.organization_id
           JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id WHERE u.email = ? AND o.slug = ?`,
        )
        .get(email, org) as { code: string } | undefined
    )?.code ?? null,
  );

beforeAll(async () => {
  [owner, admin, mem, viewer] = (await Promise.all(
    ['owner', 'admin', 'mem', 'viewer'].map((n) => sb.person(`${n}@example.com`)),
  )) as [Person, Person, Person, Person];
  expect((await owner.run(['org', 'create', 'Acme'])).code).toBe(0);
  seed('admin@example.com', 'admin');
  seed('mem@example.com', 'member');
  seed('viewer@example.com', 'viewer');
});

describe('the catalogue and the system roles', () => {
  it('role permissions lists every permission and both wildcards; role list the four system roles', async () => {
    const catalogue = await viewer.run(['--org', 'acme', 'role', 'permissions', '--json']);
    expect(catalogue.code, catalogue.stderr).toBe(0);
    expect(catalogue.json().map((p: { code: string }) => p.code)).toEqual([
      'org:update', 'org:delete', 'member:read', 'member:invite', 'member:remove', 'member:role', 'role:read', 'role:manage',
      'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete', 'audit:read', 'workflow:manage', '*', 'ticket:*',
    ]);
    const listed = await mem.run(['--org', 'acme', 'role', 'list']);
    expect(listed.lines().map((l) => l.split('\t').slice(0, 4))).toEqual([
      ['owner', 'Owner', 'yes', '1'],
      ['admin', 'Admin', 'yes', '1'],
      ['member', 'Member', 'yes', '1'],
      ['viewer', 'Viewer', 'yes', '1'],
    ]);
    expect((await viewer.run(['--org', 'acme', 'role', 'list'])).code).toBe(4); // viewer lacks role:read
  });
});

describe('custom roles', () => {
  it('validates the code (2), refuses system codes and duplicates (6) and unknown permissions (2, listing the valid ones)', async () => {
    const bad = await owner.run(['--org', 'acme', 'role', 'create', 'Lead_1', '--name', 'Lead', '--permissions', 'ticket:*']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('2-32 characters');
    expect((await owner.run(['--org', 'acme', 'role', 'create', 'admin', '--name', 'A', '--permissions', 'ticket:read'])).code).toBe(6);
    const unknown = await owner.run(['--org', 'acme', 'role', 'create', 'lead', '--name', 'Lead', '--permissions', 'ticket:*,tickets:fly', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: 'usage', message: expect.stringContaining('tickets:fly') });
    expect(JSON.parse(unknown.stderr).error.hint).toContain('member:invite');
    const created = await owner.run(['--org', 'acme', 'role', 'create', 'lead', '--name', 'Lead', '--permissions', 'ticket:*, member:read']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe('lead\n');
    const dup = await admin.run(['--org', 'acme', 'role', 'create', 'lead', '--name', 'Again', '--permissions', 'ticket:read']);
    expect(dup.code).toBe(6);
    expect(dup.stderr).toContain('already exists');
    const shown = await mem.run(['--org', 'acme', 'role', 'show', 'lead', '--json']);
    expect(shown.json()).toEqual({
      code: 'lead',
      name: 'Lead',
      permissions: ['ticket:*', 'member:read'],
      system: false,
      members: 0,
      effectivePermissions: ['member:read', 'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete'],
    });
  });

  it('owner cannot be edited; no system role deleted; a role in use is kept (6, naming the count) unless --reassign', async () => {
    const editOwner = await owner.run(['--org', 'acme', 'role', 'edit', 'owner', '--name', 'Boss']);
    expect(editOwner.code).toBe(6);
    expect(editOwner.stderr).toContain('owner role cannot be edited');
    expect((await owner.run(['--org', 'acme', 'role', 'delete', '-y', 'viewer'])).code).toBe(6);
    await owner.run(['--org', 'acme', 'role', 'create', 'temp', '--name', 'Temp', '--permissions', 'ticket:read']);
    seed('viewer@example.com', 'temp');
    seed('mem@example.com', 'temp');
    const inUse = await owner.run(['--org', 'acme', 'role', 'delete', '-y', 'temp']);
    expect(inUse.code).toBe(6);
    expect(inUse.stderr).toContain('2 members hold it');
    expect(inUse.stderr).toContain('--reassign');
    const reassigned = await admin.run(['--org', 'acme', 'role', 'delete', '-y', 'temp', '--reassign', 'viewer', '--json']);
    expect(reassigned.code, reassigned.stderr).toBe(0);
    expect(reassigned.json()).toEqual({ deleted: 'temp', reassignedTo: 'viewer', reassigned: ['mem@example.com', 'viewer@example.com'], voidedInvitations: [] });
    expect([roleIn('mem@example.com'), roleIn('viewer@example.com')]).toEqual(['viewer', 'viewer']);
    seed('mem@example.com', 'member');
    expect((await owner.run(['--org', 'acme', 'role', 'show', 'temp'])).code).toBe(5);
  });
});

describe('no escalation through the CLI', () => {
  it('an admin cannot make an owner, demote an owner, raise themselves, or define a role with more than they hold', async () => {
    const cases: Array<[Person, string[]]> = [
      [admin, ['member', 'set-role', 'mem@example.com', 'owner']],
      [admin, ['member', 'set-role', 'owner@example.com', 'viewer']],
      [admin, ['member', 'set-role', 'admin@example.com', 'owner']],
      [admin, ['role', 'create', 'almighty', '--name', 'All', '--permissions', '*']],
      [admin, ['role', 'edit', 'admin', '--permissions', 'org:delete,org:update']],
      [mem, ['member', 'set-role', 'mem@example.com', 'admin']],
      [viewer, ['member', 'set-role', 'viewer@example.com', 'member']],
    ];
    const results = await Promise.all(cases.map(([who, args]) => who.run(['--org', 'acme', ...args])));
    expect(results.map((r) => r.code)).toEqual(cases.map(() => 4));
    expect(results[3]!.stderr).toContain('org:delete');
    expect([roleIn('owner@example.com'), roleIn('admin@example.com'), roleIn('mem@example.com'), roleIn('viewer@example.com')]).toEqual([
      'owner', 'admin', 'member', 'viewer',
    ]);
    expect(withStore(sb, (db) => db.prepare("SELECT count(*) AS n FROM roles WHERE code = 'almighty'").get())).toEqual({ n: 0 });
  });

  it('what an admin may do, it does: set-role within its permissions, with output modes', async () => {
    const r = await admin.run(['--org', 'acme', 'member', 'set-role', 'viewer@example.com', 'member', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ email: 'viewer@example.com', role: 'member' });
    const plain = await admin.run(['--org', 'acme', 'member', 'set-role', 'viewer@example.com', 'viewer']);
    expect(plain.stderr).toContain('is now viewer in acme (was member)');
    const listed = await viewer.run(['--org', 'acme', 'member', 'list']);
    expect(listed.lines().map((l) => l.split('\t').slice(0, 3).join(' '))).toEqual([
      'admin@example.com admin admin',
      'mem@example.com mem member',
      'owner@example.com owner owner',
      'viewer@example.com viewer viewer',
    ]);
    expect((await viewer.run(['--org', 'acme', 'member', 'list', '-q'])).stdout).toBe(
      'admin@example.com\nmem@example.com\nowner@example.com\nviewer@example.com\n',
    );
  });
});

describe('permission changes take effect on the very next command', () => {
  it('a new role, an edited role and a removed permission apply at once; the config holds no role', async () => {
    const auditor = ['--org', 'acme', 'audit', 'list', '--limit', '1'];
    expect((await viewer.run(auditor)).code).toBe(4);
    await owner.run(['--org', 'acme', 'role', 'create', 'auditor', '--name', 'Auditor', '--permissions', 'member:read']);
    await owner.run(['--org', 'acme', 'member', 'set-role', 'viewer@example.com', 'auditor']);
    expect((await viewer.run(auditor)).code).toBe(4);
    await owner.run(['--org', 'acme', 'role', 'edit', 'auditor', '--permissions', 'member:read,audit:read']);
    expect((await viewer.run(auditor)).code).toBe(0);
    await admin.run(['--org', 'acme', 'role', 'edit', 'auditor', '--permissions', 'member:read']);
    expect((await viewer.run(auditor)).code).toBe(4);
    const config = JSON.parse(fs.readFileSync(path.join(viewer.configDir, 'config.json'), 'utf8'));
    expect(Object.keys(config.stores[sb.storeLabel]).sort()).toEqual(['session']);
    seed('viewer@example.com', 'viewer');
  });
});

describe('member remove', () => {
  it('ends access at once, unassigns their tickets here in the same change, and keeps their account and other orgs', async () => {
    const gone = await sb.person('gone@example.com');
    await gone.run(['org', 'create', 'Gone Own']);
    seed('gone@example.com', 'member');
    expect((await gone.run(['org', 'switch', 'acme'])).code).toBe(0);
    const keys = withStore(sb, (db) => [
      seedTicket(db, 'acme', 'first', 'owner@example.com', 'gone@example.com'),
      seedTicket(db, 'acme', 'second', 'gone@example.com', 'gone@example.com'),
      seedTicket(db, 'acme', 'not theirs', 'gone@example.com', 'mem@example.com'),
    ]);
    expect((await mem.run(['--org', 'acme', 'member', 'remove', '-y', 'gone@example.com'])).code).toBe(4); // member lacks member:remove
    const removed = await admin.run(['--org', 'acme', 'member', 'remove', '-y', 'Gone@Example.com', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.json()).toEqual({ removed: 'gone@example.com', org: 'acme', role: 'member', unassignedTickets: keys.slice(0, 2) });
    const assignees = withStore(sb, (db) =>
      db.prepare("SELECT t.number, u.email FROM tickets t JOIN organizations o ON o.id = t.organization_id LEFT JOIN users u ON u.id = t.assignee_id WHERE o.slug = 'acme' ORDER BY t.number").all(),
    );
    expect(assignees).toEqual([
      { number: 1, email: null },
      { number: 2, email: null },
      { number: 3, email: 'mem@example.com' },
    ]);
    const next = await gone.run(['org', 'current']);
    expect(next.code).toBe(4);
    expect(next.stderr).toContain('tkt org switch');
    expect((await gone.run(['--org', 'acme', 'member', 'list'])).code).toBe(4);
    expect((await gone.run(['org', 'list', '-q'])).stdout).toBe('gone-own\n');
    const events = await owner.run(['--org', 'acme', 'audit', 'list', '--action', 'member.remove', '--json']);
    expect(events.json()).toEqual([
      expect.objectContaining({ actor: { email: 'admin@example.com', name: 'admin' }, target: 'gone@example.com', details: { role: 'member', unassignedTickets: keys.slice(0, 2) } }),
    ]);
    expect((await admin.run(['--org', 'acme', 'member', 'remove', '-y', 'gone@example.com'])).code).toBe(5);
  });
});

describe('access check', () => {
  it('exit 0 with the granting role, exit 4 with why not; --user needs member:read', async () => {
    const yes = await mem.run(['--org', 'acme', 'access', 'check', 'ticket:create', '--json']);
    expect(yes.code).toBe(0);
    expect(yes.json()).toMatchObject({ allowed: true, role: 'member', via: ['ticket:create'], email: 'mem@example.com' });
    const no = await mem.run(['--org', 'acme', 'access', 'check', 'ticket:delete']);
    expect(no.code).toBe(4);
    expect(no.stdout).toContain('allowed\tno');
    expect(no.stderr).toContain('role "member"');
    expect(no.stderr).toContain('does not grant ticket:delete');
    const about = await viewer.run(['--org', 'acme', 'access', 'check', 'org:delete', '--user', 'owner@example.com', '--json']);
    expect(about.json()).toMatchObject({ allowed: true, role: 'owner', via: ['*'], email: 'owner@example.com' });
    await owner.run(['--org', 'acme', 'role', 'create', 'bot', '--name', 'Bot', '--permissions', 'ticket:read']);
    seed('viewer@example.com', 'bot');
    const nosy = await viewer.run(['--org', 'acme', 'access', 'check', 'ticket:read', '--user', 'owner@example.com']);
    expect(nosy.code).toBe(4);
    expect(nosy.stderr).toContain('member:read');
    seed('viewer@example.com', 'viewer');
    const stranger = await owner.run(['--org', 'acme', 'access', 'check', 'ticket:read', '--user', 'nobody@example.com']);
    expect(stranger.code).toBe(4);
    expect(stranger.stderr).toContain('not a member');
    const unknown = await mem.run(['--org', 'acme', 'access', 'check', 'ticket:fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('ticket:comment');
  });
});

describe('always an owner, also under concurrency', () => {
  it('two owners stepping down at the same moment: exactly one succeeds, the other is refused as last owner', async () => {
    const twin = await sb.person('twin@example.com');
    await twin.run(['org', 'create', 'Twins']);
    await sb.person('twin2@example.com').then(async (other) => {
      seed('twin2@example.com', 'owner', 'twins');
      for (let round = 0; round < 2; round++) {
        const [a, b] = await Promise.all([
          twin.run(['--org', 'twins', 'member', 'set-role', 'twin@example.com', 'admin']),
          other.run(['--org', 'twins', 'member', 'set-role', 'twin2@example.com', 'admin']),
        ]);
        expect([a.code, b.code].sort()).toEqual([0, 6]);
        expect([a, b].find((r) => r.code === 6)!.stderr).toContain('last owner');
        expect([roleIn('twin@example.com', 'twins'), roleIn('twin2@example.com', 'twins')].filter((r) => r === 'owner')).toHaveLength(1);
        seed('twin@example.com', 'owner', 'twins');
        seed('twin2@example.com', 'owner', 'twins');
      }
    });
  });
});

describe('audit', () => {
  it('every member and role change wrote its event', async () => {
    const events = await owner.run(['--org', 'acme', 'audit', 'list', '--limit', '0', '--json', 'action,target,details']);
    const seen = new Set(events.json().map((e: { action: string }) => e.action));
    for (const action of ['member.role', 'member.remove', 'role.create', 'role.edit', 'role.delete']) expect(seen).toContain(action);
    expect(events.json()).toContainEqual({
      action: 'role.edit',
      target: 'auditor',
      details: { permissions: { from: ['member:read'], to: ['member:read', 'audit:read'] } },
    });
  });
});
