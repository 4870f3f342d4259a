import { and, asc, desc, eq, gt, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { conflict, forbidden, isTktError } from '../../errors.js';
import type { UserRecord } from '../ports/common.js';
import type {
  AcceptInput,
  AcceptOutcome,
  CreateInviteOutcome,
  InvitationStore,
  InviteRecord,
  InviteRepo,
  NewInvite,
  RevokeInviteOutcome,
  VoidReason,
} from '../ports/invites.js';
import { invitations, memberships, organizations, roles, users } from '../schema.js';
import { appendAudit, SqliteRepo, TenantRepo } from './base.js';
import { isUniqueViolation, type Db } from './connection.js';
import { toOrg, toRole, toUser } from './records.js';

const acceptor = alias(users, 'acceptor');

/** Invitations of one org with the inviter's and the acceptor's names. */
function selectInvites(db: Db, organizationId: number, ...conditions: SQL[]) {
  return db
    .select({
      invite: invitations,
      inviterEmail: users.email,
      inviterName: users.name,
      acceptorEmail: acceptor.email,
      acceptorName: acceptor.name,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.inviterId))
    .leftJoin(acceptor, eq(acceptor.id, invitations.acceptedBy))
    .where(and(eq(invitations.organizationId, organizationId), ...conditions));
}

type InviteRow = ReturnType<ReturnType<typeof selectInvites>['get']> & object;

function toInvite(row: InviteRow): InviteRecord {
  const { invite } = row;
  return {
    id: invite.id,
    email: invite.email,
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

function inviteById(db: Db, organizationId: number, id: number): InviteRecord {
  return toInvite(selectInvites(db, organizationId, eq(invitations.id, id)).get()!);
}

/** Still usable at `now`: the guard of every state change. */
function pending(now: number): SQL {
  return and(
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
    isNull(invitations.voidReason),
    gt(invitations.expiresAt, now),
  )!;
}

function roleByCode(db: Db, organizationId: number, code: string) {
  return db
    .select()
    .from(roles)
    .where(and(eq(roles.organizationId, organizationId), eq(roles.code, code)))
    .get();
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

function memberRole(db: Db, organizationId: number, userId: number) {
  return db
    .select({ role: roles })
    .from(memberships)
    .innerJoin(roles, and(eq(roles.organizationId, memberships.organizationId), eq(roles.id, memberships.roleId)))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .get()?.role;
}

export class SqliteInviteRepo extends TenantRepo implements InviteRepo {
  create(input: NewInvite): Promise<CreateInviteOutcome> {
    return this.write((tx): CreateInviteOutcome => {
      const now = this.clock.now();
      const roleRow = roleByCode(tx, this.orgId, input.roleCode);
      if (!roleRow) return { kind: 'no-such-role' };
      const role = toRole(roleRow);
      // The inviter's role as it is now, not as the guard saw it a moment ago.
      const inviterRole = memberRole(tx, this.orgId, this.ctx.user.id);
      if (!inviterRole) throw forbidden(`you are no longer a member of ${this.ctx.org.slug}`);
      input.authorize(toRole(inviterRole), role, this.ctx.org);

      const member = tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.organizationId, this.orgId), eq(users.email, input.email)))
        .get();
      if (member) return { kind: 'already-member' };

      // Counted under the write lock, so concurrent creators cannot both take the last slot.
      const { max, windowMs } = input.rateLimit;
      const recent = tx
        .select({ createdAt: invitations.createdAt })
        .from(invitations)
        .where(and(eq(invitations.organizationId, this.orgId), gt(invitations.createdAt, now - windowMs)))
        .orderBy(asc(invitations.createdAt))
        .all();
      if (recent.length >= max) return { kind: 'rate-limited', nextAt: recent[recent.length - max]!.createdAt + windowMs };

      const replaced = tx
        .update(invitations)
        .set({ revokedAt: now, voidReason: 'replaced' satisfies VoidReason })
        .where(and(eq(invitations.organizationId, this.orgId), eq(invitations.email, input.email), pending(now)))
        .returning({ id: invitations.id })
        .all()
        .map((r) => r.id);
      const row = tx
        .insert(invitations)
        .values({
          organizationId: this.orgId,
          email: input.email,
          roleCode: role.code,
          tokenHash: input.tokenHash,
          inviterId: this.ctx.user.id,
          createdAt: now,
          expiresAt: now + input.ttlMs,
        })
        .returning({ id: invitations.id })
        .get();
      for (const id of replaced) {
        this.audit(tx, {
          action: 'invite.revoke',
          targetType: 'invitation',
          target: String(id),
          details: { email: input.email, reason: 'replaced', replacedBy: row.id },
        }, now);
      }
      this.audit(tx, {
        action: 'invite.create',
        targetType: 'invitation',
        target: String(row.id),
        details: { email: input.email, role: role.code, expiresAt: new Date(now + input.ttlMs).toISOString() },
      }, now);
      return { kind: 'created', invite: inviteById(tx, this.orgId, row.id), replaced };
    });
  }

  list(options: { all: boolean }): Promise<InviteRecord[]> {
    return this.read((db) =>
      selectInvites(db, this.orgId, ...(options.all ? [] : [pending(this.clock.now())]))
        .orderBy(desc(invitations.createdAt), desc(invitations.id))
        .all()
        .map(toInvite),
    );
  }

  revoke(id: number): Promise<RevokeInviteOutcome> {
    return this.write((tx): RevokeInviteOutcome => {
      const now = this.clock.now();
      const found = selectInvites(tx, this.orgId, eq(invitations.id, id)).get();
      if (!found) return { kind: 'not-found' };
      const done = tx
        .update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.organizationId, this.orgId), eq(invitations.id, id), pending(now)))
        .returning({ id: invitations.id })
        .get();
      if (!done) return { kind: 'not-pending', invite: toInvite(found) };
      this.audit(tx, {
        action: 'invite.revoke',
        targetType: 'invitation',
        target: String(id),
        details: { email: found.invite.email, role: found.invite.roleCode },
      }, now);
      return { kind: 'revoked', invite: inviteById(tx, this.orgId, id) };
    });
  }
}

export class SqliteInvitationStore extends SqliteRepo implements InvitationStore {
  accept(input: AcceptInput): Promise<AcceptOutcome> {
    return this.write((tx): AcceptOutcome => {
      const now = this.clock.now();
      // The one lookup not scoped by an org: the token is what names the invitation (and its org).
      const found = tx
        .select({ invite: invitations, org: organizations })
        .from(invitations)
        .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
        .where(eq(invitations.tokenHash, input.tokenHash))
        .get();
      if (!found) return { kind: 'unknown' };
      const { invite } = found;
      const org = toOrg(found.org);
      const orgId = org.id;

      const closed =
        invite.acceptedAt !== null ? 'used'
        : invite.revokedAt !== null ? 'revoked'
        : invite.voidReason !== null ? 'void'
        : invite.expiresAt <= now ? 'expired'
        : null;
      if (closed) return { kind: closed, invite: inviteById(tx, orgId, invite.id), org };

      // Who is accepting. A mismatch writes nothing, so the invite stays usable by the right person.
      let existing: UserRecord | null = null;
      if ('userId' in input.invitee) {
        const row = tx.select().from(users).where(eq(users.id, input.invitee.userId)).get();
        if (!row || row.email !== invite.email) return { kind: 'wrong-email' };
        existing = toUser(row);
        const member = tx
          .select({ userId: memberships.userId })
          .from(memberships)
          .where(and(eq(memberships.organizationId, orgId), eq(memberships.userId, existing.id)))
          .get();
        if (member) return { kind: 'already-member', org };
      } else {
        if (input.invitee.newUser.email !== invite.email) return { kind: 'wrong-email' };
        if (tx.select({ id: users.id }).from(users).where(eq(users.email, invite.email)).get()) return { kind: 'email-taken' };
      }

      // Re-check what was checked at create time: the role may be gone, the inviter may have left
      // or lost permissions since. A failure voids the invite, and that mark is committed.
      const voided = (reason: Exclude<VoidReason, 'replaced'>): AcceptOutcome => {
        tx.update(invitations)
          .set({ voidReason: reason })
          .where(and(eq(invitations.organizationId, orgId), eq(invitations.id, invite.id)))
          .run();
        // Nobody chose to void it; the attempt to accept did. A person signing up has no account
        // (none is created), so the event is then recorded under the inviter.
        appendAudit(tx, orgId, existing?.id ?? invite.inviterId, now, {
          action: 'invite.void',
          targetType: 'invitation',
          target: String(invite.id),
          details: { email: invite.email, role: invite.roleCode, reason },
        });
        return { kind: 'voided', reason, invite: inviteById(tx, orgId, invite.id), org };
      };
      const roleRow = roleByCode(tx, orgId, invite.roleCode);
      if (!roleRow) return voided('role-deleted');
      const role = toRole(roleRow);
      const inviterRole = memberRole(tx, orgId, invite.inviterId);
      if (!inviterRole) return voided('inviter-left');
      try {
        input.authorize(toRole(inviterRole), role, org);
      } catch (err) {
        if (!isTktError(err)) throw err;
        return voided('inviter-lacks-permission');
      }

      const user = 'newUser' in input.invitee ? insertUser(tx, input.invitee.newUser, now) : existing;
      if (!user) return { kind: 'email-taken' };
      const consumed = tx
        .update(invitations)
        .set({ acceptedAt: now, acceptedBy: user.id })
        .where(and(eq(invitations.organizationId, orgId), eq(invitations.id, invite.id), pending(now)))
        .returning({ id: invitations.id })
        .get();
      // Unreachable under BEGIN IMMEDIATE (the state was read under the same lock); if it ever
      // happens, throwing rolls back the new user as well.
      if (!consumed) throw conflict('this invitation was already used');
      try {
        tx.insert(memberships).values({ organizationId: orgId, userId: user.id, roleId: role.id, createdAt: now }).run();
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`you are already a member of ${org.slug}`);
        throw err;
      }
      appendAudit(tx, orgId, user.id, now, {
        action: 'invite.accept',
        targetType: 'invitation',
        target: String(invite.id),
        details: { email: invite.email, role: invite.roleCode },
      });
      return { kind: 'accepted', invite: inviteById(tx, orgId, invite.id), org, role, user };
    });
  }
}
