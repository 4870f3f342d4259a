import type { OrgRecord, RoleRecord, UserRecord } from './common.js';

declare const tenantBrand: unique symbol;

/**
 * Proof that `user` was found, a moment ago and in the store, to be a member of `org` with `role`.
 * Only the store mints it (from a membership row), and only the tenant guard asks for it, so a
 * TenantContext cannot be built from config values or command-line input.
 */
export interface TenantContext {
  readonly [tenantBrand]: true;
  readonly user: UserRecord;
  readonly org: OrgRecord;
  readonly role: RoleRecord;
}

export function mintTenantContext(user: UserRecord, org: OrgRecord, role: RoleRecord): TenantContext {
  return Object.freeze({ user, org, role }) as TenantContext;
}

/** How a command names its organization: a slug typed by a person, or the id saved in config. */
export type OrgRef = { slug: string } | { id: number };
