import type { OrgRecord } from './common.js';
import type { ActorState, Decide } from './members.js';

/** Changes to the bound organization itself. */
export interface OrgAdminRepo {
  /** `org.rename` audit event. */
  rename(name: string, decide: Decide<ActorState>): Promise<{ before: OrgRecord; after: OrgRecord }>;
  /** Deletes the organization and, by cascade, everything in it (its audit log too), in one transaction. */
  delete(decide: Decide<ActorState>): Promise<void>;
}
