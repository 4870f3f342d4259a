// tkt db init [--shared]: create and migrate a store. Like `git init`, running it on a store that
// exists is fine: it migrates it if needed, says so, and exits 0; with --shared it also makes
// an existing store shared (only its owner can).
import fs from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { usageError } from '../../errors.js';
import { item, type CommandResult } from '../../output/types.js';

export interface InitOptions {
  shared: boolean;
}

export function newCmdInit(f: Factory, run: Run<InitOptions, Deps> = initRun) {
  return f.publicCommand(
    new Command('init')
      .description('create and migrate a store (one that exists is migrated); --shared: for a team on one machine')
      .option('--shared', 'mode 0660 and the group of its folder, which must be setgid and closed to others (see README: shared store)'),
    {
      fields: ['store', 'created', 'shared', 'schemaVersion', 'mode', 'owner', 'group'],
      options: (flags) => ({ shared: flags.shared === true }),
      run,
    },
  );
}

export async function initRun(opts: InitOptions, { rt }: Deps): Promise<CommandResult> {
  const locator = rt.storeLocator;
  if (locator.kind === 'postgres') {
    throw usageError(
      `db init makes SQLite stores; ${locator.label} is a PostgreSQL database`,
      'create it with createdb, then its owner runs tkt db migrate (README: PostgreSQL)',
    );
  }
  const existed = locator.kind === 'sqlite' && fs.existsSync(locator.path);
  // Opening the store migrates it.
  const store = await rt.store({ create: true, shared: opts.shared });
  const status = await store.admin.status();
  const file = status.sqlite?.file;
  const view = {
    store: status.store,
    created: !existed,
    shared: opts.shared,
    schemaVersion: status.schemaVersion,
    mode: file?.mode ?? null,
    owner: file?.owner ?? null,
    group: file?.group ?? null,
  };
  const access = file ? `mode ${file.mode}, owner ${file.owner}, group ${file.group}` : '';
  return item({
    item: view,
    fields: Object.keys(view),
    details: [
      { label: 'store', value: (v) => v.store },
      { label: 'schema', value: (v) => `${v.schemaVersion ?? 'none'} (up to date)`, tone: () => 'success' },
      { label: 'file', value: () => access },
    ],
    id: (v) => v.store,
    message: existed
      ? `The store ${status.store} already exists${opts.shared ? ` and is shared (${access})` : ''}; its schema is up to date at ${status.schemaVersion}.`
      : `Created ${opts.shared ? 'a shared' : 'the'} store ${status.store} (${access}), schema ${status.schemaVersion}.`,
  });
}
