import type { AuditEventRecord } from '../store/ports/audit.js';
import { AUDIT_ACTIONS } from './audit-events.js';
import type { Tenant } from './guard.js';
import * as validate from './validate.js';

export interface AuditQuery {
  actor?: string;
  action?: string;
  since?: number;
  limit: number;
}

const FAMILIES = [...new Set(AUDIT_ACTIONS.map((a) => a.split('.')[0]!))];

/** An action (ticket.move) or a family of them (ticket); anything else is exit 2 with the valid ones. */
export function auditAction(value: string): string {
  return validate.oneOf(value, [...AUDIT_ACTIONS, ...FAMILIES], 'action');
}

export async function listAudit(tenant: Tenant, query: AuditQuery): Promise<AuditEventRecord[]> {
  return tenant.store.audit.list({
    ...(query.actor !== undefined ? { actorEmail: validate.email(query.actor, '--actor') } : {}),
    ...(query.action !== undefined ? { action: auditAction(query.action) } : {}),
    ...(query.since !== undefined ? { since: query.since } : {}),
    limit: query.limit,
  });
}
