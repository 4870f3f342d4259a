import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { list, type CommandResult } from '../../output/types.js';

export interface MigrateOptions {
  appRole?: string;
}

export function newCmdMigrate(f: Factory, run: Run<MigrateOptions, Deps> = migrateRun) {
  return f.publicCommand(new Command('migrate')
      .description('apply pending migrations (opening a SQLite store also does; a PostgreSQL store needs its owner to run this)')
      .option('--app-role <name>', 'PostgreSQL: the role the CLI runs as, created NOLOGIN when missing (default tkt_app)'), {
    fields: ['tag', 'applied', 'modified'],
    options: (o) => (o.appRole !== undefined ? { appRole: o.appRole } : {}),
    run,
  });
}

export async function migrateRun(opts: MigrateOptions, { rt }: Deps): Promise<CommandResult> {
  const store = await rt.store({ create: true, admin: true, ...(opts.appRole !== undefined ? { appRole: opts.appRole } : {}) });
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
