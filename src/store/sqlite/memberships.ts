// Queries shared by the repositories that read this organization's people and roles. Each takes
// the org id explicitly and constrains every tenant table by it.
import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { RoleRecord } from '../ports/common.js';
import type { MemberRecord, TicketRef } from '../ports/members.js';
import type { TenantContext } from '../ports/tenant.js';
import { memberships, roles, tickets, users } from '../schema.js';
import type { Db } from './connection.js';
import { ticketKey, toRole, toUser } from './records.js';

/** The one join from a membership to its role (both in the membership's org). */
export const membershipRole = and(eq(roles.organizationId, memberships.organizationId), eq(roles.id, memberships.roleId))!;

/** Members with their users and roles, by email. */
export function selectMembers(db: Db, orgId: number, where?: SQL): MemberRecord[] {
  return db
    .select({ membership: memberships, user: users, role: roles })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, membershipRole)
    .where(and(eq(memberships.organizationId, orgId), eq(roles.organizationId, orgId), where))
    .orderBy(asc(users.email))
    .all()
    .map((row) => ({ user: toUser(row.user), role: toRole(row.role), joinedAt: row.membership.createdAt }));
}

export function memberById(db: Db, orgId: number, userId: number): MemberRecord | null {
  return selectMembers(db, orgId, eq(memberships.userId, userId))[0] ?? null;
}

export function memberByEmail(db: Db, orgId: number, email: string): MemberRecord | null {
  return selectMembers(db, orgId, eq(users.email, email))[0] ?? null;
}

/** The person running the command, re-read inside the transaction; null once they are no longer a member. */
export function readActor(db: Db, ctx: TenantContext): MemberRecord | null {
  return memberById(db, ctx.org.id, ctx.user.id);
}

export function findRole(db: Db, orgId: number, code: string): RoleRecord | null {
  const row = db
    .select()
    .from(roles)
    .where(and(eq(roles.organizationId, orgId), eq(roles.code, code)))
    .get();
  return row ? toRole(row) : null;
}

export function countRoleHolders(db: Db, orgId: number, roleId: number): number {
  const row = db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, orgId), eq(memberships.roleId, roleId)))
    .get();
  return row?.n ?? 0;
}

export function assignRoles(db: Db, orgId: number, assignments: ReadonlyArray<{ userId: number; roleId: number }>): void {
  for (const { userId, roleId } of assignments) {
    db.update(memberships)
      .set({ roleId })
      .where(and(eq(memberships.organizationId, orgId), eq(memberships.userId, userId)))
      .run();
  }
}

/** The tickets assigned to a member here, by number. */
export function assignedTickets(db: Db, ctx: TenantContext, userId: number): TicketRef[] {
  return db
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.organizationId, ctx.org.id), eq(tickets.assigneeId, userId)))
    .orderBy(asc(tickets.number))
    .all()
    .map(({ number }) => ({ number, key: ticketKey(ctx.org, number) }));
}

/** Placeholders in IN (…) lists stay well below SQLite's variable limit. */
const CHUNK = 500;

export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function unassignTickets(db: Db, orgId: number, numbers: readonly number[], at: number): void {
  for (const part of chunks(numbers)) {
    db.update(tickets)
      .set({ assigneeId: null, updatedAt: at })
      .where(and(eq(tickets.organizationId, orgId), inArray(tickets.number, part)))
      .run();
  }
}
