// No escalation, exhaustively: every (actor role, target role, new role) among the four system
// roles and two custom ones, through the real domain code, the guard and the store of the test
// project (test/support/world.ts; on PostgreSQL under row-level security, the roles set behind
// tkt's back by the owner). The expectation is computed from hand-written permission sets, not from
// the code under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as members from '../../src/domain/members.js';
import * as roles from '../../src/domain/roles.js';
import type { Principal } from '../../src/domain/auth.js';
import { isTktError } from '../../src/errors.js';
import { openTestWorld, type TestWorld } from '../support/world.js';
import { seedMember } from '../support/members.js';

const ALL = [
  'org:update', 'org:delete', 'member:read', 'member:invite', 'member:remove', 'member:role', 'role:read', 'role:manage',
  'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment', 'ticket:delete', 'audit:read',
];
const TICKET_ALL = ALL.filter((p) => p.startsWith('ticket:'));

/** What each role grants, spelled out. */
const GRANTS: Record<string, string[]> = {
  owner: ALL,
  admin: ALL.filter((p) => p !== 'org:delete'),
  member: ['member:read', 'role:read', 'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment'],
  viewer: ['member:read', 'ticket:read'],
  lead: [...TICKET_ALL, 'member:read', 'member:role', 'member:remove', 'role:read', 'role:manage'],
  triage: ['ticket:read', 'ticket:assign', 'member:read', 'member:role'],
};
/** How the two custom roles are written (with a wildcard, to exercise expansion). */
const CUSTOM = {
  lead: 'ticket:*,member:read,member:role,member:remove,role:read,role:manage',
  triage: 'ticket:read,ticket:assign,member:read,member:role',
};
const ROLES = Object.keys(GRANTS);

const holds = (role: string, permission: string) => GRANTS[role]!.includes(permission);
const covers = (actor: string, role: string) => GRANTS[role]!.every((p) => GRANTS[actor]!.includes(p));

let world: TestWorld;
let owner: Principal;
let actor: Principal;
let target: Principal;

beforeAll(async () => {
  world = await openTestWorld();
  owner = await world.user('owner@example.com');
  actor = await world.user('actor@example.com');
  target = await world.user('target@example.com');
  const acme = await world.org(owner, 'Acme');
  for (const [code, permissions] of Object.entries(CUSTOM)) {
    await roles.createRole(acme, { code, name: code, permissions });
  }
});
afterAll(() => world?.close());

const sqlite = () => world.db;
const setRole = (who: Principal, role: string) => seedMember(sqlite(), 'acme', who.user.email, role);
const roleOf = (who: Principal) =>
  (
    sqlite()
      .prepare(
        `SELECT r.code FROM memberships m JOIN roles r ON r.id = m.role_id AND r.organization_id = m.organization_id
         JOIN users u ON u.id = m.user_id WHERE u.email = ?`,
      )
      .get(who.user.email) as { code: string } | undefined
  )?.code ?? null;

/** Runs a use case the way the CLI does (guard with the command's requirement, then the domain). */
async function attempt(requirement: Parameters<TestWorld['tenant']>[2], run: (t: Awaited<ReturnType<TestWorld['tenant']>>) => Promise<unknown>) {
  try {
    await run(await world.tenant(actor, 'acme', requirement));
    return 'ok';
  } catch (err) {
    if (!isTktError(err)) throw err;
    return err.code;
  }
}

describe('no escalation (exhaustive over system and custom roles)', () => {
  it('member set-role: every (actor, target, new role), and every change of one\'s own role', async () => {
    const wrong: string[] = [];
    for (const a of ROLES) {
      for (const t of ROLES) {
        for (const n of ROLES) {
          setRole(actor, a);
          setRole(target, t);
          const touchesOwner = t === 'owner' || n === 'owner';
          const expected =
            holds(a, 'member:role') && covers(a, t) && covers(a, n) && (!touchesOwner || a === 'owner') ? 'ok' : 'forbidden';
          const got = await attempt('member:role', (tenant) => members.setMemberRole(tenant, { email: target.user.email, role: n }));
          const after = roleOf(target);
          if (got !== expected || after !== (expected === 'ok' ? n : t)) wrong.push(`${a} sets ${t}→${n}: ${got}, now ${after}`);
        }
      }
      // Their own role: never up, and only an owner stays or becomes an owner.
      for (const n of ROLES) {
        setRole(actor, a);
        const expected = holds(a, 'member:role') && covers(a, n) && (n !== 'owner' || a === 'owner') ? 'ok' : 'forbidden';
        const got = await attempt('member:role', (tenant) => members.setMemberRole(tenant, { email: actor.user.email, role: n }));
        const after = roleOf(actor);
        if (got !== expected || after !== (expected === 'ok' ? n : a)) wrong.push(`${a} sets self→${n}: ${got}, now ${after}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(roleOf(owner)).toBe('owner');
  });

  it('member remove: every (actor, target)', async () => {
    const wrong: string[] = [];
    for (const a of ROLES) {
      for (const t of ROLES) {
        setRole(actor, a);
        setRole(target, t);
        const expected = holds(a, 'member:remove') && covers(a, t) && (t !== 'owner' || a === 'owner') ? 'ok' : 'forbidden';
        const got = await attempt('member:remove', (tenant) => members.removeMember(tenant, target.user.email));
        const after = roleOf(target);
        if (got !== expected || after !== (expected === 'ok' ? null : t)) wrong.push(`${a} removes ${t}: ${got}, now ${after}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('role create: every actor × a role with exactly the permissions of each role', async () => {
    const wrong: string[] = [];
    for (const a of ROLES) {
      for (const r of ROLES) {
        setRole(actor, a);
        const code = `probe-${a}-${r}`;
        const expected = holds(a, 'role:manage') && covers(a, r) ? 'ok' : 'forbidden';
        const got = await attempt('role:manage', (tenant) =>
          roles.createRole(tenant, { code, name: code, permissions: GRANTS[r]!.join(',') }),
        );
        const exists = sqlite().prepare('SELECT 1 FROM roles WHERE code = ?').get(code) !== undefined;
        if (got !== expected || exists !== (expected === 'ok')) wrong.push(`${a} creates a role like ${r}: ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('role edit: every actor × a role as it is (like viewer or lead) × new permissions (like each role)', async () => {
    const wrong: string[] = [];
    const owned = await world.tenant(owner, 'acme', 'role:manage');
    for (const a of ROLES) {
      for (const from of ['viewer', 'lead']) {
        for (const to of ROLES) {
          setRole(actor, a);
          await roles.createRole(owned, { code: 'probe', name: 'probe', permissions: GRANTS[from]!.join(',') });
          const expected = holds(a, 'role:manage') && covers(a, from) && covers(a, to) ? 'ok' : 'forbidden';
          const got = await attempt('role:manage', (tenant) => roles.editRole(tenant, 'probe', { permissions: GRANTS[to]!.join(',') }));
          const now = (sqlite().prepare("SELECT permissions FROM roles WHERE code = 'probe'").get() as { permissions: string }).permissions;
          if (got !== expected || now !== GRANTS[expected === 'ok' ? to : from]!.join(',')) wrong.push(`${a} edits a ${from}-like role to ${to}: ${got}`);
          await roles.deleteRole(owned, 'probe');
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('role delete --reassign: holders move only to a role the actor may give', async () => {
    const wrong: string[] = [];
    const owned = await world.tenant(owner, 'acme', 'role:manage');
    for (const a of ROLES) {
      for (const to of ROLES) {
        setRole(actor, a);
        await roles.createRole(owned, { code: 'doomed', name: 'doomed', permissions: 'ticket:read' });
        setRole(target, 'doomed');
        const expected =
          holds(a, 'role:manage') && holds(a, 'member:role') && covers(a, to) && (to !== 'owner' || a === 'owner') ? 'ok' : 'forbidden';
        const got = await attempt('role:manage', (tenant) => roles.deleteRole(tenant, 'doomed', to));
        const after = roleOf(target);
        if (got !== expected || after !== (expected === 'ok' ? to : 'doomed')) wrong.push(`${a} deletes reassigning to ${to}: ${got}, now ${after}`);
        if (expected !== 'ok') {
          setRole(target, 'viewer');
          await roles.deleteRole(owned, 'doomed');
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
