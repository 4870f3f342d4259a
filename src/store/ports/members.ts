import type { AuditInput, Decide, RoleRecord, UserRecord } from './common.js';

export interface MemberRecord {
  user: UserRecord;
  role: RoleRecord;
  joinedAt: number;
}

/** Every state handed to a Decide carries the person acting, re-read in the transaction. */
export interface ActorState {
  /** The acting member as the store holds them now (their role may have changed since the guard); null when no longer a member. */
  actor: MemberRecord | null;
}

/** A ticket of this org, named both ways. */
export interface TicketRef {
  number: number;
  key: string;
}

export interface MembershipState extends ActorState {
  /** The member the change is about (the actor themselves for leave); null when there is no such member. */
  target: MemberRecord | null;
  /** How many members hold the target's role right now, before the change (the last-owner rule counts owners). */
  targetRoleHolders: number;
  /** The target's assigned tickets here, by number. */
  assigned: TicketRef[];
}

export interface RoleChangeState extends MembershipState {
  /** The role asked for; null when the org has none with that code. */
  to: RoleRecord | null;
}

export interface TransferState extends RoleChangeState {
  /** The role the transferring owner gets; null when the org has none with that code. */
  formerOwnerTo: RoleRecord | null;
}

/**
 * Roles to give (in order) and the audit events that record it; empty lists write nothing. The
 * store hands the plan back once written, so the domain may carry its result in it.
 */
export interface RoleChangePlan {
  assign: Array<{ userId: number; roleId: number }>;
  audit: AuditInput[];
}

/** Ends `member`'s membership after unassigning these of their tickets. */
export interface RemovalPlan {
  member: MemberRecord;
  unassign: TicketRef[];
  audit: AuditInput;
}

export interface MemberRemoval {
  member: MemberRecord;
  /** Keys (ACME-12) of the tickets that were assigned to them and are now unassigned. */
  unassigned: string[];
}

/**
 * The memberships of the bound organization. Emails must already be normalised (lower-case).
 * setRole, remove, leave and transferOwnership (and roles.delete, which moves holders) must be
 * serializable against each other: the last-owner rule judges a count that any of them changes.
 */
export interface MembersRepo {
  list(): Promise<MemberRecord[]>;
  /** null when no member of this org has that email (a member of another org looks the same). */
  findByEmail(email: string): Promise<MemberRecord | null>;
  setRole<P extends RoleChangePlan>(input: { email: string; roleCode: string }, decide: Decide<RoleChangeState, P>): Promise<P>;
  /** Ends a membership: unassigns what the plan says, deletes the membership, appends the event. */
  remove(email: string, decide: Decide<MembershipState, RemovalPlan>): Promise<MemberRemoval>;
  /** The actor ends their own membership, with the same clean-up. */
  leave(decide: Decide<MembershipState, RemovalPlan>): Promise<MemberRemoval>;
  /** The target gets role `to`, the actor role `formerOwnerTo`, as the plan says. */
  transferOwnership<P extends RoleChangePlan>(
    input: { email: string; to: string; formerOwnerTo: string },
    decide: Decide<TransferState, P>,
  ): Promise<P>;
}
