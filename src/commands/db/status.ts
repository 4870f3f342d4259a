import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { item, type CommandResult } from '../../output/types.js';

export type StatusOptions = Record<string, never>;

export function newCmdStatus(f: Factory, run: Run<StatusOptions, Deps> = statusRun) {
  return f.publicCommand(new Command('status').description('schema version, pending migrations, size and counts'), {
    options: () => ({}),
    run,
  });
}

export async function statusRun(_opts: StatusOptions, { rt }: Deps): Promise<CommandResult> {
  const status = await (await rt.store()).admin.status();
  const sqlite = status.sqlite;
  const view = {
    store: status.store,
    schemaVersion: status.schemaVersion,
    latestVersion: status.latestVersion,
    pending: status.pending,
    upToDate: status.pending.length === 0,
    ...status.counts,
    ...(sqlite ? { sqlite } : {}),
  };
  return item({
    item: view,
    fields: Object.keys(view),
    details: [
      { label: 'store', value: (s) => s.store },
      { label: 'schema', value: (s) => `${s.schemaVersion ?? 'none'}${s.upToDate ? ' (up to date)' : ` (pending: ${s.pending.join(', ')})`}`, tone: (s) => (s.upToDate ? 'success' : 'warning') },
      ...(sqlite
        ? [
            { label: 'journal', value: () => sqlite.journalMode },
            { label: 'size', value: () => `${sqlite.sizeBytes} bytes` },
            { label: 'file', value: () => (sqlite.file ? `mode ${sqlite.file.mode}, owner ${sqlite.file.owner}, group ${sqlite.file.group}` : '') },
          ]
        : []),
      { label: 'users', value: (s) => String(s.users) },
      { label: 'orgs', value: (s) => String(s.organizations) },
      { label: 'members', value: (s) => String(s.memberships) },
      { label: 'tickets', value: (s) => String(s.tickets) },
    ],
    id: (s) => s.schemaVersion ?? '',
  });
}
