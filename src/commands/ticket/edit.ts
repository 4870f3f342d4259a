import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { editTicket, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { bodyInput, changeItem, collect, KEY_ARG, type BodyOptions } from './shared.js';

export interface EditOptions extends BodyOptions {
  key: string;
  title?: string;
  priority?: string;
  addLabel?: string[];
  removeLabel?: string[];
}

export function newCmdEdit(f: Factory, run: Run<EditOptions, OrgDeps, string | undefined> = editRun) {
  return f.orgCommand(
    new Command('edit')
      .description('change the title, description, priority or labels')
      .argument(...KEY_ARG)
      .option('--title <title>', 'a new title')
      .option('--body <text>', 'a new description')
      .option('--body-file <file>', 'read the new description from a file, or - for stdin')
      .option('--priority <priority>', 'none, low, medium, high or urgent')
      .option('--add-label <label>', 'add a label (repeatable, or comma-separated)', collect)
      .option('--remove-label <label>', 'remove a label (repeatable, or comma-separated)', collect),
    { requirement: 'ticket:update', fields: TICKET_FIELDS, options: (key, flags) => ({ key, ...flags }), input: bodyInput('the body'), run },
  );
}

/** `body`: the text of --body or --body-file. */
export async function editRun(opts: EditOptions, { tenant }: OrgDeps, body: string | undefined): Promise<CommandResult> {
  const change = await editTicket(tenant, opts.key, {
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    addLabels: opts.addLabel ?? [],
    removeLabels: opts.removeLabel ?? [],
  });
  return changeItem(tenant, change, `Updated ${change.after.key}.`, `${change.after.key} already looks like that; nothing changed.`);
}
