// tkt db init [--shared]: create and migrate a store. Like `git init`, running it on a store that
// exists is fine: it migrates it if needed, says so, and exits 0; with --shared it also makes
// an existing store shared (only its owner can).
import fs from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
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
      fields: ['path', 'created', 'shared', 'schemaVersion', 'mode', 'owner', 'group'],
      options: (flags) => ({ shared: flags.shared === true }),
      run,
    },
  );
}

export async function initRun(opts: InitOptions, { rt }: Deps): Promise<CommandResult> {
  const existed = fs.existsSync(rt.storePath);
  // Opening the store migrates it.
  const store = await rt.store({ shared: opts.shared });
  const status = await store.admin.status();
  const view = {
    path: status.path,
    created: !existed,
    shared: opts.shared,
    schemaVersion: status.schemaVersion,
    mode: status.file?.mode ?? null,
    owner: status.file?.owner ?? null,
    group: status.file?.group ?? null,
  };
  const access = status.file ? `mode ${status.file.mode}, owner ${status.file.owner}, group ${status.file.group}` : '';
  return item({
    item: view,
    fields: Object.keys(view),
    details: [
      { label: 'store', value: (v) => v.path },
      { label: 'schema', value: (v) => `${v.schemaVersion ?? 'none'} (up to date)`, tone: () => 'success' },
      { label: 'file', value: () => access },
    ],
    id: (v) => v.path,
    message: existed
      ? `The store ${status.path} already exists${opts.shared ? ` and is shared (${access})` : ''}; its schema is up to date at ${status.schemaVersion}.`
      : `Created ${opts.shared ? 'a shared' : 'the'} store ${status.path} (${access}), schema ${status.schemaVersion}.`,
  });
}
