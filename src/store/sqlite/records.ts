// Row → record mappers shared by the SQLite repositories.
import type { OrgRecord, RoleRecord, UserRecord } from '../ports/common.js';
import type { organizations, roles, users } from '../schema.js';

export function toUser(row: typeof users.$inferSelect): UserRecord {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt };
}

export function toOrg(row: typeof organizations.$inferSelect): OrgRecord {
  return { id: row.id, slug: row.slug, name: row.name, ticketKey: row.ticketKey, createdAt: row.createdAt };
}

export function toRole(row: typeof roles.$inferSelect): RoleRecord {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    permissions: splitPermissions(row.permissions),
    isSystem: row.isSystem,
  };
}

function splitPermissions(stored: string): string[] {
  return stored === '' ? [] : stored.split(',');
}

export function joinPermissions(permissions: readonly string[]): string {
  return permissions.join(',');
}

/** A ticket's key as records carry it: `<ORGKEY>-<number>`. */
export function ticketKey(org: OrgRecord, number: number): string {
  return `${org.ticketKey}-${number}`;
}
