import { and, asc, desc, eq, gte, like, or, type SQL } from 'drizzle-orm';
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
      if (filter.target) {
        conditions.push(eq(auditEvents.targetType, filter.target.type), eq(auditEvents.target, filter.target.id));
      }
      const order = filter.chronological
        ? [asc(auditEvents.createdAt), asc(auditEvents.id)]
        : [desc(auditEvents.createdAt), desc(auditEvents.id)];
      const query = db
        .select({ event: auditEvents, actorEmail: users.email, actorName: users.name })
        .from(auditEvents)
        .innerJoin(users, eq(users.id, auditEvents.actorId))
        .where(and(...conditions))
        .orderBy(...order);
      const rows = filter.limit > 0 ? query.limit(filter.limit).all() : query.all();
      return rows.map(({ event, actorEmail, actorName }) => ({
        id: event.id,
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
