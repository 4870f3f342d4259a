import type { RoleRecord, UserRecord } from './common.js';

export interface MemberRecord {
  user: UserRecord;
  role: RoleRecord;
  joinedAt: number;
}

/**
 * The domain's rules for a change, run by the store INSIDE the write transaction against freshly
 * read state; they throw a TktError to refuse. Deciding inside the transaction is what keeps two
 * concurrent changes (two owners demoting themselves at once) from both passing a stale check.
 */
export type Decide<S> = (state: S) => void;

/** Every state handed to a Decide carries the person acting, re-read in the transaction. */
export interface ActorState {
  /** The acting member as the store holds them now (their role may have changed since the guard). */
  actor: MemberRecord;
}

export interface MembershipState extends ActorState {
  /** The member the change is about (the actor themselves for leave). */
  target: MemberRecord;
  /** How many members hold the owner role right now, before the change. */
  owners: number;
}

export interface RoleChangeState extends MembershipState {
  to: RoleRecord;
}

export interface MemberRemoval {
  member: MemberRecord;
  /** Keys (ACME-12) of the tickets that were assigned to them and are now unassigned. */
  unassigned: string[];
}

/** The memberships of the bound organization. Emails must already be normalised (lower-case). */
export interface MembersRepo {
  list(): Promise<MemberRecord[]>;
  /** null when no member of this org has that email (a member of another org looks the same). */
  findByEmail(email: string): Promise<MemberRecord | null>;
  /** Gives the member another role (not found: exit 5); `member.role` audit event unless unchanged. */
  setRole(
    input: { email: string; roleCode: string },
    decide: Decide<RoleChangeState>,
  ): Promise<{ member: MemberRecord; previous: RoleRecord }>;
  /** Ends a membership and unassigns that person's tickets here; `member.remove` audit event. */
  remove(email: string, decide: Decide<MembershipState>): Promise<MemberRemoval>;
  /** The actor ends their own membership, with the same clean-up; `member.leave` audit event. */
  leave(decide: Decide<MembershipState>): Promise<MemberRemoval>;
  /** Target becomes owner, the actor becomes admin; one `org.transfer` audit event. */
  transferOwnership(email: string, decide: Decide<RoleChangeState>): Promise<{ member: MemberRecord; previous: RoleRecord }>;
}
