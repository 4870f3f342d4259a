import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { editTickets, TICKET_FIELDS } from '../../domain/tickets/index.js';
import { usageError } from '../../errors.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, KEYS_ARG, readKeys, type Keys } from './many.js';
import { bodyInput, changeItem, collect, type BodyOptions } from './shared.js';

export interface EditOptions extends BodyOptions {
  keys: string[];
  title?: string;
  priority?: string;
  addLabel?: string[];
  removeLabel?: string[];
}

/** What edit reads before the guard: the tickets, and the text of --body or --body-file. */
export interface EditInput extends Keys {
  body: string | undefined;
}

export function newCmdEdit(f: Factory, run: Run<EditOptions, OrgDeps, EditInput> = editRun) {
  return f.orgCommand(
    new Command('edit')
      .description('change the title, description, priority or labels of tickets')
      .argument(...KEYS_ARG)
      .option('--title <title>', 'a new title')
      .option('--body <text>', 'a new description')
      .option('--body-file <file>', 'read the new description from a file, or - for stdin')
      .option('--priority <priority>', 'none, low, medium, high or urgent')
      .option('--add-label <label>', 'add a label (repeatable, or comma-separated)', collect)
      .option('--remove-label <label>', 'remove a label (repeatable, or comma-separated)', collect),
    { requirement: 'ticket:update', fields: TICKET_FIELDS, options: (keys, flags) => ({ keys, ...flags }), input: editInput, run },
  );
}

async function editInput(opts: EditOptions, source: InputSource): Promise<EditInput> {
  if (opts.keys.includes('-') && opts.bodyFile === '-') throw usageError('stdin cannot hold both the keys and the body', 'pass the body with --body or --body-file FILE');
  return { ...(await readKeys(opts.keys, source)), body: await bodyInput('the body')(opts, source) };
}

export async function editRun(opts: EditOptions, { tenant }: OrgDeps, { keys, one, body }: EditInput): Promise<CommandResult> {
  const changes = await editTickets(tenant, keys, {
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    addLabels: opts.addLabel ?? [],
    removeLabels: opts.removeLabel ?? [],
  });
  if (!one) return changesResult(tenant, changes, 'Updated', 'already looked like that');
  const [change] = changes;
  return changeItem(tenant, change!, `Updated ${change!.after.key}.`, `${change!.after.key} already looks like that; nothing changed.`);
}
