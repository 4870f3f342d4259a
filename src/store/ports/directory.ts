import type { AuditInput, OrgRecord, RoleRecord } from './common.js';
import type { OrgRef, TenantContext } from './tenant.js';
import type { StatusRecord } from './workflow.js';

export interface NewOrg {
  name: string;
  slug: string;
  ticketKey: string;
  ownerId: number;
  /** The system roles, created with the org. */
  systemRoles: Array<{ code: string; name: string; permissions: string[] }>;
  /** Which of them the creator gets. */
  ownerRole: string;
  /** The org's first workflow: these statuses in this order, no transition rules. */
  statuses: StatusRecord[];
  audit: AuditInput;
}

/** Nothing is written unless created. */
export type CreateOrgOutcome = { kind: 'created'; org: OrgRecord } | { kind: 'slug-taken' } | { kind: 'key-taken' };

/** The cross-organization view a user has: which orgs exist for them, and the way into one. */
export interface DirectoryStore {
  /** Org row, system roles, owner membership and audit event, in one transaction. */
  createOrg(input: NewOrg): Promise<CreateOrgOutcome>;
  /**
   * Re-reads the user's membership of the org and returns it as a TenantContext, or null when the
   * org does not exist or the user is not a member (the two are deliberately the same answer).
   */
  findMembership(userId: number, ref: OrgRef): Promise<TenantContext | null>;
  listMemberships(userId: number): Promise<Array<{ org: OrgRecord; role: RoleRecord }>>;
}
