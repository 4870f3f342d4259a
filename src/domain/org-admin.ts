// Managing the active organization itself: its name, its ownership, leaving it, deleting it.
import { forbidden, usageError } from '../errors.js';
import type { OrgRecord, RoleRecord } from '../store/ports/common.js';
import type { MemberRecord, MemberRemoval, RoleChangeState } from '../store/ports/members.js';
import type { Tenant } from './guard.js';
import { assertOwnerRemains } from './members.js';
import { assertRoleGrants, isOwnerRole } from './permissions.js';
import * as validate from './validate.js';

export async function renameOrg(tenant: Tenant, nameInput: string): Promise<{ before: OrgRecord; after: OrgRecord }> {
  const name = validate.text(nameInput, { field: 'name', max: 100 });
  return tenant.store.orgAdmin.rename(name, ({ actor }) => assertRoleGrants(actor.role, 'org:update', tenant.ctx.org.slug));
}

function assertOwner(role: RoleRecord, orgSlug: string): void {
  if (!isOwnerRole(role)) throw forbidden(`only an owner can transfer ${orgSlug}`, `your role is "${role.code}"`);
}

export function judgeTransfer(state: RoleChangeState, orgSlug: string): void {
  const { actor, target } = state;
  assertOwner(actor.role, orgSlug);
  if (actor.user.id === target.user.id) throw usageError(`you already own ${orgSlug}`, 'name the member who should become owner');
}

/** The member becomes owner and I become admin, in one transaction. */
export async function transferOrg(tenant: Tenant, emailInput: string): Promise<{ member: MemberRecord; previous: RoleRecord }> {
  // Refused before the target is looked up, so a non-owner cannot probe who is a member (exit 5 vs 4);
  // judgeTransfer checks again inside the transaction, against the role as it is then.
  assertOwner(tenant.ctx.role, tenant.ctx.org.slug);
  const email = validate.email(emailInput);
  return tenant.store.members.transferOwnership(email, (state) => judgeTransfer(state, tenant.ctx.org.slug));
}

/** Anyone may leave, except the last owner. */
export async function leaveOrg(tenant: Tenant): Promise<MemberRemoval> {
  const slug = tenant.ctx.org.slug;
  return tenant.store.members.leave(({ target, owners }) => assertOwnerRemains(target, false, owners, slug, true));
}

/** Deletes the organization and everything in it. The caller has had it confirmed. */
export async function deleteOrg(tenant: Tenant): Promise<void> {
  await tenant.store.orgAdmin.delete(({ actor }) => assertRoleGrants(actor.role, 'org:delete', tenant.ctx.org.slug));
}
