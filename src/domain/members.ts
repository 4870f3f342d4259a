// Members of the active organization: who they are, their roles, removing them, and whether a
// member may do something. Every rule is a Decide run by the store inside the change's own
// transaction, against the actor and target as they are at that moment.
import { conflict, forbidden, usageError } from '../errors.js';
import type { OrgRecord, RoleRecord } from '../store/ports/common.js';
import type { MemberRecord, MemberRemoval, MembershipState, RemovalPlan, RoleChangeState } from '../store/ports/members.js';
import { auditEvent } from './audit-events.js';
import { found, memberNotFound, roleNotFound } from './found.js';
import { assertPermission, assertStillPermitted, type Tenant } from './guard.js';
import {
  assertCovers,
  assertMayGiveRole,
  expandPermissions,
  isOwnerRole,
  missingPermissions,
  parsePermission,
} from './permissions.js';
import * as validate from './validate.js';

/** A role code typed to name an existing role (lookups; new codes are checked by roles.roleCode). */
export function roleRef(value: string, field = 'role'): string {
  return validate.text(value, { field, max: 64 });
}

/**
 * An owner who would stop being one (demoted, removed, leaving) must not be the last.
 * `roleHolders` counts the members holding the target's role: the owners, when the target is one.
 */
export function assertOwnerRemains(target: MemberRecord, staysOwner: boolean, roleHolders: number, orgSlug: string, self: boolean): void {
  if (isOwnerRole(target.role) && !staysOwner && roleHolders <= 1) {
    throw conflict(
      `${self ? 'you are' : `${target.user.email} is`} the last owner of ${orgSlug}; an organization always has an owner`,
      self
        ? `hand it over first with tkt org transfer <email> (or delete it with tkt org delete ${orgSlug})`
        : 'make someone else an owner first: tkt org transfer <email>, or tkt member set-role <email> owner',
    );
  }
}

/** Touching a member: only an owner touches an owner, and nobody touches a role above their own. */
function assertMayTouch(actor: MemberRecord, target: MemberRecord, verb: string): void {
  if (isOwnerRole(target.role) && !isOwnerRole(actor.role)) throw forbidden(`only an owner can ${verb} an owner (${target.user.email})`);
  assertCovers(actor.role, target.role.permissions, `${target.user.email}'s role "${target.role.code}"`);
}

/** A role change as the rules allow it: the member with the new role, and the one they had. */
export interface RoleChange {
  member: MemberRecord;
  previous: RoleRecord;
}

function judgeRoleChange(state: RoleChangeState, input: { email: string; roleCode: string }, org: OrgRecord) {
  const actor = assertStillPermitted(state.actor, org, 'member:role');
  const target = found(state.target, () => memberNotFound(input.email, org));
  const to = found(state.to, () => roleNotFound(input.roleCode, org));
  const orgSlug = org.slug;
  const owners = state.targetRoleHolders;
  const self = actor.user.id === target.user.id;
  if (self && missingPermissions(actor.role.permissions, to.permissions).length > 0) {
    throw forbidden(`you cannot raise your own role (from "${actor.role.code}" to "${to.code}")`, 'ask an owner or admin of the organization');
  }
  if (!self) assertMayTouch(actor, target, "change the role of");
  assertMayGiveRole(actor.role, to);
  assertOwnerRemains(target, isOwnerRole(to), owners, orgSlug, self);
  const unchanged = to.id === target.role.id;
  return {
    assign: unchanged ? [] : [{ userId: target.user.id, roleId: to.id }],
    audit: unchanged ? [] : [auditEvent.memberRoleChanged(target.user.email, target.role.code, to.code)],
    member: { ...target, role: to },
    previous: target.role,
  };
}

/** Ending a membership unassigns every ticket the member holds here (an assignee must be a member). */
export function planRemoval(how: 'member.remove' | 'member.leave', member: MemberRecord, state: MembershipState): RemovalPlan {
  const unassign = state.assigned;
  return {
    member,
    unassign,
    audit: auditEvent.membershipEnded(how, member.user.email, member.role.code, unassign.map((t) => t.key)),
  };
}

function judgeRemoval(state: MembershipState, email: string, org: OrgRecord): RemovalPlan {
  const actor = assertStillPermitted(state.actor, org, 'member:remove');
  const target = found(state.target, () => memberNotFound(email, org));
  const orgSlug = org.slug;
  if (actor.user.id === target.user.id) throw usageError('you cannot remove yourself', `to leave ${orgSlug}, run tkt org leave`);
  assertMayTouch(actor, target, 'remove');
  assertOwnerRemains(target, false, state.targetRoleHolders, orgSlug, false);
  return planRemoval('member.remove', target, state);
}

export async function listMembers(tenant: Tenant): Promise<MemberRecord[]> {
  return tenant.store.members.list();
}

export async function setMemberRole(
  tenant: Tenant,
  input: { email: string; role: string },
): Promise<RoleChange> {
  const email = validate.email(input.email);
  const roleCode = roleRef(input.role);
  const { member, previous } = await tenant.store.members.setRole({ email, roleCode }, (state) =>
    judgeRoleChange(state, { email, roleCode }, tenant.ctx.org),
  );
  return { member, previous };
}

export async function removeMember(tenant: Tenant, emailInput: string): Promise<MemberRemoval> {
  const email = validate.email(emailInput);
  return tenant.store.members.remove(email, (state) => judgeRemoval(state, email, tenant.ctx.org));
}

export interface AccessAnswer {
  permission: string;
  email: string;
  org: string;
  allowed: boolean;
  /** The member's role, or null when they are not a member. */
  role: string | null;
  /** The entries of the role's permission list that grant it ("ticket:*", "*"). */
  via: string[];
  reason: string;
}

/** May `email` (default: me) do `permission` in the active org? Asking about someone else needs member:read. */
export async function checkAccess(tenant: Tenant, input: { permission: string; email?: string }): Promise<AccessAnswer> {
  const permission = parsePermission(input.permission);
  const { ctx } = tenant;
  let email = ctx.user.email;
  let role: RoleRecord | null = ctx.role;
  if (input.email !== undefined) {
    assertPermission(ctx, 'member:read');
    email = validate.email(input.email, '--user');
    if (email !== ctx.user.email) role = (await tenant.store.members.findByEmail(email))?.role ?? null;
  }
  const who = email === ctx.user.email ? 'you' : email;
  const base = { permission, email, org: ctx.org.slug, role: role?.code ?? null };
  if (!role) {
    return { ...base, allowed: false, via: [], reason: `${email} is not a member of ${ctx.org.slug}` };
  }
  const missing = missingPermissions(role.permissions, [permission]);
  if (missing.length > 0) {
    const lacking = missing.length === expandPermissions([permission]).length ? permission : missing.join(', ');
    return { ...base, allowed: false, via: [], reason: `${who} (role "${role.code}") may not ${permission} in ${ctx.org.slug}: the role does not grant ${lacking}` };
  }
  const wanted = new Set(expandPermissions([permission]));
  const via = role.permissions.filter((held) => expandPermissions([held]).some((p) => wanted.has(p)));
  return { ...base, allowed: true, via, reason: `${who} may ${permission} in ${ctx.org.slug}: role "${role.code}" grants it (${via.join(', ')})` };
}
