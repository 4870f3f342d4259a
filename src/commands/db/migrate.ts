import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { list, type CommandResult } from '../../output/types.js';

export type MigrateOptions = Record<string, never>;

export function newCmdMigrate(f: Factory, run: Run<MigrateOptions, Deps> = migrateRun) {
  return f.publicCommand(new Command('migrate').description('apply pending migrations (opening the store also does)'), {
    fields: ['tag', 'applied', 'modified'],
    options: () => ({}),
    run,
  });
}

export async function migrateRun(_opts: MigrateOptions, { rt }: Deps): Promise<CommandResult> {
  const store = await rt.store({ create: true });
  const applied = await store.admin.migrate();
  const status = await store.admin.status();
  return list({
    items: status.migrations.map((m) => ({ tag: m.tag, applied: m.appliedAt !== null, modified: m.modified })),
    fields: ['tag', 'applied', 'modified'],
    columns: [
      { header: 'MIGRATION', value: (m) => m.tag },
      { header: 'STATE', value: (m) => (m.modified ? 'applied, file edited since' : m.applied ? 'applied' : 'pending'), tone: (m) => (m.modified ? 'danger' : 'success') },
    ],
    id: (m) => m.tag,
    message: `Schema up to date at ${status.schemaVersion}${applied.length ? ` (applied just now: ${applied.join(', ')})` : ''}.`,
  });
}
