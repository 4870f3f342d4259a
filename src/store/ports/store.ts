import type { AdminStore } from './admin.js';
import type { AuditRepo } from './audit.js';
import type { DirectoryStore } from './directory.js';
import type { IdentityStore } from './identity.js';
import type { InvitationStore, InviteRepo } from './invites.js';
import type { MembersRepo } from './members.js';
import type { OrgAdminRepo } from './org-admin.js';
import type { RolesRepo } from './roles.js';
import type { TenantContext } from './tenant.js';
import type { TicketRepo } from './tickets.js';

/**
 * The store as the domain sees it: atomic operations returning Promises. Each operation is one
 * transaction in the SQLite implementation; a PostgreSQL implementation would provide the same.
 */
export interface Store {
  /** The store's label (a file path, or a postgres:// URL without its password): for people and config keys. */
  readonly location: string;
  readonly identity: IdentityStore;
  readonly directory: DirectoryStore;
  readonly admin: AdminStore;
  /** Accepting an invitation: before it, the user is not a member of the org, so this is not tenant-bound. */
  readonly invitations: InvitationStore;
  /** Repositories bound to ctx.org: nothing reached through them can leave that organization. */
  forOrg(ctx: TenantContext): TenantStore;
  close(): Promise<void>;
}

export interface TenantStore {
  readonly ctx: TenantContext;
  readonly audit: AuditRepo;
  readonly tickets: TicketRepo;
  readonly invites: InviteRepo;
  readonly members: MembersRepo;
  readonly roles: RolesRepo;
  readonly orgAdmin: OrgAdminRepo;
}
