import { and, asc, eq } from 'drizzle-orm';
import type { OrgRecord, RoleRecord } from '../ports/common.js';
import type { CreateOrgOutcome, DirectoryStore, NewOrg } from '../ports/directory.js';
import { mintTenantContext, type OrgRef, type TenantContext } from '../ports/tenant.js';
import { memberships, organizations, roles, users } from '../schema.js';
import { appendAudit, SqliteRepo } from './base.js';
import { isUniqueViolation, sqliteCause } from './connection.js';
import { membershipRole } from './memberships.js';
import { joinPermissions, toOrg, toRole, toUser } from './records.js';
import { insertStatuses } from './workflow.js';

export class SqliteDirectoryStore extends SqliteRepo implements DirectoryStore {
  createOrg(input: NewOrg): Promise<CreateOrgOutcome> {
    return this.write((tx): CreateOrgOutcome => {
      const now = this.clock.now();
      let org: typeof organizations.$inferSelect;
      try {
        org = tx
          .insert(organizations)
          .values({ name: input.name, slug: input.slug, ticketKey: input.ticketKey, createdAt: now })
          .returning()
          .get();
      } catch (err) {
        if (isUniqueViolation(err)) return { kind: sqliteCause(err)?.message.includes('ticket_key') ? 'key-taken' : 'slug-taken' };
        throw err;
      }
      let ownerRoleId = 0;
      for (const role of input.systemRoles) {
        const row = tx
          .insert(roles)
          .values({
            organizationId: org.id,
            code: role.code,
            name: role.name,
            permissions: joinPermissions(role.permissions),
            isSystem: true,
            createdAt: now,
          })
          .returning({ id: roles.id })
          .get();
        if (role.code === input.ownerRole) ownerRoleId = row.id;
      }
      tx.insert(memberships)
        .values({ organizationId: org.id, userId: input.ownerId, roleId: ownerRoleId, createdAt: now })
        .run();
      insertStatuses(tx, org.id, input.statuses, now);
      appendAudit(tx, org.id, input.ownerId, now, input.audit);
      return { kind: 'created', org: toOrg(org) };
    });
  }

  findMembership(userId: number, ref: OrgRef): Promise<TenantContext | null> {
    return this.read((db) => {
      const orgMatch = 'slug' in ref ? eq(organizations.slug, ref.slug) : eq(organizations.id, ref.id);
      const row = db
        .select()
        .from(memberships)
        .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
        .innerJoin(roles, membershipRole)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.userId, userId), orgMatch))
        .get();
      if (!row) return null;
      return mintTenantContext(toUser(row.users), toOrg(row.organizations), toRole(row.roles));
    });
  }

  listMemberships(userId: number): Promise<Array<{ org: OrgRecord; role: RoleRecord }>> {
    return this.read((db) =>
      db
        .select()
        .from(memberships)
        .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
        .innerJoin(roles, membershipRole)
        .where(eq(memberships.userId, userId))
        .orderBy(asc(organizations.slug))
        .all()
        .map((row) => ({ org: toOrg(row.organizations), role: toRole(row.roles) })),
    );
  }
}
