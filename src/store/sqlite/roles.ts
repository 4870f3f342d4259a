import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AuditInput, Decide, RoleRecord } from '../ports/common.js';
import type { ActorState } from '../ports/members.js';
import type { NewRole, RoleDeletePlan, RoleDeleteState, RoleEditPlan, RoleEditState, RolesRepo, RoleSummary } from '../ports/roles.js';
import { invitations, memberships, roles } from '../schema.js';
import { TenantRepo } from './base.js';
import { isUniqueViolation, type Db } from './connection.js';
import { selectInvites, toInvite } from './invites.js';
import { assignRoles, chunks, findRole, readActor, selectMembers } from './memberships.js';
import { joinPermissions, toRole } from './records.js';

export class SqliteRolesRepo extends TenantRepo implements RolesRepo {
  list(): Promise<RoleSummary[]> {
    return this.read((db) => this.summaries(db));
  }

  summary(code: string): Promise<RoleSummary | null> {
    return this.read((db) => this.summaries(db, code)[0] ?? null);
  }

  create(input: NewRole, decide: Decide<ActorState, AuditInput>): Promise<RoleRecord | null> {
    return this.write((tx) => {
      const event = decide({ actor: readActor(tx, this.ctx) });
      let row: typeof roles.$inferSelect;
      try {
        row = tx
          .insert(roles)
          .values({
            organizationId: this.orgId,
            code: input.code,
            name: input.name,
            permissions: joinPermissions(input.permissions),
            isSystem: false,
            createdAt: this.clock.now(),
          })
          .returning()
          .get();
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
      this.audit(tx, event);
      return toRole(row);
    });
  }

  edit<P extends RoleEditPlan>(code: string, decide: Decide<RoleEditState, P>): Promise<P> {
    return this.write((tx) => {
      const role = findRole(tx, this.orgId, code);
      const plan = decide({ actor: readActor(tx, this.ctx), role });
      if (plan.audit) {
        tx.update(roles)
          .set({ name: plan.name, permissions: joinPermissions(plan.permissions) })
          .where(and(eq(roles.organizationId, this.orgId), eq(roles.id, plan.role.id)))
          .run();
        this.audit(tx, plan.audit);
      }
      return plan;
    });
  }

  delete<P extends RoleDeletePlan>(code: string, reassignTo: string | undefined, decide: Decide<RoleDeleteState, P>): Promise<P> {
    return this.write((tx) => {
      const role = findRole(tx, this.orgId, code);
      const now = this.clock.now();
      const plan = decide({
        actor: readActor(tx, this.ctx),
        role,
        holders: role ? selectMembers(tx, this.orgId, eq(memberships.roleId, role.id)) : [],
        reassignTo: reassignTo !== undefined ? findRole(tx, this.orgId, reassignTo) : null,
        invites: role ? selectInvites(tx, this.orgId, eq(invitations.roleId, role.id)).all().map(toInvite) : [],
        now,
      });
      assignRoles(tx, this.orgId, plan.assign);
      for (const part of chunks(plan.voidInvites.ids)) {
        tx.update(invitations)
          .set({ voidReason: plan.voidInvites.reason })
          .where(and(eq(invitations.organizationId, this.orgId), inArray(invitations.number, part)))
          .run();
      }
      // Every invitation lets go of the role (the foreign key would refuse the delete otherwise).
      tx.update(invitations)
        .set({ roleId: null })
        .where(and(eq(invitations.organizationId, this.orgId), eq(invitations.roleId, plan.role.id)))
        .run();
      tx.delete(roles)
        .where(and(eq(roles.organizationId, this.orgId), eq(roles.id, plan.role.id)))
        .run();
      for (const event of plan.audit) this.audit(tx, event, now);
      return plan;
    });
  }

  private summaries(db: Db, code?: string): RoleSummary[] {
    const members = sql<number>`(SELECT count(*) FROM ${memberships}
      WHERE ${memberships.organizationId} = ${this.orgId} AND ${memberships.roleId} = ${roles.id})`;
    return db
      .select({ role: roles, members })
      .from(roles)
      .where(and(eq(roles.organizationId, this.orgId), code !== undefined ? eq(roles.code, code) : undefined))
      .all()
      .map((row) => ({ ...toRole(row.role), members: Number(row.members) }));
  }
}
