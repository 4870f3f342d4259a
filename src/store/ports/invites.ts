import type { OrgRecord, RoleRecord, UserRecord } from './common.js';

/**
 * Why an invitation stopped being usable when no one accepted or revoked it by hand. `replaced`
 * goes with a revoke (a newer invite to the same email took its place); the others are set at
 * accept time, when the re-check of the role and the inviter failed.
 */
export type VoidReason = 'replaced' | 'role-deleted' | 'inviter-left' | 'inviter-lacks-permission';

export interface InviteRecord {
  id: number;
  /** Lower-cased. */
  email: string;
  roleCode: string;
  inviter: { email: string; name: string };
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedBy: { email: string; name: string } | null;
  revokedAt: number | null;
  voidReason: VoidReason | null;
}

/**
 * The domain's rule for inviting as `role`, run by the store INSIDE the transaction against the
 * inviter's role and the invited role as they are there; it throws a TktError to refuse.
 */
export type InviteRule = (inviter: RoleRecord, role: RoleRecord, org: OrgRecord) => void;

export interface NewInvite {
  email: string;
  roleCode: string;
  tokenHash: string;
  ttlMs: number;
  /** A refusal propagates (nothing is written). */
  authorize: InviteRule;
  rateLimit: { max: number; windowMs: number };
}

export type CreateInviteOutcome =
  | { kind: 'created'; invite: InviteRecord; replaced: number[] }
  | { kind: 'no-such-role' }
  | { kind: 'already-member' }
  | { kind: 'rate-limited'; nextAt: number };

export type RevokeInviteOutcome =
  | { kind: 'revoked'; invite: InviteRecord }
  | { kind: 'not-found' }
  /** It exists in this org but is no longer pending. */
  | { kind: 'not-pending'; invite: InviteRecord };

/** Invitations of one organization (bound like every tenant repository). */
export interface InviteRepo {
  /**
   * One transaction: the role by code, the invite rule, "already a member", the rate limit (rows
   * created in the window, counted under the write lock), revoking a pending invite to the same
   * email (reason `replaced`), the insert and its audit events.
   */
  create(input: NewInvite): Promise<CreateInviteOutcome>;
  /** Newest first; only pending ones unless `all`. */
  list(options: { all: boolean }): Promise<InviteRecord[]>;
  revoke(id: number): Promise<RevokeInviteOutcome>;
}

/** Who accepts: a signed-in user, or a new account created in the same transaction (signup --invite). */
export type Invitee = { userId: number } | { newUser: { email: string; name: string; passwordHash: string } };

export interface AcceptInput {
  tokenHash: string;
  invitee: Invitee;
  /** A refusal voids the invitation (reason `inviter-lacks-permission`). */
  authorize: InviteRule;
}

export type AcceptOutcome =
  | { kind: 'accepted'; invite: InviteRecord; org: OrgRecord; role: RoleRecord; user: UserRecord }
  | { kind: 'unknown' }
  | { kind: 'used' | 'revoked' | 'expired' | 'void'; invite: InviteRecord; org: OrgRecord }
  /** Nothing was written: the invitation stays usable by the right person. */
  | { kind: 'wrong-email' }
  | { kind: 'already-member'; org: OrgRecord }
  /** signup --invite with an email that already has an account. */
  | { kind: 'email-taken' }
  /** The re-check failed; the invitation was marked void and that mark was committed. */
  | { kind: 'voided'; reason: Exclude<VoidReason, 'replaced'>; invite: InviteRecord; org: OrgRecord };

/**
 * Accepting is not bound to an organization (the user is not a member yet): the token names the
 * invitation, and through it the organization.
 */
export interface InvitationStore {
  /**
   * ONE write transaction: find by token hash; check state, email, membership, role and inviter;
   * then consume the invite (guarded UPDATE), create the user when new, insert the membership and
   * append `invite.accept`. A failed re-check commits only the void mark and `invite.void`.
   */
  accept(input: AcceptInput): Promise<AcceptOutcome>;
}
