import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { cancelledIfEmpty, editText, titleAndBody } from '../../cli/editor.js';
import { checkedBy } from '../../cli/prompter.js';
import { createTicket, TICKET_FIELDS, title as titleRule } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { bodyInput, collect, EDITOR_FLAG, offeredBody, TICKET_EDIT_HELP, ticketItem, type BodyOptions } from './shared.js';

export interface CreateOptions extends BodyOptions {
  title?: string;
  priority?: string;
  assignee?: string;
  label?: string[];
}

/** What create reads before the guard: the body of --body or --body-file, or title and body written in the editor. */
export interface CreateText {
  title?: string;
  body?: string;
}

export function newCmdCreate(f: Factory, run: Run<CreateOptions, OrgDeps, CreateText> = createRun) {
  return f.orgCommand(
    new Command('create')
      .description('create a ticket; piped or with -q, prints only its key')
      .option('--title <title>', 'one line, up to 200 characters')
      .option('--body <text>', 'the description (markdown)')
      .option('--body-file <file>', 'read the description from a file, or - for stdin')
      .option(...EDITOR_FLAG)
      .option('--priority <priority>', 'none (default), low, medium, high or urgent')
      .option('--assignee <who>', "a member's email, or @me")
      .option('--label <label>', 'a label, created on first use (repeatable, or comma-separated)', collect),
    { requirement: 'ticket:create', fields: TICKET_FIELDS, options: (flags) => flags, input: createInput, run },
  );
}

async function createInput(opts: CreateOptions, source: InputSource): Promise<CreateText> {
  const body = await bodyInput('the body')(opts, source);
  if (!opts.editor) return body !== undefined ? { body } : {};
  const written = titleAndBody(cancelledIfEmpty(await editText(source.env, opts.title ?? '', TICKET_EDIT_HELP)));
  return { title: written.title, ...(written.body !== '' ? { body: written.body } : {}) };
}

/** `text`: what the input step read; a title or body still missing is asked for on a terminal. */
export async function createRun(opts: CreateOptions, { rt, tenant }: OrgDeps, text: CreateText): Promise<CommandResult> {
  const title = text.title ?? opts.title ?? (await rt.prompter.input('Title:', '--title', checkedBy(titleRule)));
  const body = text.body ?? (!opts.editor && rt.prompter.interactive ? await offeredBody(rt, 'Body', false) : undefined);
  const created = await createTicket(tenant, {
    title,
    ...(body !== undefined ? { body } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.assignee !== undefined ? { assignee: opts.assignee } : {}),
    labels: opts.label ?? [],
  });
  return ticketItem(tenant, created, `Created ${created.key}: ${created.title}`);
}
