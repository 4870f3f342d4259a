// The ports: what the domain sees of a store. A `*Store` is not bound to an organization (users,
// the directory of orgs, accepting an invitation, maintenance); a `*Repo` is bound to one
// organization through a TenantContext, and nothing reached through it can leave that org.
// A store reads, writes and locks; every decision (rules, no-ops, audit events, error texts) is
// the domain's, handed in as a Decide and run inside the store's transaction.
import type { AdminStore } from './admin.js';
import type { AuditRepo } from './audit.js';
import type { DirectoryStore } from './directory.js';
import type { IdentityStore } from './identity.js';
import type { InviteRepo, InviteStore } from './invites.js';
import type { MembersRepo } from './members.js';
import type { OrganizationRepo } from './organization.js';
import type { RolesRepo } from './roles.js';
import type { TenantContext } from './tenant.js';
import type { TicketRepo } from './tickets.js';

/**
 * The store as the domain sees it: atomic operations returning Promises. Each operation is one
 * transaction in the SQLite implementation; a PostgreSQL implementation must provide the same,
 * and the serializability each port's comments ask for.
 */
export interface Store {
  /** The store's label (a file path, or a postgres:// URL without its password): for people and config keys. */
  readonly location: string;
  readonly identity: IdentityStore;
  readonly directory: DirectoryStore;
  readonly admin: AdminStore;
  /** Accepting an invitation: before it, the user is not a member of the org, so this is not tenant-bound. */
  readonly invites: InviteStore;
  /** Repositories bound to ctx.org: nothing reached through them can leave that organization. */
  forOrg(ctx: TenantContext): TenantStore;
  /**
   * PostgreSQL: the session or API token secret this process acts as, presented to the database in
   * every transaction (row-level security finds the principal from it). SQLite needs none.
   */
  presentToken?(secret: string): void;
  close(): Promise<void>;
}

export interface TenantStore {
  readonly audit: AuditRepo;
  readonly tickets: TicketRepo;
  readonly invites: InviteRepo;
  readonly members: MembersRepo;
  readonly roles: RolesRepo;
  readonly organization: OrganizationRepo;
}
