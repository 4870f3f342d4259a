// Issue 11.1 at the domain level: every tenant write re-checks, inside its own transaction, that
// the actor is still a member whose role grants what the write needs. Each write below is called
// with a Tenant the guard let in a moment ago, after an owner has since removed the actor, demoted
// them to a role that lacks exactly that permission, or deleted the org: forbidden, nothing written.
// The same call with the Tenant still valid succeeds, so each row can tell the two apart.
//
// The table is checked against the store's tenant repositories: a new write operation fails this
// test until it has a row here.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as attachments from '../../src/domain/attachments.js';
import type { Principal } from '../../src/domain/auth.js';
import type { Tenant } from '../../src/domain/guard.js';
import * as invites from '../../src/domain/invites.js';
import * as members from '../../src/domain/members.js';
import * as orgAdmin from '../../src/domain/org-admin.js';
import { PERMISSION_CODES, type Permission } from '../../src/domain/permissions.js';
import * as roles from '../../src/domain/roles.js';
import * as tickets from '../../src/domain/tickets/index.js';
import { importTickets } from '../../src/domain/tickets/transfer.js';
import * as workflow from '../../src/domain/workflow.js';
import { dump } from '../support/model/observe.js';
import { failure, openTestWorld, type TestWorld } from '../support/world.js';

let world: TestWorld;
afterEach(async () => world?.close());

/** What a write needs: a permission, only an owner (transfer), or only membership (leave). */
type Need = Permission | 'owner' | 'membership';

interface Row {
  /** The store operation it ends in, as `<repo>.<method>`. */
  op: string;
  need: Need;
  /** It asks `confirm` first (a prompt): the change then happens while the prompt waits. */
  prompts?: true;
  write: (t: Tenant, confirm: () => Promise<boolean>) => Promise<unknown>;
}

const ROWS: Row[] = [
  { op: 'tickets.create', need: 'ticket:create', write: (t) => tickets.createTicket(t, { title: 'late', assignee: '@me', labels: ['x'] }) },
  { op: 'tickets.edit', need: 'ticket:update', write: (t) => tickets.editTicket(t, 'ACME-1', { title: 'late', addLabels: ['x'] }) },
  { op: 'tickets.setAssignee', need: 'ticket:assign', write: (t) => tickets.assignTicket(t, 'ACME-1', 'carol@example.com') },
  { op: 'tickets.setAssignee', need: 'ticket:assign', write: (t) => tickets.unassignTicket(t, 'ACME-2') },
  { op: 'tickets.setStatus', need: 'ticket:update', write: (t) => tickets.moveTicket(t, 'ACME-1', 'done') },
  { op: 'tickets.setStatus', need: 'ticket:update', write: (t) => tickets.reopenTicket(t, 'ACME-3') },
  { op: 'tickets.addComment', need: 'ticket:comment', write: (t) => tickets.commentOnTicket(t, 'ACME-1', 'late') },
  { op: 'tickets.delete', need: 'ticket:delete', prompts: true, write: (t, confirm) => tickets.deleteTicket(t, 'ACME-1', confirm) },
  { op: 'tickets.importMany', need: 'ticket:create', write: (t) => importTickets(t, '[{"title":"late"},{"title":"later"}]', 'json') },
  { op: 'workflow.change', need: 'workflow:manage', write: (t) => workflow.addStatus(t, { code: 'late', category: 'started' }) },
  { op: 'workflow.change', need: 'workflow:manage', write: (t) => workflow.removeStatus(t, 'in_progress', 'open') },
  { op: 'members.setRole', need: 'member:role', write: (t) => members.setMemberRole(t, { email: 'carol@example.com', role: 'viewer' }) },
  { op: 'members.remove', need: 'member:remove', write: (t) => members.removeMember(t, 'carol@example.com') },
  { op: 'members.leave', need: 'membership', write: (t) => orgAdmin.leaveOrg(t) },
  { op: 'members.transferOwnership', need: 'owner', write: (t) => orgAdmin.transferOrg(t, 'carol@example.com') },
  { op: 'roles.create', need: 'role:manage', write: (t) => roles.createRole(t, { code: 'late', name: 'Late', permissions: 'ticket:read' }) },
  { op: 'roles.edit', need: 'role:manage', write: (t) => roles.editRole(t, 'lead', { name: 'Renamed' }) },
  { op: 'roles.delete', need: 'role:manage', write: (t) => roles.deleteRole(t, 'lead') },
  { op: 'invites.create', need: 'member:invite', write: (t) => invites.createInvite(t, { email: 'dan@example.com', role: 'member' }) },
  { op: 'invites.revoke', need: 'member:invite', write: (t) => invites.revokeInvite(t, 1, world.clock.now()) },
  { op: 'organization.rename', need: 'org:update', write: (t) => orgAdmin.renameOrg(t, 'Late name') },
  { op: 'organization.delete', need: 'org:delete', write: (t) => orgAdmin.deleteOrg(t) },
  { op: 'attachments.add', need: 'ticket:comment', write: (t) => attachments.addAttachments(t, 'ACME-1', [textFile('late.txt', 'late')]) },
  {
    op: 'attachments.delete',
    need: 'ticket:delete',
    prompts: true,
    write: (t, confirm) => attachments.deleteAttachment(t, 'ACME-1', 'olga.txt', async () => void (await confirm())),
  },
  { op: 'attachments.setQuota', need: 'org:update', write: (t) => attachments.setAttachmentQuota(t, 5_000_000) },
];

function textFile(name: string, text: string) {
  const content = Buffer.from(text);
  return { name, size: content.length, type: 'text/plain', sha256: createHash('sha256').update(content).digest('hex'), chunks: () => [content] };
}

/** The repositories' methods that only read. */
const READS = new Set(['tickets.findByNumber', 'tickets.list', 'tickets.count', 'tickets.comments', 'tickets.commentsOf', 'tickets.numbersByExternal', 'tickets.memberEmails', 'members.list', 'members.findByEmail', 'roles.list', 'roles.summary', 'invites.list', 'audit.list', 'attachments.list', 'attachments.find', 'attachments.content', 'attachments.usage', 'workflow.current', 'tickets.loadIn']);

/** The role the actor is demoted to: every permission but the one the write needs (admin for an owner-only write). */
function demotion(need: Need): { code: string; permissions?: string[] } | null {
  if (need === 'membership') return null;
  if (need === 'owner') return { code: 'admin' };
  return { code: 'all-but', permissions: PERMISSION_CODES.filter((p) => p !== need) };
}

const REVOCATIONS = ['removed', 'demoted', 'org deleted'] as const;

/**
 * Acme, owned by olga; bob is a second owner (he holds every permission); carol a member. ACME-1
 * open, ACME-2 assigned to carol, ACME-3 done; a custom role `lead` nobody holds; invitation 1 pending.
 * Returns bob's tenant, entered through the guard now, and olga's.
 */
async function acme(): Promise<{ bob: Tenant; olga: Tenant }> {
  world = await openTestWorld();
  const olgaUser = await world.user('olga@example.com');
  const bobUser: Principal = await world.user('bob@example.com');
  await world.user('carol@example.com');
  await world.user('dan@example.com');
  const olga = await world.org(olgaUser, 'Acme');
  const db = world.db;
  const role = (code: string) => (db.prepare("SELECT id FROM roles WHERE code = ? AND organization_id = ?").get(code, olga.ctx.org.id) as { id: number }).id;
  const userId = (email: string) => (db.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
  for (const [email, code] of [['bob@example.com', 'owner'], ['carol@example.com', 'member']] as const) {
    db.prepare('INSERT INTO memberships (organization_id, user_id, role_id, created_at) VALUES (?, ?, ?, 1)').run(olga.ctx.org.id, userId(email), role(code));
  }
  await tickets.createTicket(olga, { title: 'one' });
  await tickets.createTicket(olga, { title: 'two', assignee: 'carol@example.com' });
  await tickets.createTicket(olga, { title: 'three' });
  await tickets.moveTicket(olga, 'ACME-3', 'done');
  await roles.createRole(olga, { code: 'lead', name: 'Lead', permissions: 'ticket:read' });
  await invites.createInvite(olga, { email: 'eve@example.com', role: 'viewer' });
  await attachments.addAttachments(olga, 'ACME-1', [textFile('olga.txt', 'by olga')]);
  return { bob: await world.tenant(bobUser, 'acme', 'membership'), olga };
}

describe('a write re-checks the actor inside its transaction', () => {
  it('the table names every write operation of every tenant repository', async () => {
    const { bob } = await acme();
    const repos = world.store.forOrg(bob.ctx) as unknown as Record<string, object>;
    const operations = Object.entries(repos).flatMap(([name, repo]) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(repo))
        .filter((m) => m !== 'constructor' && !PRIVATE.has(m))
        .map((m) => `${name}.${m}`),
    );
    expect(new Set(operations.filter((op) => !READS.has(op))), 'a write with no row here (or a new private helper: add it to PRIVATE)').toEqual(
      new Set(ROWS.map((r) => r.op)),
    );
  });

  for (const row of ROWS) {
    describe(`${row.op} (${row.need})`, () => {
      it('succeeds while the actor may still write', async () => {
        const { bob } = await acme();
        const before = dump(world.db);
        await row.write(bob, async () => true);
        expect(dump(world.db)).not.toBe(before);
      });
      for (const how of REVOCATIONS) {
        const to = demotion(row.need);
        if (how === 'demoted' && !to) continue;
        it(`refuses once the actor was ${how} after the guard: forbidden, nothing written`, async () => {
          const { bob, olga } = await acme();
          let before = '';
          const revoke = async () => {
            if (how === 'removed') await members.removeMember(olga, 'bob@example.com');
            if (how === 'demoted') {
              if (to!.permissions) await roles.createRole(olga, { code: to!.code, name: 'All but one', permissions: to!.permissions.join(',') });
              await members.setMemberRole(olga, { email: 'bob@example.com', role: to!.code });
            }
            if (how === 'org deleted') await orgAdmin.deleteOrg(olga);
            before = dump(world.db);
          };
          let prompted = false;
          const confirm = async () => {
            prompted = true;
            await revoke();
            return true;
          };
          if (!row.prompts) await revoke();
          const err = await failure(row.write(bob, confirm));
          expect(prompted).toBe(Boolean(row.prompts));
          expect([err.code, err.exitCode], err.message).toEqual(['forbidden', 4]);
          expect(err.message).toMatch(how === 'demoted' ? /does not grant|only an owner/ : /no longer a member of acme/);
          expect(dump(world.db) === before, 'the store changed').toBe(true);
        });
      }
    });
  }
});

/** The repositories' private helpers (TypeScript's `private` leaves them on the prototype). */
const PRIVATE = new Set([
  'auditMany',
  'unknownStatuses',
  'view',
  'moveAll',
  'upsertStatuses',
  'selectTickets',
  'allocateCommentNumbers',
  'writeOver',
  'matching',
  'load',
  'idOf',
  'memberId',
  'assignees',
  'loadMany',
  'judgeAll',
  'applyAll',
  'ensureLabels',
  'linkLabels',
  'unlinkLabels',
  'allocateNumbers',
  'touch',
  'writeImport',
  'membershipState',
  'applyRoleChange',
  'endMembership',
  'summaries',
  'select',
  'findIn',
  'usageIn',
  'hasBlob',
  'writeBlob',
  'tickets',
  // PostgreSQL's repositories
  'state',
  'end',
  'normalise',
  'toTicket',
]);
