import { systemClock, type Clock } from '../ports/common.js';
import type { Store, TenantStore } from '../ports/store.js';
import type { TenantContext } from '../ports/tenant.js';
import { SqliteAdminStore } from './admin.js';
import { SqliteAuditRepo } from './audit.js';
import { openConnection, type Connection, type OpenOptions } from './connection.js';
import { SqliteDirectoryStore } from './directory.js';
import { SqliteIdentityStore } from './identity.js';

export class SqliteStore implements Store {
  readonly identity: SqliteIdentityStore;
  readonly directory: SqliteDirectoryStore;
  readonly admin: SqliteAdminStore;

  constructor(
    readonly conn: Connection,
    private readonly clock: Clock,
  ) {
    this.identity = new SqliteIdentityStore(conn, clock);
    this.directory = new SqliteDirectoryStore(conn, clock);
    this.admin = new SqliteAdminStore(conn, clock);
  }

  get location(): string {
    return this.conn.path;
  }

  forOrg(ctx: TenantContext): TenantStore {
    const { conn, clock } = this;
    return {
      ctx,
      audit: new SqliteAuditRepo(conn, clock, ctx),
    };
  }

  close(): void {
    if (this.conn.sqlite.open) this.conn.sqlite.close();
  }
}

export function openSqliteStore(options: OpenOptions & { clock?: Clock }): SqliteStore {
  return new SqliteStore(openConnection(options), options.clock ?? systemClock);
}
