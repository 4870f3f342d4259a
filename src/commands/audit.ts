import { Option, type Command } from 'commander';
import { listAudit } from '../domain/audit.js';
import type { Definer } from '../cli/legacy-define.js';
import * as parse from '../cli/parse.js';
import { isoTime, list } from '../output/types.js';
import type { AuditEventRecord } from '../store/ports/audit.js';

export function auditView(e: AuditEventRecord) {
  return {
    id: e.id,
    createdAt: isoTime(e.createdAt),
    actor: e.actor,
    action: e.action,
    targetType: e.targetType,
    target: e.target,
    details: e.details,
  };
}

export type AuditView = ReturnType<typeof auditView>;

export function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

export function registerAudit(program: Command, define: Definer): void {
  const audit = program.command('audit').description("the organization's audit log");

  define.orgAction<{ actor?: string; action?: string; since?: string; limit: string }>(
    audit
      .command('list')
      .description('changes in the active organization, newest first')
      .option('--actor <email>', 'only changes made by this person')
      .option('--action <action>', 'only this action (ticket.move) or family (ticket)')
      .option('--since <date>', 'only changes since a date (2026-11-01), a time, or an age (7d)')
      .addOption(new Option('--limit <n>', 'at most this many; 0 for all').default('50')),
    'audit:read',
    async ({ opts, rt, tenant }) => {
      const events = await listAudit(tenant, {
        ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
        ...(opts.action !== undefined ? { action: opts.action } : {}),
        ...(opts.since !== undefined ? { since: parse.since(opts.since, '--since', rt.clock.now()) } : {}),
        limit: parse.nonNegativeInt(opts.limit, '--limit'),
      });
      return list({
        items: events.map(auditView),
        fields: ['id', 'createdAt', 'actor', 'action', 'targetType', 'target', 'details'],
        columns: [
          { header: 'TIME', value: (e) => e.createdAt ?? '', tone: () => 'muted' },
          { header: 'ACTOR', value: (e) => e.actor.email },
          { header: 'ACTION', value: (e) => e.action, tone: () => 'accent' },
          { header: 'TARGET', value: (e) => `${e.targetType}:${e.target}` },
          { header: 'DETAILS', value: (e) => describeDetails(e.details) },
        ],
        id: (e) => String(e.id),
        empty: 'No audit events match.',
      });
    },
  );
}
