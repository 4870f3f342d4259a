import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { cancelledIfEmpty, editText, titleAndBody } from '../../cli/editor.js';
import { editTickets, getTicket, TICKET_FIELDS } from '../../domain/tickets/index.js';
import { usageError } from '../../errors.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, KEYS_ARG, readKeys, type Keys } from './many.js';
import { bodyInput, changeItem, collect, EDITOR_FLAG, TICKET_EDIT_HELP, type BodyOptions } from './shared.js';

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
      .description('change the title, description, priority or labels of tickets; on a terminal with one key and no flags, in your editor')
      .argument(...KEYS_ARG)
      .option('--title <title>', 'a new title')
      .option('--body <text>', 'a new description')
      .option('--body-file <file>', 'read the new description from a file, or - for stdin')
      .option(...EDITOR_FLAG)
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

/** No change asked for by flags: on a terminal, edit KEY opens the editor. */
const noChangeFlags = (opts: EditOptions, body: string | undefined) =>
  opts.title === undefined && body === undefined && opts.priority === undefined && !opts.addLabel && !opts.removeLabel;

/** The title and body as written in the editor, which opens on the ticket's current ones. */
async function edited(rt: OrgDeps['rt'], tenant: OrgDeps['tenant'], key: string, title?: string): Promise<{ title: string; body: string }> {
  const ticket = await getTicket(tenant, key);
  const first = title ?? ticket.title;
  const text = await editText(rt.env, ticket.body !== '' ? `${first}\n\n${ticket.body}` : first, TICKET_EDIT_HELP);
  return titleAndBody(cancelledIfEmpty(text));
}

export async function editRun(opts: EditOptions, { rt, tenant }: OrgDeps, { keys, one, body }: EditInput): Promise<CommandResult> {
  const inEditor = opts.editor || (one && rt.prompter.interactive && noChangeFlags(opts, body));
  if (inEditor && !one) throw usageError('-e edits one ticket; name one key');
  const written = inEditor ? await edited(rt, tenant, keys[0]!, opts.title) : undefined;
  const title = written?.title ?? opts.title;
  const text = written?.body ?? body;
  const changes = await editTickets(tenant, keys, {
    ...(title !== undefined ? { title } : {}),
    ...(text !== undefined ? { body: text } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    addLabels: opts.addLabel ?? [],
    removeLabels: opts.removeLabel ?? [],
  });
  if (!one) return changesResult(tenant, changes, 'Updated', 'already looked like that');
  const [change] = changes;
  return changeItem(tenant, change!, `Updated ${change!.after.key}.`, `${change!.after.key} already looks like that; nothing changed.`);
}
