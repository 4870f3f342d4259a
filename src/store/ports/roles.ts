import type { RoleRecord } from './common.js';
import type { ActorState, Decide, MemberRecord } from './members.js';

/** The protected system role: at least one member of every organization holds it. */
export const OWNER_ROLE = 'owner';
/** What a transferring owner becomes. */
export const ADMIN_ROLE = 'admin';

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
  role: RoleRecord;
}

export interface RoleDeleteState extends ActorState {
  role: RoleRecord;
  holders: MemberRecord[];
  reassignTo: RoleRecord | null;
}

/** The roles of the bound organization, looked up by code (codes are unique per org). */
export interface RolesRepo {
  list(): Promise<RoleSummary[]>;
  /** null when this org has no role with that code (another org's custom role looks the same). */
  findByCode(code: string): Promise<RoleRecord | null>;
  summary(code: string): Promise<RoleSummary | null>;
  /** Duplicate code: conflict (exit 6). `role.create` audit event. */
  create(input: NewRole, decide: Decide<ActorState>): Promise<RoleRecord>;
  /** Not found: exit 5. `role.edit` audit event. */
  edit(code: string, change: { name?: string; permissions?: string[] }, decide: Decide<RoleEditState>): Promise<{ before: RoleRecord; after: RoleRecord }>;
  /**
   * Deletes the role; its holders first move to `reassignTo` (a `member.role` event each), then a
   * `role.delete` event. Not found (the role or the reassign target): exit 5.
   */
  delete(code: string, reassignTo: string | undefined, decide: Decide<RoleDeleteState>): Promise<{ role: RoleRecord; reassigned: MemberRecord[] }>;
}
