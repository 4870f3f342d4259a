// Roles of the active organization: the four system roles every org starts with, plus custom
// ones. A role may be created or changed only by someone holding every permission it would
// grant; `owner` is fixed, and system roles cannot be deleted.
import { conflict, notFound, usageError } from '../errors.js';
import type { RoleRecord } from '../store/ports/common.js';
import type { MemberRecord } from '../store/ports/members.js';
import type { RoleSummary } from '../store/ports/roles.js';
import type { Tenant } from './guard.js';
import { roleRef } from './members.js';
import {
  assertCovers,
  assertMayGiveRole,
  assertRoleGrants,
  isOwnerRole,
  parsePermissionList,
  SYSTEM_ROLE_CODES,
} from './permissions.js';
import * as validate from './validate.js';

const ROLE_CODE = /^[a-z0-9][a-z0-9-]{1,31}$/;

/** A new custom role's code: 2-32 characters of a-z, 0-9 and -, not a system role's. */
export function roleCode(value: string): string {
  if (!ROLE_CODE.test(value)) {
    throw usageError(`invalid role code ${JSON.stringify(value)}`, 'a role code is 2-32 characters of a-z, 0-9 and -, starting with a letter or digit');
  }
  if (SYSTEM_ROLE_CODES.includes(value)) {
    throw conflict(`"${value}" is a system role; custom roles cannot reuse its code`, `system roles: ${SYSTEM_ROLE_CODES.join(', ')}`);
  }
  return value;
}

function roleName(value: string): string {
  return validate.text(value, { field: '--name', max: 100 });
}

export async function listRoles(tenant: Tenant): Promise<RoleSummary[]> {
  return tenant.store.roles.list();
}

export async function showRole(tenant: Tenant, code: string): Promise<RoleSummary> {
  const ref = roleRef(code);
  const role = await tenant.store.roles.summary(ref);
  if (!role) throw notFound(`no role "${ref}" in ${tenant.ctx.org.slug}`, 'tkt role list shows the roles');
  return role;
}

export async function createRole(tenant: Tenant, input: { code: string; name: string; permissions: string }): Promise<RoleRecord> {
  const code = roleCode(input.code);
  const name = roleName(input.name);
  const permissions = parsePermissionList(input.permissions);
  const slug = tenant.ctx.org.slug;
  return tenant.store.roles.create({ code, name, permissions }, ({ actor }) => {
    assertRoleGrants(actor.role, 'role:manage', slug);
    assertCovers(actor.role, permissions, `the role "${code}"`);
  });
}

export async function editRole(
  tenant: Tenant,
  codeInput: string,
  input: { name?: string; permissions?: string },
): Promise<{ before: RoleRecord; after: RoleRecord }> {
  if (input.name === undefined && input.permissions === undefined) {
    throw usageError('nothing to change', 'pass --name and/or --permissions');
  }
  const code = roleRef(codeInput);
  const change = {
    ...(input.name !== undefined ? { name: roleName(input.name) } : {}),
    ...(input.permissions !== undefined ? { permissions: parsePermissionList(input.permissions) } : {}),
  };
  const slug = tenant.ctx.org.slug;
  return tenant.store.roles.edit(code, change, ({ actor, role }) => {
    assertRoleGrants(actor.role, 'role:manage', slug);
    if (isOwnerRole(role)) throw conflict('the owner role cannot be edited', 'owners always hold every permission (*)');
    // Changing a role changes what its holders may do: only within what the editor holds.
    assertCovers(actor.role, role.permissions, `the role "${role.code}"`);
    if (change.permissions) assertCovers(actor.role, change.permissions, `the new permission list of "${role.code}"`);
  });
}

export async function deleteRole(
  tenant: Tenant,
  codeInput: string,
  reassignInput?: string,
): Promise<{ role: RoleRecord; reassigned: MemberRecord[] }> {
  const code = roleRef(codeInput);
  const reassign = reassignInput !== undefined ? roleRef(reassignInput, '--reassign') : undefined;
  if (reassign === code) throw usageError('--reassign must name another role than the one being deleted');
  const slug = tenant.ctx.org.slug;
  return tenant.store.roles.delete(code, reassign, ({ actor, role, holders, reassignTo }) => {
    assertRoleGrants(actor.role, 'role:manage', slug);
    if (role.isSystem) throw conflict(`"${role.code}" is a system role and cannot be deleted`);
    assertCovers(actor.role, role.permissions, `the role "${role.code}"`);
    if (holders.length === 0) return;
    if (!reassignTo) {
      const n = holders.length;
      throw conflict(
        `the role "${role.code}" is in use: ${n} member${n === 1 ? ' holds' : 's hold'} it`,
        `pass --reassign <role> to move ${n === 1 ? 'them' : 'them all'} to another role, or change their roles first with tkt member set-role`,
      );
    }
    assertRoleGrants(actor.role, 'member:role', slug);
    assertMayGiveRole(actor.role, reassignTo);
  });
}
