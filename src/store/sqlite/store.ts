import { systemClock, type Clock } from '../ports/common.js';
import type { Store, TenantStore } from '../ports/store.js';
import type { TenantContext } from '../ports/tenant.js';
import { SqliteAdminStore } from './admin.js';
import { SqliteArchiveStore } from './archive.js';
import { SqliteAttachmentRepo } from './attachments.js';
import { SqliteAuditRepo } from './audit.js';
import { openConnection, type Connection, type OpenOptions } from './connection.js';
import { SqliteDirectoryStore } from './directory.js';
import { SqliteIdentityStore } from './identity.js';
import { SqliteTicketRepo } from './tickets.js';
import { SqliteInviteRepo, SqliteInviteStore } from './invites.js';
import { SqliteMembersRepo } from './members.js';
import { SqliteOrganizationRepo } from './organization.js';
import { SqliteRolesRepo } from './roles.js';
import { SqliteWorkflowRepo } from './workflow.js';

export class SqliteStore implements Store {
  readonly identity: SqliteIdentityStore;
  readonly directory: SqliteDirectoryStore;
  readonly admin: SqliteAdminStore;
  readonly invites: SqliteInviteStore;
  readonly archive: SqliteArchiveStore;

  constructor(
    readonly conn: Connection,
    private readonly clock: Clock,
  ) {
    this.identity = new SqliteIdentityStore(conn, clock);
    this.directory = new SqliteDirectoryStore(conn, clock);
    this.admin = new SqliteAdminStore(conn, clock);
    this.invites = new SqliteInviteStore(conn, clock);
    this.archive = new SqliteArchiveStore(conn, clock);
  }

  /** A SQLite store's label is its path. */
  get location(): string {
    return this.conn.path;
  }

  forOrg(ctx: TenantContext): TenantStore {
    const { conn, clock } = this;
    return {
      audit: new SqliteAuditRepo(conn, clock, ctx),
      tickets: new SqliteTicketRepo(conn, clock, ctx),
      invites: new SqliteInviteRepo(conn, clock, ctx),
      members: new SqliteMembersRepo(conn, clock, ctx),
      roles: new SqliteRolesRepo(conn, clock, ctx),
      organization: new SqliteOrganizationRepo(conn, clock, ctx),
      attachments: new SqliteAttachmentRepo(conn, clock, ctx),
      workflow: new SqliteWorkflowRepo(conn, clock, ctx),
    };
  }

  /** Closes at once (before the returned promise settles): callers that do not await it may delete the file. */
  async close(): Promise<void> {
    if (this.conn.sqlite.open) this.conn.sqlite.close();
  }
}

export function openSqliteStore(options: OpenOptions & { clock?: Clock }): SqliteStore {
  return new SqliteStore(openConnection(options), options.clock ?? systemClock);
}
