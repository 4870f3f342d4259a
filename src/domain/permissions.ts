import { forbidden, usageError } from '../errors.js';
import type { RoleRecord } from '../store/ports/common.js';

/** The catalogue of permissions, in the order `tkt role permissions` lists them. */
export const PERMISSIONS = [
  { code: 'org:update', description: 'rename the organization' },
  { code: 'org:delete', description: 'delete the organization and everything in it' },
  { code: 'member:read', description: 'list members and their roles' },
  { code: 'member:invite', description: 'invite people (with a role you hold every permission of)' },
  { code: 'member:remove', description: 'remove members' },
  { code: 'member:role', description: "change members' roles" },
  { code: 'role:read', description: 'list and show roles' },
  { code: 'role:manage', description: 'create, edit and delete custom roles' },
  { code: 'ticket:read', description: 'list, view, search and export tickets' },
  { code: 'ticket:create', description: 'create and import tickets' },
  { code: 'ticket:update', description: 'edit, move, close and reopen tickets' },
  { code: 'ticket:assign', description: 'assign and unassign tickets' },
  { code: 'ticket:comment', description: 'comment on tickets' },
  { code: 'ticket:delete', description: 'delete tickets' },
  { code: 'audit:read', description: 'read the audit log' },
  { code: 'workflow:manage', description: "change the org's statuses and transition rules; move tickets past the rules (move -f)" },
] as const;

export type Permission = (typeof PERMISSIONS)[number]['code'];

export const PERMISSION_CODES: readonly Permission[] = PERMISSIONS.map((p) => p.code);
export const WILDCARDS = [
  { code: '*', description: 'every permission' },
  { code: 'ticket:*', description: 'every ticket:… permission' },
] as const;
const VALID = new Set<string>([...PERMISSION_CODES, ...WILDCARDS.map((w) => w.code)]);

const ALL_BUT_ORG_DELETE = PERMISSION_CODES.filter((p) => p !== 'org:delete');

/** The protected system role: at least one member of every organization holds it. */
export const OWNER_ROLE = 'owner';
/** What a transferring owner becomes. */
export const ADMIN_ROLE = 'admin';

/** Created with every organization. `owner` is protected: it can be neither edited nor deleted. */
export const SYSTEM_ROLES = [
  { code: 'owner', name: 'Owner', permissions: ['*'] },
  { code: 'admin', name: 'Admin', permissions: [...ALL_BUT_ORG_DELETE] },
  {
    code: 'member',
    name: 'Member',
    permissions: [
      'member:read',
      'role:read',
      'ticket:read',
      'ticket:create',
      'ticket:update',
      'ticket:assign',
      'ticket:comment',
    ],
  },
  { code: 'viewer', name: 'Viewer', permissions: ['member:read', 'ticket:read'] },
] as const satisfies ReadonlyArray<{ code: string; name: string; permissions: readonly string[] }>;

export const SYSTEM_ROLE_CODES: readonly string[] = SYSTEM_ROLES.map((r) => r.code);

/** How roles are listed: system roles first in their fixed order (owner, admin, member, viewer), then custom ones by code. */
export function compareRoles(a: { code: string; isSystem: boolean }, b: { code: string; isSystem: boolean }): number {
  if (a.isSystem !== b.isSystem) return a.isSystem ? -1 : 1;
  return a.isSystem ? SYSTEM_ROLE_CODES.indexOf(a.code) - SYSTEM_ROLE_CODES.indexOf(b.code) : a.code.localeCompare(b.code);
}

/** The one permission check: does this set of held permissions (with wildcards) grant `wanted`? */
export function grants(held: readonly string[], wanted: Permission): boolean {
  for (const p of held) {
    if (p === wanted || p === '*') return true;
    if (p === 'ticket:*' && wanted.startsWith('ticket:')) return true;
  }
  return false;
}

/** Every concrete permission a set of held permissions grants. */
export function expandPermissions(held: readonly string[]): Permission[] {
  return PERMISSION_CODES.filter((p) => grants(held, p));
}

/** True when `held` grants every permission that `wanted` grants (no escalation). */
export function coversAll(held: readonly string[], wanted: readonly string[]): boolean {
  return missingPermissions(held, wanted).length === 0;
}

/** The concrete permissions `wanted` grants that `held` does not: what an escalation would add. */
export function missingPermissions(held: readonly string[], wanted: readonly string[]): Permission[] {
  return expandPermissions(wanted).filter((p) => !grants(held, p));
}

function unknownPermissions(unknown: readonly string[]) {
  return usageError(
    `unknown permission${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
    `valid permissions: ${[...VALID].join(', ')}`,
  );
}

/** Parses "a,b,c" (spaces allowed), rejecting unknown permissions with the list of valid ones. */
export function parsePermissionList(input: string, flag = '--permissions'): string[] {
  const items = input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw usageError(`${flag} needs at least one permission`);
  const unknown = items.filter((p) => !VALID.has(p));
  if (unknown.length > 0) throw unknownPermissions(unknown);
  return [...new Set(items)];
}

/** One permission or wildcard, as `tkt access check` takes it. */
export function parsePermission(input: string): string {
  const value = input.trim();
  if (!VALID.has(value)) throw unknownPermissions([JSON.stringify(input)]);
  return value;
}

export function isPermission(value: string): value is Permission {
  return (PERMISSION_CODES as readonly string[]).includes(value);
}

export function isOwnerRole(role: RoleRecord): boolean {
  return role.code === OWNER_ROLE;
}

/** The actor's role (as re-read for the change) must grant `permission`. */
export function assertRoleGrants(role: RoleRecord, permission: Permission, orgSlug: string): void {
  if (!grants(role.permissions, permission)) {
    throw forbidden(`your role "${role.code}" in ${orgSlug} does not grant ${permission}`, 'ask an owner or admin of the organization');
  }
}

/**
 * No escalation: refuses when `permissions` grant anything `actorRole` does not. `what` names them
 * for the message ("the role \"lead\"").
 */
export function assertCovers(actorRole: RoleRecord, permissions: readonly string[], what: string): void {
  const missing = missingPermissions(actorRole.permissions, permissions);
  if (missing.length > 0) {
    throw forbidden(
      `${what} grants ${missing.join(', ')}, which your role "${actorRole.code}" does not`,
      'nobody can grant, or take away, permissions they do not hold themselves',
    );
  }
}

/** Giving someone `role` (set-role, invite, reassign): every permission of it held, and only an owner makes an owner. */
export function assertMayGiveRole(actorRole: RoleRecord, role: RoleRecord): void {
  if (isOwnerRole(role) && !isOwnerRole(actorRole)) throw forbidden('only an owner can make someone an owner');
  assertCovers(actorRole, role.permissions, `the role "${role.code}"`);
}
