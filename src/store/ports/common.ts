// Plain records that cross the store boundary. Times are milliseconds since the epoch.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface UserRecord {
  id: number;
  email: string;
  name: string;
  createdAt: number;
}

export interface OrgRecord {
  id: number;
  slug: string;
  name: string;
  ticketKey: string;
  createdAt: number;
}

export interface RoleRecord {
  id: number;
  code: string;
  name: string;
  permissions: string[];
  isSystem: boolean;
}

/** An audit event as the domain built it; a store appends exactly this and never makes one up. */
export interface AuditInput {
  action: string;
  targetType: string;
  target: string;
  details: Record<string, unknown>;
}

/**
 * The domain's judgement of a change, run by the store INSIDE the write transaction against state
 * read there. It throws a TktError to refuse (nothing is written) and returns the plan: what to
 * write and the audit events that record it. Deciding inside the transaction is what keeps two
 * concurrent changes (two owners demoting themselves at once) from both passing a stale check.
 */
export type Decide<S, P = void> = (state: S) => P;
