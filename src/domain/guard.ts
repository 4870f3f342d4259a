// The tenant guard: the only way a command reaches an organization's data.
//   principal (session or token, already re-checked) → org (flag / env / .tkt.json / config)
//   → membership and role, re-read from the store → permission → repositories bound to the org.
import { forbidden, usageError } from '../errors.js';
import type { OrgRecord } from '../store/ports/common.js';
import type { MemberRecord } from '../store/ports/members.js';
import type { Store, TenantStore } from '../store/ports/store.js';
import type { OrgRef, TenantContext } from '../store/ports/tenant.js';
import type { Principal } from './auth.js';
import { stillMember } from './found.js';
import { assertRoleGrants, type Permission } from './permissions.js';

/** What an org-scoped command needs: a permission, or only to be a member (org current, org leave). */
export type Requirement = Permission | 'membership';

export type OrgSource = '--org' | 'TKT_ORG' | '.tkt.json' | 'config' | 'argument';

export interface OrgSelection {
  ref: OrgRef;
  source: OrgSource;
}

export interface Tenant {
  ctx: TenantContext;
  store: TenantStore;
  principal: Principal;
}

export async function enterOrg(
  store: Store,
  principal: Principal,
  selection: OrgSelection | undefined,
  requirement: Requirement,
): Promise<Tenant> {
  if (!selection) {
    throw usageError('no organization selected', 'pass --org <slug>, or pick one with tkt org switch (tkt org list shows yours)');
  }
  const ctx = await store.directory.findMembership(principal.user.id, selection.ref);
  if (!ctx) throw notAMember(selection);
  if (requirement !== 'membership') assertPermission(ctx, requirement);
  return { ctx, store: store.forOrg(ctx), principal };
}

/** Unknown org and not-a-member give the very same answer. */
function notAMember(selection: OrgSelection) {
  if (selection.source === 'config') {
    return forbidden(
      'your active organization is no longer available to you (it was deleted, or you are no longer a member)',
      'run tkt org list, then tkt org switch <slug>',
    );
  }
  const slug = 'slug' in selection.ref ? selection.ref.slug : String(selection.ref.id);
  return forbidden(`you are not a member of an organization "${slug}" (from ${selection.source})`, 'tkt org list shows your organizations');
}

export function assertPermission(ctx: TenantContext, permission: Permission): void {
  assertRoleGrants(ctx.role, permission, ctx.org.slug);
}

/**
 * The guard again, inside a write's own transaction: the actor as re-read there must still be a
 * member (an org deleted meanwhile has no members) whose role grants `permission`. Between the
 * guard and the write lie prompts and slow input, long enough for an admin to remove or demote
 * them. Every tenant write's decide calls it first, before judging anything else.
 */
export function assertStillPermitted(actor: MemberRecord | null, org: OrgRecord, permission: Permission): MemberRecord {
  const me = stillMember(actor, org);
  assertRoleGrants(me.role, permission, org.slug);
  return me;
}
