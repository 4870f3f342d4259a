// Managing the active organization itself: its name, its ownership, leaving it, deleting it.
import { forbidden, usageError } from '../errors.js';
import type { OrgRecord, RoleRecord } from '../store/ports/common.js';
import type { MemberRemoval, TransferState } from '../store/ports/members.js';
import { auditEvent } from './audit-events.js';
import { found, memberNotFound, roleNotFound, stillMember } from './found.js';
import { assertStillPermitted, type Tenant } from './guard.js';
import { assertOwnerRemains, planRemoval, type RoleChange } from './members.js';
import { ADMIN_ROLE, isOwnerRole, OWNER_ROLE } from './permissions.js';
import * as validate from './validate.js';

export async function renameOrg(tenant: Tenant, nameInput: string): Promise<{ before: OrgRecord; after: OrgRecord }> {
  const name = validate.text(nameInput, { field: 'name', max: 100 });
  const { org } = tenant.ctx;
  return tenant.store.organization.rename(name, (state) => {
    assertStillPermitted(state.actor, org, 'org:update');
    // A member exists only in an org that exists: the same refusal as for a removed member.
    const current = found(state.org, () => forbidden(`${org.slug} no longer exists`));
    return current.name === name ? null : auditEvent.orgRenamed(current.slug, current.name, name);
  });
}

function assertOwner(role: RoleRecord, orgSlug: string): void {
  if (!isOwnerRole(role)) throw forbidden(`only an owner can transfer ${orgSlug}`, `your role is "${role.code}"`);
}

function judgeTransfer(state: TransferState, email: string, org: OrgRecord) {
  const actor = stillMember(state.actor, org);
  assertOwner(actor.role, org.slug);
  const target = found(state.target, () => memberNotFound(email, org));
  const owner = found(state.to, () => roleNotFound(OWNER_ROLE, org));
  const admin = found(state.formerOwnerTo, () => roleNotFound(ADMIN_ROLE, org));
  if (actor.user.id === target.user.id) throw usageError(`you already own ${org.slug}`, 'name the member who should become owner');
  return {
    assign: [
      { userId: target.user.id, roleId: owner.id },
      { userId: actor.user.id, roleId: admin.id },
    ],
    audit: [auditEvent.orgTransferred({ email: target.user.email, previousRole: target.role.code }, actor.user.email, admin.code)],
    member: { ...target, role: owner },
    previous: target.role,
  };
}

/** The member becomes owner and I become admin, in one transaction. */
export async function transferOrg(tenant: Tenant, emailInput: string): Promise<RoleChange> {
  // Refused before the target is looked up, so a non-owner cannot probe who is a member (exit 5 vs 4);
  // judgeTransfer checks again inside the transaction, against the role as it is then.
  assertOwner(tenant.ctx.role, tenant.ctx.org.slug);
  const email = validate.email(emailInput);
  const { member, previous } = await tenant.store.members.transferOwnership({ email, to: OWNER_ROLE, formerOwnerTo: ADMIN_ROLE }, (state) =>
    judgeTransfer(state, email, tenant.ctx.org),
  );
  return { member, previous };
}

/** Anyone may leave, except the last owner. */
export async function leaveOrg(tenant: Tenant): Promise<MemberRemoval> {
  const { org } = tenant.ctx;
  return tenant.store.members.leave((state) => {
    const me = stillMember(state.actor, org);
    assertOwnerRemains(me, false, state.targetRoleHolders, org.slug, true);
    return planRemoval('member.leave', me, state);
  });
}

/** Deletes the organization and everything in it. The caller has had it confirmed. */
export async function deleteOrg(tenant: Tenant): Promise<void> {
  const { org } = tenant.ctx;
  await tenant.store.organization.delete(({ actor }) => void assertStillPermitted(actor, org, 'org:delete'));
}
