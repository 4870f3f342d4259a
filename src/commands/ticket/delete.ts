import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { deleteTickets } from '../../domain/tickets/index.js';
import { list, message, type CommandResult } from '../../output/types.js';
import { keyList } from '../shared/summary.js';
import { KEYS_ARG, readKeys, ticketCount, type Keys } from './many.js';

export interface DeleteOptions {
  keys: string[];
}

export function newCmdDelete(f: Factory, run: Run<DeleteOptions, OrgDeps, Keys> = deleteRun) {
  return f.orgCommand(
    new Command('delete').description('delete tickets with their comments (-y, or confirm at the prompt)').argument(...KEYS_ARG),
    {
      requirement: 'ticket:delete',
      fields: ['key', 'deleted'],
      options: (keys) => ({ keys }),
      input: (opts, source) => readKeys(opts.keys, source),
      run,
    },
  );
}

export async function deleteRun(_opts: DeleteOptions, { rt, tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const deleted = await deleteTickets(tenant, keys, async (found) => {
    if (rt.globals.yes) return true;
    const what = found.length === 1 ? `${found[0]!.key} "${found[0]!.title}"` : `${ticketCount(found.length)} (${keyList(found.map((t) => t.key))})`;
    return rt.prompter.confirm(`Delete ${what} and ${found.length === 1 ? 'its' : 'their'} comments?`, '-y to delete without a prompt');
  });
  if (one) return message(`Deleted ${deleted[0]!.key}.`, { key: deleted[0]!.key, deleted: true });
  return list({
    items: deleted.map((t) => ({ key: t.key, deleted: true })),
    fields: ['key', 'deleted'],
    columns: [{ header: 'KEY', value: (t) => t.key }],
    id: (t) => t.key,
    message: `✓ Deleted ${ticketCount(deleted.length)}: ${keyList(deleted.map((t) => t.key))}.`,
    summary: true,
  });
}
