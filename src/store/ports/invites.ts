import type { AuditInput, Decide, OrgRecord, RoleRecord, UserRecord } from './common.js';
import type { ActorState } from './members.js';

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
  /** The invited role as it is now (read with the invitation); null once that role was deleted. */
  role: RoleRecord | null;
  /** The role's code when invited: what to show once the role is gone. */
  roleCode: string;
  inviter: { email: string; name: string };
  createdAt: number;
  expiresAt: number;
  acceptedAt: number | null;
  acceptedBy: { email: string; name: string } | null;
  revokedAt: number | null;
  voidReason: VoidReason | null;
}

/** What inviting is judged by, read inside the transaction. */
export interface InviteCreateState {
  /** The store's clock at the read: every time in the decision is relative to it. */
  now: number;
  /** The inviter's role as it is now; null when they are no longer a member. */
  inviterRole: RoleRecord | null;
  /** The role invited as; null when the org has none with that code. */
  role: RoleRecord | null;
  alreadyMember: boolean;
  /** When this org's invitations of the last `recentWindowMs` were created, oldest first. */
  recent: number[];
  /** This org's invitations to the same email, whatever their state. */
  sameEmail: InviteRecord[];
}

export interface InviteRevokeState extends ActorState {
  now: number;
  /** null when the org has no invitation with that id. */
  invite: InviteRecord | null;
}

export interface InviteCreatePlan {
  /** The role the invitation is bound to (by id). */
  role: RoleRecord;
  expiresAt: number;
  /** Invitations to mark revoked now, with this reason (a newer one takes their place). */
  replace: { ids: number[]; reason: VoidReason };
  /** The audit events, once the new invitation has its id. */
  audit(id: number): AuditInput[];
}

export interface NewInvite {
  email: string;
  roleCode: string;
  tokenHash: string;
  /** How far back `recent` reaches. */
  recentWindowMs: number;
}

/**
 * Invitations of one organization (bound like every tenant repository). Creating must be
 * serializable against other creates in the org: the rate limit counts rows under the write lock.
 */
export interface InviteRepo {
  /** One transaction: read the state, decide, revoke the replaced ones, insert, append the events. */
  create(input: NewInvite, decide: Decide<InviteCreateState, InviteCreatePlan>): Promise<{ invite: InviteRecord; replaced: number[] }>;
  /** Every invitation of the org, newest first, with the store's clock at the read. */
  list(): Promise<{ invites: InviteRecord[]; now: number }>;
  /** Marks it revoked now as the decide allows (it throws to refuse, also when there is no such invitation: `invite` null). */
  revoke(id: number, decide: Decide<InviteRevokeState, AuditInput>): Promise<InviteRecord>;
}

/** Who accepts: a signed-in user, or a new account created in the same transaction (signup --invite). */
export type Invitee = { userId: number } | { newUser: { email: string; name: string; passwordHash: string } };

export interface AcceptState {
  now: number;
  invite: InviteRecord;
  org: OrgRecord;
  /** The signed-in invitee as stored (null: no such user); null too for a new account. */
  user: UserRecord | null;
  /** signup --invite: an account with the invitation's email exists already. */
  emailTaken: boolean;
  /** The signed-in invitee is a member of the org already. */
  alreadyMember: boolean;
  inviterId: number;
  /** The inviter's role as it is now; null when they left. */
  inviterRole: RoleRecord | null;
}

export type AcceptRefusal = 'used' | 'revoked' | 'expired' | 'void' | 'wrong-email' | 'already-member' | 'email-taken';

export type AcceptPlan =
  /** Nothing is written. */
  | { kind: AcceptRefusal }
  /** The void mark and its event are written (by `actorId`), and committed. */
  | { kind: 'voided'; reason: Exclude<VoidReason, 'replaced'>; actorId: number; audit: AuditInput }
  /** The invitation is consumed, the user created when new, the membership inserted, the event appended by the new member. */
  | { kind: 'accept'; role: RoleRecord; audit: AuditInput };

export type AcceptOutcome =
  | { kind: 'accepted'; invite: InviteRecord; org: OrgRecord; role: RoleRecord; user: UserRecord }
  | { kind: 'unknown' }
  | { kind: AcceptRefusal; invite: InviteRecord; org: OrgRecord }
  | { kind: 'voided'; reason: Exclude<VoidReason, 'replaced'>; invite: InviteRecord; org: OrgRecord };

/**
 * Accepting is not bound to an organization (the user is not a member yet): the token names the
 * invitation, and through it the organization.
 */
export interface InviteStore {
  /**
   * ONE write transaction: find by token hash, read the state, decide, write the plan. Accepts
   * must be serializable against each other and against revoke: an invitation is used once.
   */
  accept(input: { tokenHash: string; invitee: Invitee }, decide: Decide<AcceptState, AcceptPlan>): Promise<AcceptOutcome>;
}
