import { and, asc, desc, eq, gte, like, or, sql, type SQL } from 'drizzle-orm';
import type { AuditEventRecord, AuditFilter, AuditRepo } from '../ports/audit.js';
import { auditEvents, users } from '../schema.js';
import { TenantRepo } from './base.js';

export class SqliteAuditRepo extends TenantRepo implements AuditRepo {
  list(filter: AuditFilter): Promise<AuditEventRecord[]> {
    return this.read((db) => {
      const conditions: SQL[] = [eq(auditEvents.organizationId, this.orgId)];
      if (filter.actorEmail) conditions.push(eq(users.email, filter.actorEmail));
      if (filter.action) {
        const byPrefix = like(auditEvents.action, `${filter.action.replace(/[%_\\]/g, '')}.%`);
        conditions.push(or(eq(auditEvents.action, filter.action), byPrefix)!);
      }
      if (filter.since !== undefined) conditions.push(gte(auditEvents.createdAt, filter.since));
      // A target's few events are found by (organization_id, target_type, target) and sorted here;
      // ordered by the bare column, SQLite would rather walk all the org's events by time.
      const time = filter.target ? sql`${auditEvents.createdAt} + 0` : auditEvents.createdAt;
      const order = filter.chronological ? [asc(time), asc(auditEvents.id)] : [desc(time), desc(auditEvents.id)];
      const select = (where: SQL[]) => {
        const query = db
          .select({ event: auditEvents, actorEmail: users.email, actorName: users.name })
          .from(auditEvents)
          .innerJoin(users, eq(users.id, auditEvents.actorId))
          .where(and(...conditions, ...where))
          .orderBy(...order);
        return filter.limit > 0 ? query.limit(filter.limit).all() : query.all();
      };
      let rows = select(filter.target ? [eq(auditEvents.targetType, filter.target.type), eq(auditEvents.target, filter.target.id)] : []);
      const imported = filter.target && filter.alsoCovering && covering(filter.alsoCovering);
      if (imported) {
        const sign = filter.chronological ? 1 : -1;
        rows = [...rows, ...select(imported)].sort((a, b) => sign * (a.event.createdAt - b.event.createdAt || a.event.id - b.event.id));
        if (filter.limit > 0) rows = rows.slice(0, filter.limit);
      }
      return rows.map(({ event, actorEmail, actorName }) => ({
        id: event.number,
        actor: { email: actorEmail, name: actorName },
        action: event.action,
        targetType: event.targetType,
        target: event.target,
        details: JSON.parse(event.details) as Record<string, unknown>,
        createdAt: event.createdAt,
      }));
    });
  }
}

function covering(range: NonNullable<AuditFilter['alsoCovering']>): SQL[] {
  return [
    eq(auditEvents.targetType, range.targetType),
    like(auditEvents.target, `${range.targetPrefix.replace(/[%_\\]/g, '')}%`),
    eq(auditEvents.action, range.action),
    sql`json_extract(${auditEvents.details}, ${'$.' + range.from}) <= ${range.number}`,
    sql`json_extract(${auditEvents.details}, ${'$.' + range.to}) >= ${range.number}`,
  ];
}
