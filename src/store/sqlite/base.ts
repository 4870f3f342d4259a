import type { AuditInput, Clock } from '../ports/common.js';
import type { TenantContext } from '../ports/tenant.js';
import { eq, sql } from 'drizzle-orm';
import { auditEvents, organizations } from '../schema.js';
import { translateSqliteError, type Connection, type Db } from './connection.js';

/**
 * What every SQLite repository shares: the connection, the clock, and the two ways to touch the
 * database. `write` runs its function as one BEGIN IMMEDIATE transaction (drizzle's better-sqlite3
 * transactions are synchronous, so the function must not await), and both turn store-level SQLite
 * failures into TktErrors. Operations return Promises so another backend can be asynchronous.
 */
export abstract class SqliteRepo {
  constructor(
    protected readonly conn: Connection,
    protected readonly clock: Clock,
  ) {}

  protected async read<T>(fn: (db: Db) => T): Promise<T> {
    try {
      return fn(this.conn.db);
    } catch (err) {
      throw translateSqliteError(err, this.conn.path);
    }
  }

  protected async write<T>(fn: (tx: Db) => T): Promise<T> {
    try {
      return this.conn.db.transaction((tx) => fn(tx as unknown as Db), { behavior: 'immediate' });
    } catch (err) {
      throw translateSqliteError(err, this.conn.path);
    }
  }
}

/** The per-organization counters of the ids people see (ticket numbers have their own). */
export type OrgCounter = 'nextCommentNumber' | 'nextAuditNumber' | 'nextInviteNumber';

/**
 * Takes the next number of one of the org's counters. Numbered per org, an id shown to a member
 * says nothing about other orgs; the caller's transaction makes the numbers gapless.
 */
export function takeNumber(tx: Db, organizationId: number, counter: OrgCounter): number {
  const column = organizations[counter];
  const row = tx
    .update(organizations)
    .set({ [counter]: sql`${column} + 1` })
    .where(eq(organizations.id, organizationId))
    .returning({ next: column })
    .get();
  if (!row) throw new Error(`organization ${organizationId} vanished during a write`);
  return row.next - 1;
}

/** Appends one audit event; call it inside the transaction that makes the change. */
export function appendAudit(tx: Db, organizationId: number, actorId: number, at: number, event: AuditInput): void {
  tx.insert(auditEvents)
    .values({
      organizationId,
      number: takeNumber(tx, organizationId, 'nextAuditNumber'),
      actorId,
      action: event.action,
      targetType: event.targetType,
      target: event.target,
      details: JSON.stringify(event.details),
      createdAt: at,
    })
    .run();
}

/** Base for repositories bound to one organization: every query they make is scoped by `orgId`. */
export abstract class TenantRepo extends SqliteRepo {
  protected readonly orgId: number;

  constructor(conn: Connection, clock: Clock, protected readonly ctx: TenantContext) {
    super(conn, clock);
    this.orgId = ctx.org.id;
  }

  protected audit(tx: Db, event: AuditInput, at = this.clock.now()): void {
    appendAudit(tx, this.orgId, this.ctx.user.id, at, event);
  }
}
