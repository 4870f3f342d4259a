import { and, eq, sql } from 'drizzle-orm';
import { conflict } from '../../errors.js';
import type { RoleRecord } from '../ports/common.js';
import type { ActorState, Decide, MemberRecord } from '../ports/members.js';
import type { NewRole, RoleDeleteState, RoleEditState, RolesRepo, RoleSummary } from '../ports/roles.js';
import { memberships, roles } from '../schema.js';
import { TenantRepo } from './base.js';
import { isUniqueViolation, type Db } from './connection.js';
import { assignRole, findRoleRow, readActor, requireRole, selectMembers } from './members.js';
import { joinPermissions, toRole } from './records.js';

export class SqliteRolesRepo extends TenantRepo implements RolesRepo {
  list(): Promise<RoleSummary[]> {
    return this.read((db) => this.summaries(db));
  }

  findByCode(code: string): Promise<RoleRecord | null> {
    return this.read((db) => findRoleRow(db, this.orgId, code));
  }

  summary(code: string): Promise<RoleSummary | null> {
    return this.read((db) => this.summaries(db, code)[0] ?? null);
  }

  create(input: NewRole, decide: Decide<ActorState>): Promise<RoleRecord> {
    return this.write((tx) => {
      decide({ actor: readActor(tx, this.ctx) });
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
        if (isUniqueViolation(err)) {
          throw conflict(`a role "${input.code}" already exists in ${this.ctx.org.slug}`, 'pick another code, or change it with tkt role edit');
        }
        throw err;
      }
      this.audit(tx, {
        action: 'role.create',
        targetType: 'role',
        target: input.code,
        details: { name: input.name, permissions: input.permissions },
      });
      return toRole(row);
    });
  }

  edit(code: string, change: { name?: string; permissions?: string[] }, decide: Decide<RoleEditState>) {
    return this.write((tx) => {
      const before = requireRole(tx, this.ctx, code);
      decide({ actor: readActor(tx, this.ctx), role: before });
      const after: RoleRecord = {
        ...before,
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.permissions !== undefined ? { permissions: change.permissions } : {}),
      };
      const details: Record<string, unknown> = {};
      if (after.name !== before.name) details.name = { from: before.name, to: after.name };
      const permissionsChanged = joinPermissions(after.permissions) !== joinPermissions(before.permissions);
      if (permissionsChanged) details.permissions = { from: before.permissions, to: after.permissions };
      if (Object.keys(details).length > 0) {
        tx.update(roles)
          .set({ name: after.name, permissions: joinPermissions(after.permissions) })
          .where(and(eq(roles.organizationId, this.orgId), eq(roles.id, before.id)))
          .run();
        this.audit(tx, { action: 'role.edit', targetType: 'role', target: code, details });
      }
      return { before, after };
    });
  }

  delete(code: string, reassignTo: string | undefined, decide: Decide<RoleDeleteState>) {
    return this.write((tx) => {
      const role = requireRole(tx, this.ctx, code);
      const target = reassignTo !== undefined ? requireRole(tx, this.ctx, reassignTo) : null;
      const holders = selectMembers(tx, this.orgId, eq(memberships.roleId, role.id));
      decide({ actor: readActor(tx, this.ctx), role, holders, reassignTo: target });
      const now = this.clock.now();
      const reassigned: MemberRecord[] = [];
      if (target) {
        for (const holder of holders) {
          assignRole(tx, this.orgId, holder.user.id, target.id);
          this.audit(
            tx,
            {
              action: 'member.role',
              targetType: 'member',
              target: holder.user.email,
              details: { from: role.code, to: target.code, reason: `role ${role.code} deleted` },
            },
            now,
          );
          reassigned.push({ ...holder, role: target });
        }
      }
      tx.delete(roles)
        .where(and(eq(roles.organizationId, this.orgId), eq(roles.id, role.id)))
        .run();
      this.audit(
        tx,
        {
          action: 'role.delete',
          targetType: 'role',
          target: role.code,
          details: { name: role.name, permissions: role.permissions, ...(target ? { reassignedTo: target.code, reassigned: holders.length } : {}) },
        },
        now,
      );
      return { role, reassigned };
    });
  }

  /** System roles first in their fixed order (owner, admin, member, viewer), then custom ones by code. */
  private summaries(db: Db, code?: string): RoleSummary[] {
    const members = sql<number>`(SELECT count(*) FROM ${memberships}
      WHERE ${memberships.organizationId} = ${this.orgId} AND ${memberships.roleId} = ${roles.id})`;
    return db
      .select({ role: roles, members })
      .from(roles)
      .where(and(eq(roles.organizationId, this.orgId), code !== undefined ? eq(roles.code, code) : undefined))
      .all()
      .map((row) => ({ ...toRole(row.role), members: Number(row.members) }))
      .sort((a, b) => (a.isSystem !== b.isSystem ? (a.isSystem ? -1 : 1) : a.isSystem ? a.id - b.id : a.code.localeCompare(b.code)));
  }
}
