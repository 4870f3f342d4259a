// Roles of the active organization: the four system roles every org starts with, plus custom
// ones. A role may be created or changed only by someone holding every permission it would
// grant; `owner` is fixed, and system roles cannot be deleted.
import { conflict, usageError } from '../errors.js';
import type { RoleRecord } from '../store/ports/common.js';
import type { MemberRecord } from '../store/ports/members.js';
import type { RoleSummary } from '../store/ports/roles.js';
import { auditEvent } from './audit-events.js';
import { found, roleNotFound } from './found.js';
import { assertStillPermitted, type Tenant } from './guard.js';
import { inviteState } from './invites.js';
import { roleRef } from './members.js';
import {
  assertCovers,
  assertMayGiveRole,
  assertRoleGrants,
  compareRoles,
  coversAll,
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
  return (await tenant.store.roles.list()).sort(compareRoles);
}

/** The roles the actor may give someone (set-role, invite): every permission of each held, owner only by an owner. */
export async function grantableRoles(tenant: Tenant): Promise<RoleSummary[]> {
  const actor = tenant.ctx.role;
  return (await listRoles(tenant)).filter((role) => (isOwnerRole(actor) || !isOwnerRole(role)) && coversAll(actor.permissions, role.permissions));
}

export async function showRole(tenant: Tenant, code: string): Promise<RoleSummary> {
  const ref = roleRef(code);
  const role = await tenant.store.roles.summary(ref);
  return found(role, () => roleNotFound(ref, tenant.ctx.org));
}

export async function createRole(tenant: Tenant, input: { code: string; name: string; permissions: string }): Promise<RoleRecord> {
  const code = roleCode(input.code);
  const name = roleName(input.name);
  const permissions = parsePermissionList(input.permissions);
  const { org } = tenant.ctx;
  const created = await tenant.store.roles.create({ code, name, permissions }, (state) => {
    const actor = assertStillPermitted(state.actor, org, 'role:manage');
    assertCovers(actor.role, permissions, `the role "${code}"`);
    return auditEvent.roleCreated({ code, name, permissions });
  });
  if (!created) throw conflict(`a role "${code}" already exists in ${org.slug}`, 'pick another code, or change it with tkt role edit');
  return created;
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
  const { org } = tenant.ctx;
  const { before, after } = await tenant.store.roles.edit(code, (state) => {
    const actor = assertStillPermitted(state.actor, org, 'role:manage');
    const role = found(state.role, () => roleNotFound(code, org));
    if (isOwnerRole(role)) throw conflict('the owner role cannot be edited', 'owners always hold every permission (*)');
    // Changing a role changes what its holders may do: only within what the editor holds.
    assertCovers(actor.role, role.permissions, `the role "${role.code}"`);
    if (change.permissions) assertCovers(actor.role, change.permissions, `the new permission list of "${role.code}"`);
    const after: RoleRecord = { ...role, ...change };
    const details: Parameters<typeof auditEvent.roleEdited>[1] = {};
    if (after.name !== role.name) details.name = { from: role.name, to: after.name };
    if (after.permissions.join(',') !== role.permissions.join(',')) details.permissions = { from: role.permissions, to: after.permissions };
    const changed = Object.keys(details).length > 0;
    return { role, name: after.name, permissions: after.permissions, audit: changed ? auditEvent.roleEdited(code, details) : null, before: role, after };
  });
  return { before, after };
}

export async function deleteRole(
  tenant: Tenant,
  codeInput: string,
  reassignInput?: string,
): Promise<{ role: RoleRecord; reassigned: MemberRecord[]; voidedInvites: number[] }> {
  const code = roleRef(codeInput);
  const reassign = reassignInput !== undefined ? roleRef(reassignInput, '--reassign') : undefined;
  if (reassign === code) throw usageError('--reassign must name another role than the one being deleted');
  const { org } = tenant.ctx;
  const slug = org.slug;
  const plan = await tenant.store.roles.delete(code, reassign, (state) => {
    const actor = assertStillPermitted(state.actor, org, 'role:manage');
    const role = found(state.role, () => roleNotFound(code, org));
    const reassignTo = reassign !== undefined ? found(state.reassignTo, () => roleNotFound(reassign, org)) : null;
    const { holders } = state;
    if (role.isSystem) throw conflict(`"${role.code}" is a system role and cannot be deleted`);
    assertCovers(actor.role, role.permissions, `the role "${role.code}"`);
    const deleted = auditEvent.roleDeleted(role, reassignTo && { to: reassignTo.code, count: holders.length });
    // Its pending invitations die with it: a role created later under the same code is another role.
    const voids = state.invites.filter((i) => inviteState(i, state.now) === 'pending');
    const voidInvites = { ids: voids.map((i) => i.id), reason: 'role-deleted' as const };
    const voided = voids.map((i) => auditEvent.inviteVoided(i.id, i.email, role.code, 'role-deleted'));
    if (holders.length === 0) return { role, assign: [], audit: [...voided, deleted], reassigned: [], voidInvites };
    if (!reassignTo) {
      const n = holders.length;
      throw conflict(
        `the role "${role.code}" is in use: ${n} member${n === 1 ? ' holds' : 's hold'} it`,
        `pass --reassign <role> to move ${n === 1 ? 'them' : 'them all'} to another role, or change their roles first with tkt member set-role`,
      );
    }
    assertRoleGrants(actor.role, 'member:role', slug);
    assertMayGiveRole(actor.role, reassignTo);
    return {
      role,
      assign: holders.map((h) => ({ userId: h.user.id, roleId: reassignTo.id })),
      audit: [
        ...holders.map((h) => auditEvent.memberRoleChanged(h.user.email, role.code, reassignTo.code, `role ${role.code} deleted`)),
        ...voided,
        deleted,
      ],
      reassigned: holders.map((h) => ({ ...h, role: reassignTo })),
      voidInvites,
    };
  });
  return { role: plan.role, reassigned: plan.reassigned, voidedInvites: plan.voidInvites.ids };
}
