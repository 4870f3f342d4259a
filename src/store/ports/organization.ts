import type { AuditInput, Decide, OrgRecord } from './common.js';
import type { ActorState } from './members.js';

export interface OrgChangeState extends ActorState {
  /** null when it was deleted meanwhile. */
  org: OrgRecord | null;
}

/** Changes to the bound organization itself. */
export interface OrganizationRepo {
  /** Renames as decided: null means unchanged (nothing written). */
  rename(name: string, decide: Decide<OrgChangeState, AuditInput | null>): Promise<{ before: OrgRecord; after: OrgRecord }>;
  /** Deletes the organization and, by cascade, everything in it (its audit log too), in one transaction. */
  delete(decide: Decide<ActorState>): Promise<void>;
}
