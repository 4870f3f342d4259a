import type { AuditEventRecord } from '../store/ports/audit.js';
import type { Tenant } from './guard.js';
import * as validate from './validate.js';

export interface AuditQuery {
  actor?: string;
  action?: string;
  since?: number;
  limit: number;
}

export async function listAudit(tenant: Tenant, query: AuditQuery): Promise<AuditEventRecord[]> {
  return tenant.store.audit.list({
    ...(query.actor !== undefined ? { actorEmail: validate.email(query.actor, '--actor') } : {}),
    ...(query.action !== undefined ? { action: validate.text(query.action, { field: '--action', max: 100 }) } : {}),
    ...(query.since !== undefined ? { since: query.since } : {}),
    limit: query.limit,
  });
}
