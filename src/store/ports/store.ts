import type { AdminStore } from './admin.js';
import type { AuditRepo } from './audit.js';
import type { DirectoryStore } from './directory.js';
import type { IdentityStore } from './identity.js';
import type { TenantContext } from './tenant.js';

/**
 * The store as the domain sees it: atomic operations returning Promises. Each operation is one
 * transaction in the SQLite implementation; a PostgreSQL implementation would provide the same.
 */
export interface Store {
  readonly location: string;
  readonly identity: IdentityStore;
  readonly directory: DirectoryStore;
  readonly admin: AdminStore;
  /** Repositories bound to ctx.org: nothing reached through them can leave that organization. */
  forOrg(ctx: TenantContext): TenantStore;
  close(): void;
}

export interface TenantStore {
  readonly ctx: TenantContext;
  readonly audit: AuditRepo;
}
