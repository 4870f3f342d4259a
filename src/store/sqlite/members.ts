import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { forbidden, notFound } from '../../errors.js';
import type { RoleRecord } from '../ports/common.js';
import type { Decide, MemberRecord, MemberRemoval, MembersRepo, MembershipState, RoleChangeState } from '../ports/members.js';
import { ADMIN_ROLE, OWNER_ROLE } from '../ports/roles.js';
import type { TenantContext } from '../ports/tenant.js';
import { memberships, roles, tickets, users } from '../schema.js';
import { TenantRepo } from './base.js';
import type { Db } from './connection.js';
import { toRole, toUser } from './records.js';

// Queries shared by the repositories of this organization's people and roles. Each takes the
// org id explicitly and constrains every tenant table by it.

export function selectMembers(db: Db, orgId: number, where?: SQL): MemberRecord[] {
  return db
    .select({ membership: memberships, user: users, role: roles })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, and(eq(roles.organizationId, memberships.organizationId), eq(roles.id, memberships.roleId)))
    .where(and(eq(memberships.organizationId, orgId), eq(roles.organizationId, orgId), where))
    .orderBy(asc(users.email))
    .all()
    .map((row) => ({ user: toUser(row.user), role: toRole(row.role), joinedAt: row.membership.createdAt }));
}

export function findRoleRow(db: Db, orgId: number, code: string): RoleRecord | null {
  const row = db
    .select()
    .from(roles)
    .where(and(eq(roles.organizationId, orgId), eq(roles.code, code)))
    .get();
  return row ? toRole(row) : null;
}

export function roleNotFound(ctx: TenantContext, code: string) {
  return notFound(`no role "${code}" in ${ctx.org.slug}`, 'tkt role list shows the roles');
}

/** The role with that code, or exit 5. */
export function requireRole(db: Db, ctx: TenantContext, code: string): RoleRecord {
  const role = findRoleRow(db, ctx.org.id, code);
  if (!role) throw roleNotFound(ctx, code);
  return role;
}

/**
 * The person running the command, re-read inside the transaction: a membership that ended (or a
 * role that changed) since the guard let the command in is what the rules must judge.
 */
export function readActor(db: Db, ctx: TenantContext): MemberRecord {
  const actor = selectMembers(db, ctx.org.id, eq(memberships.userId, ctx.user.id))[0];
  if (!actor) throw forbidden(`you are no longer a member of ${ctx.org.slug}`, 'tkt org list shows your organizations');
  return actor;
}

export function countOwners(db: Db, orgId: number): number {
  const row = db
    .select({ n: count() })
    .from(memberships)
    .innerJoin(roles, and(eq(roles.organizationId, memberships.organizationId), eq(roles.id, memberships.roleId)))
    .where(and(eq(memberships.organizationId, orgId), eq(roles.organizationId, orgId), eq(roles.code, OWNER_ROLE)))
    .get();
  return row?.n ?? 0;
}

export function assignRole(db: Db, orgId: number, userId: number, roleId: number): void {
  db.update(memberships)
    .set({ roleId })
    .where(and(eq(memberships.organizationId, orgId), eq(memberships.userId, userId)))
    .run();
}

export class SqliteMembersRepo extends TenantRepo implements MembersRepo {
  list(): Promise<MemberRecord[]> {
    return this.read((db) => selectMembers(db, this.orgId));
  }

  findByEmail(email: string): Promise<MemberRecord | null> {
    return this.read((db) => this.byEmail(db, email));
  }

  setRole(input: { email: string; roleCode: string }, decide: Decide<RoleChangeState>) {
    return this.write((tx) => {
      const actor = readActor(tx, this.ctx);
      const target = this.requireMember(tx, input.email);
      const to = requireRole(tx, this.ctx, input.roleCode);
      decide({ actor, target, to, owners: countOwners(tx, this.orgId) });
      if (to.id !== target.role.id) {
        assignRole(tx, this.orgId, target.user.id, to.id);
        this.audit(tx, {
          action: 'member.role',
          targetType: 'member',
          target: target.user.email,
          details: { from: target.role.code, to: to.code },
        });
      }
      return { member: { ...target, role: to }, previous: target.role };
    });
  }

  remove(email: string, decide: Decide<MembershipState>): Promise<MemberRemoval> {
    return this.write((tx) => {
      const actor = readActor(tx, this.ctx);
      const target = this.requireMember(tx, email);
      decide({ actor, target, owners: countOwners(tx, this.orgId) });
      return this.endMembership(tx, target, 'member.remove');
    });
  }

  leave(decide: Decide<MembershipState>): Promise<MemberRemoval> {
    return this.write((tx) => {
      const actor = readActor(tx, this.ctx);
      decide({ actor, target: actor, owners: countOwners(tx, this.orgId) });
      return this.endMembership(tx, actor, 'member.leave');
    });
  }

  transferOwnership(email: string, decide: Decide<RoleChangeState>) {
    return this.write((tx) => {
      const actor = readActor(tx, this.ctx);
      const target = this.requireMember(tx, email);
      const owner = requireRole(tx, this.ctx, OWNER_ROLE);
      const admin = requireRole(tx, this.ctx, ADMIN_ROLE);
      decide({ actor, target, to: owner, owners: countOwners(tx, this.orgId) });
      assignRole(tx, this.orgId, target.user.id, owner.id);
      assignRole(tx, this.orgId, actor.user.id, admin.id);
      this.audit(tx, {
        action: 'org.transfer',
        targetType: 'member',
        target: target.user.email,
        details: { from: actor.user.email, previousRole: target.role.code, formerOwnerRole: admin.code },
      });
      return { member: { ...target, role: owner }, previous: target.role };
    });
  }

  private byEmail(db: Db, email: string): MemberRecord | null {
    return selectMembers(db, this.orgId, eq(users.email, email))[0] ?? null;
  }

  private requireMember(db: Db, email: string): MemberRecord {
    const member = this.byEmail(db, email);
    if (!member) throw notFound(`no member ${email} in ${this.ctx.org.slug}`, 'tkt member list shows the members');
    return member;
  }

  /** Unassigns their tickets here (the assignee must be a member), then deletes the membership. */
  private endMembership(tx: Db, member: MemberRecord, action: 'member.remove' | 'member.leave'): MemberRemoval {
    const now = this.clock.now();
    const assigned = and(eq(tickets.organizationId, this.orgId), eq(tickets.assigneeId, member.user.id));
    const numbers = tx.select({ number: tickets.number }).from(tickets).where(assigned).orderBy(asc(tickets.number)).all();
    if (numbers.length > 0) tx.update(tickets).set({ assigneeId: null, updatedAt: now }).where(assigned).run();
    tx.delete(memberships)
      .where(and(eq(memberships.organizationId, this.orgId), eq(memberships.userId, member.user.id)))
      .run();
    const unassigned = numbers.map((t) => `${this.ctx.org.ticketKey}-${t.number}`);
    this.audit(
      tx,
      { action, targetType: 'member', target: member.user.email, details: { role: member.role.code, unassignedTickets: unassigned } },
      now,
    );
    return { member, unassigned };
  }
}
