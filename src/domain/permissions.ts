import { usageError } from '../errors.js';

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
] as const;

export type Permission = (typeof PERMISSIONS)[number]['code'];

export const PERMISSION_CODES: readonly Permission[] = PERMISSIONS.map((p) => p.code);
const WILDCARDS = ['*', 'ticket:*'] as const;
const VALID = new Set<string>([...PERMISSION_CODES, ...WILDCARDS]);

const ALL_BUT_ORG_DELETE = PERMISSION_CODES.filter((p) => p !== 'org:delete');

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
  return expandPermissions(wanted).every((p) => grants(held, p));
}

/** Parses "a,b,c" (spaces allowed), rejecting unknown permissions with the list of valid ones. */
export function parsePermissionList(input: string, flag = '--permissions'): string[] {
  const items = input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw usageError(`${flag} needs at least one permission`);
  const unknown = items.filter((p) => !VALID.has(p));
  if (unknown.length > 0) {
    throw usageError(
      `unknown permission${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      `valid permissions: ${[...PERMISSION_CODES, ...WILDCARDS].join(', ')}`,
    );
  }
  return [...new Set(items)];
}

export function isPermission(value: string): value is Permission {
  return (PERMISSION_CODES as readonly string[]).includes(value);
}
