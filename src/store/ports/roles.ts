import type { AuditInput, Decide, RoleRecord } from './common.js';
import type { InviteRecord, VoidReason } from './invites.js';
import type { ActorState, MemberRecord, RoleChangePlan } from './members.js';

export interface RoleSummary extends RoleRecord {
  /** How many members hold it. */
  members: number;
}

export interface NewRole {
  code: string;
  name: string;
  permissions: string[];
}

export interface RoleEditState extends ActorState {
  /** null when the org has no role with that code. */
  role: RoleRecord | null;
}

/** `role` gets this name and these permissions; a null audit event means nothing changes (nothing is written). */
export interface RoleEditPlan {
  role: RoleRecord;
  name: string;
  permissions: string[];
  audit: AuditInput | null;
}

export interface RoleDeleteState extends ActorState {
  role: RoleRecord | null;
  holders: MemberRecord[];
  /** The role its holders would move to; null when none was named or the org has no such role. */
  reassignTo: RoleRecord | null;
  /** The role's invitations, whatever their state; each loses its role when the role goes. */
  invites: InviteRecord[];
  /** The store's clock at the read. */
  now: number;
}

/** Holders move first (`assign`), then the role goes; the events are appended in order. */
export interface RoleDeletePlan extends RoleChangePlan {
  role: RoleRecord;
  /** Invitations to mark void, with this reason, as the role goes. */
  voidInvites: { ids: number[]; reason: VoidReason };
}

/** The roles of the bound organization, looked up by code (codes are unique per org). */
export interface RolesRepo {
  /** In no particular order. */
  list(): Promise<RoleSummary[]>;
  /** null when this org has no role with that code (another org's custom role looks the same). */
  summary(code: string): Promise<RoleSummary | null>;
  /** null when the org already has a role with that code (nothing is written). */
  create(input: NewRole, decide: Decide<ActorState, AuditInput>): Promise<RoleRecord | null>;
  /** Writes the plan and hands it back. */
  edit<P extends RoleEditPlan>(code: string, decide: Decide<RoleEditState, P>): Promise<P>;
  /**
   * Writes the plan and hands it back. Moving holders changes who owns what: serializable against
   * the MembersRepo changes, like them.
   */
  delete<P extends RoleDeletePlan>(code: string, reassignTo: string | undefined, decide: Decide<RoleDeleteState, P>): Promise<P>;
}
