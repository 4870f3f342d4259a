import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { deleteTicket } from '../../domain/tickets/index.js';
import { message, type CommandResult } from '../../output/types.js';
import { KEY_ARG } from './shared.js';

export interface DeleteOptions {
  key: string;
}

export function newCmdDelete(f: Factory, run: Run<DeleteOptions, OrgDeps> = deleteRun) {
  return f.orgCommand(
    new Command('delete').description('delete a ticket with its comments (-y, or confirm at the prompt)').argument(...KEY_ARG),
    { requirement: 'ticket:delete', fields: ['key', 'deleted'], options: (key) => ({ key }), run },
  );
}

export async function deleteRun(opts: DeleteOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const deleted = await deleteTicket(tenant, opts.key, async (t) =>
    rt.globals.yes || rt.prompter.confirm(`Delete ${t.key} "${t.title}" and its comments?`, '-y to delete without a prompt'),
  );
  return message(`Deleted ${deleted.key}.`, { key: deleted.key, deleted: true });
}
