import { and, asc, desc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { AuditInput, Decide, UserRecord } from '../ports/common.js';
import type {
  AcceptOutcome,
  AcceptPlan,
  AcceptState,
  InviteCreatePlan,
  InviteCreateState,
  InviteRecord,
  InviteRepo,
  InviteRevokeState,
  InviteStore,
  Invitee,
  NewInvite,
  VoidReason,
} from '../ports/invites.js';
import { invitations, memberships, organizations, roles, users } from '../schema.js';
import { appendAudit, SqliteRepo, takeNumber, TenantRepo } from './base.js';
import { isUniqueViolation, type Db } from './connection.js';
import { chunks, findRole, memberByEmail, memberById, readActor } from './memberships.js';
import { toOrg, toRole, toUser } from './records.js';

const acceptor = alias(users, 'acceptor');

/** Invitations of one org with their role as it is now, and the inviter's and the acceptor's names. */
export function selectInvites(db: Db, organizationId: number, ...conditions: SQL[]) {
  return db
    .select({
      invite: invitations,
      role: roles,
      inviterEmail: users.email,
      inviterName: users.name,
      acceptorEmail: acceptor.email,
      acceptorName: acceptor.name,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.inviterId))
    .leftJoin(roles, and(eq(roles.organizationId, invitations.organizationId), eq(roles.id, invitations.roleId)))
    .leftJoin(acceptor, eq(acceptor.id, invitations.acceptedBy))
    .where(and(eq(invitations.organizationId, organizationId), ...conditions));
}

type InviteRow = ReturnType<ReturnType<typeof selectInvites>['get']> & object;

export function toInvite(row: InviteRow): InviteRecord {
  const { invite } = row;
  return {
    id: invite.number,
    email: invite.email,
    role: row.role ? toRole(row.role) : null,
    roleCode: invite.roleCode,
    inviter: { email: row.inviterEmail, name: row.inviterName },
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    acceptedAt: invite.acceptedAt,
    acceptedBy: row.acceptorEmail !== null && row.acceptorName !== null ? { email: row.acceptorEmail, name: row.acceptorName } : null,
    revokedAt: invite.revokedAt,
    voidReason: invite.voidReason as VoidReason | null,
  };
}

/** By the row's internal id (the record's id is its per-org number). */
function inviteById(db: Db, organizationId: number, id: number): InviteRecord {
  return toInvite(selectInvites(db, organizationId, eq(invitations.id, id)).get()!);
}

/** Null when the email was taken meanwhile (checked before, but the unique index is the authority). */
function insertUser(tx: Db, newUser: { email: string; name: string; passwordHash: string }, now: number): UserRecord | null {
  try {
    return toUser(tx.insert(users).values({ ...newUser, createdAt: now }).returning().get());
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

function isMember(db: Db, organizationId: number, userId: number): boolean {
  return memberById(db, organizationId, userId) !== null;
}

export class SqliteInviteRepo extends TenantRepo implements InviteRepo {
  create(input: NewInvite, decide: Decide<InviteCreateState, InviteCreatePlan>): Promise<{ invite: InviteRecord; replaced: number[] }> {
    return this.write((tx) => {
      const now = this.clock.now();
      const plan = decide({
        now,
        inviterRole: readActor(tx, this.ctx)?.role ?? null,
        role: findRole(tx, this.orgId, input.roleCode),
        alreadyMember: memberByEmail(tx, this.orgId, input.email) !== null,
        recent: tx
          .select({ createdAt: invitations.createdAt })
          .from(invitations)
          .where(and(eq(invitations.organizationId, this.orgId), gt(invitations.createdAt, now - input.recentWindowMs)))
          .orderBy(asc(invitations.createdAt))
          .all()
          .map((r) => r.createdAt),
        sameEmail: selectInvites(tx, this.orgId, eq(invitations.email, input.email)).orderBy(asc(invitations.id)).all().map(toInvite),
      });
      const replaced = plan.replace.ids;
      for (const part of chunks(replaced)) {
        tx.update(invitations)
          .set({ revokedAt: now, voidReason: plan.replace.reason })
          .where(and(eq(invitations.organizationId, this.orgId), inArray(invitations.number, part)))
          .run();
      }
      const row = tx
        .insert(invitations)
        .values({
          organizationId: this.orgId,
          number: takeNumber(tx, this.orgId, 'nextInviteNumber'),
          email: input.email,
          roleId: plan.role.id,
          roleCode: plan.role.code,
          tokenHash: input.tokenHash,
          inviterId: this.ctx.user.id,
          createdAt: now,
          expiresAt: plan.expiresAt,
        })
        .returning({ id: invitations.id, number: invitations.number })
        .get();
      for (const event of plan.audit(row.number)) this.audit(tx, event, now);
      return { invite: inviteById(tx, this.orgId, row.id), replaced };
    });
  }

  list(): Promise<{ invites: InviteRecord[]; now: number }> {
    return this.read((db) => ({
      invites: selectInvites(db, this.orgId).orderBy(desc(invitations.createdAt), desc(invitations.id)).all().map(toInvite),
      now: this.clock.now(),
    }));
  }

  revoke(number: number, decide: Decide<InviteRevokeState, AuditInput>): Promise<InviteRecord> {
    return this.write((tx) => {
      const now = this.clock.now();
      const found = selectInvites(tx, this.orgId, eq(invitations.number, number)).get();
      const event = decide({ actor: readActor(tx, this.ctx), invite: found ? toInvite(found) : null, now });
      if (!found) throw new Error(`the decide of a revoke let missing invitation ${number} through`);
      tx.update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.organizationId, this.orgId), eq(invitations.id, found.invite.id)))
        .run();
      this.audit(tx, event, now);
      return inviteById(tx, this.orgId, found.invite.id);
    });
  }
}

export class SqliteInviteStore extends SqliteRepo implements InviteStore {
  accept(input: { tokenHash: string; invitee: Invitee }, decide: Decide<AcceptState, AcceptPlan>): Promise<AcceptOutcome> {
    return this.write((tx): AcceptOutcome => {
      const now = this.clock.now();
      // The one lookup not scoped by an org: the token is what names the invitation (and its org).
      const found = tx
        .select({ id: invitations.id, inviterId: invitations.inviterId, org: organizations })
        .from(invitations)
        .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
        .where(eq(invitations.tokenHash, input.tokenHash))
        .get();
      if (!found) return { kind: 'unknown' };
      const org = toOrg(found.org);
      const orgId = org.id;
      const invite = inviteById(tx, orgId, found.id);
      const { invitee } = input;
      const userRow = 'userId' in invitee ? tx.select().from(users).where(eq(users.id, invitee.userId)).get() : undefined;
      const user = userRow ? toUser(userRow) : null;
      const plan = decide({
        now,
        invite,
        org,
        user,
        emailTaken: 'newUser' in invitee && tx.select({ id: users.id }).from(users).where(eq(users.email, invitee.newUser.email)).get() !== undefined,
        alreadyMember: user !== null && isMember(tx, orgId, user.id),
        inviterId: found.inviterId,
        inviterRole: memberById(tx, orgId, found.inviterId)?.role ?? null,
      });
      switch (plan.kind) {
        case 'voided':
          tx.update(invitations)
            .set({ voidReason: plan.reason })
            .where(and(eq(invitations.organizationId, orgId), eq(invitations.id, found.id)))
            .run();
          appendAudit(tx, orgId, plan.actorId, now, plan.audit);
          return { kind: 'voided', reason: plan.reason, invite: inviteById(tx, orgId, found.id), org };
        case 'accept': {
          const joining = 'newUser' in invitee ? insertUser(tx, invitee.newUser, now) : user;
          if (!joining) return { kind: 'email-taken', invite, org };
          tx.update(invitations)
            .set({ acceptedAt: now, acceptedBy: joining.id })
            .where(and(eq(invitations.organizationId, orgId), eq(invitations.id, found.id)))
            .run();
          tx.insert(memberships).values({ organizationId: orgId, userId: joining.id, roleId: plan.role.id, createdAt: now }).run();
          appendAudit(tx, orgId, joining.id, now, plan.audit);
          return { kind: 'accepted', invite: inviteById(tx, orgId, found.id), org, role: plan.role, user: joining };
        }
        default:
          return { kind: plan.kind, invite, org };
      }
    });
  }
}
