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
  const view = {
    path: status.path,
    schemaVersion: status.schemaVersion,
    latestVersion: status.latestVersion,
    pending: status.pending,
    upToDate: status.pending.length === 0,
    journalMode: status.journalMode,
    sizeBytes: status.sizeBytes,
    fileMode: status.file?.mode ?? null,
    fileOwner: status.file?.owner ?? null,
    fileGroup: status.file?.group ?? null,
    ...status.counts,
  };
  return item({
    item: view,
    fields: Object.keys(view),
    details: [
      { label: 'store', value: (s) => s.path },
      { label: 'schema', value: (s) => `${s.schemaVersion ?? 'none'}${s.upToDate ? ' (up to date)' : ` (pending: ${s.pending.join(', ')})`}`, tone: (s) => (s.upToDate ? 'success' : 'warning') },
      { label: 'journal', value: (s) => s.journalMode },
      { label: 'size', value: (s) => `${s.sizeBytes} bytes` },
      { label: 'file', value: (s) => (s.fileMode ? `mode ${s.fileMode}, owner ${s.fileOwner}, group ${s.fileGroup}` : '') },
      { label: 'users', value: (s) => String(s.users) },
      { label: 'orgs', value: (s) => String(s.organizations) },
      { label: 'members', value: (s) => String(s.memberships) },
      { label: 'tickets', value: (s) => String(s.tickets) },
    ],
    id: (s) => s.schemaVersion ?? '',
  });
}
