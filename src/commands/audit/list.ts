import { Command, Option } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import * as parse from '../../cli/parse.js';
import { describeDetails } from '../../domain/audit-events.js';
import { listAudit } from '../../domain/audit.js';
import { isoTime, list, type CommandResult } from '../../output/types.js';
import type { AuditEventRecord } from '../../store/ports/audit.js';

/** The flags as typed: --since and --limit are checked in the run function, after the guard. */
export interface ListOptions {
  actor?: string;
  action?: string;
  since?: string;
  limit: string;
}

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(
    new Command('list')
      .description('changes in the active organization, newest first')
      .option('--actor <email>', 'only changes made by this person')
      .option('--action <action>', 'only this action (ticket.move) or family (ticket)')
      .option('--since <date>', 'only changes since a date (2026-11-01), a time, or an age (7d)')
      .addOption(new Option('--limit <n>', 'at most this many; 0 for all').default('50')),
    {
      requirement: 'audit:read',
      options: (flags) => ({ actor: flags.actor, action: flags.action, since: flags.since, limit: flags.limit }),
      run,
    },
  );
}

function auditView(e: AuditEventRecord) {
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

export async function listRun(opts: ListOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const events = await listAudit(tenant, {
    ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
    ...(opts.action !== undefined ? { action: opts.action } : {}),
    ...(opts.since !== undefined ? { since: parse.since(opts.since, '--since', rt.clock.now()) } : {}),
    limit: parse.nonNegativeInt(opts.limit, '--limit'),
  });
  return list({
    paged: true,
    items: events.map(auditView),
    fields: ['id', 'createdAt', 'actor', 'action', 'targetType', 'target', 'details'],
    columns: [
      { header: 'TIME', value: (e) => e.createdAt ?? '', tone: () => 'muted', time: 'relative' },
      { header: 'ACTOR', value: (e) => e.actor.email, email: true },
      { header: 'ACTION', value: (e) => e.action, tone: () => 'accent' },
      { header: 'TARGET', value: (e) => `${e.targetType}:${e.target}` },
      { header: 'DETAILS', value: (e) => describeDetails(e.details) },
    ],
    id: (e) => String(e.id),
    empty: 'No audit events match.',
  });
}
