import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { checkedBy } from '../../cli/prompter.js';
import { createTicket, TICKET_FIELDS, title as titleRule } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { bodyInput, collect, ticketItem, type BodyOptions } from './shared.js';

export interface CreateOptions extends BodyOptions {
  title?: string;
  priority?: string;
  assignee?: string;
  label?: string[];
}

export function newCmdCreate(f: Factory, run: Run<CreateOptions, OrgDeps, string | undefined> = createRun) {
  return f.orgCommand(
    new Command('create')
      .description('create a ticket; piped or with -q, prints only its key')
      .option('--title <title>', 'one line, up to 200 characters')
      .option('--body <text>', 'the description (markdown)')
      .option('--body-file <file>', 'read the description from a file, or - for stdin')
      .option('--priority <priority>', 'none (default), low, medium, high or urgent')
      .option('--assignee <who>', "a member's email, or @me")
      .option('--label <label>', 'a label, created on first use (repeatable, or comma-separated)', collect),
    { requirement: 'ticket:create', fields: TICKET_FIELDS, options: (flags) => flags, input: bodyInput('the body'), run },
  );
}

/** `body`: the text of --body or --body-file. */
export async function createRun(opts: CreateOptions, { rt, tenant }: OrgDeps, body: string | undefined): Promise<CommandResult> {
  const title = opts.title ?? (await rt.prompter.input('Title:', '--title', checkedBy(titleRule)));
  const created = await createTicket(tenant, {
    title,
    ...(body !== undefined ? { body } : {}),
    ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
    ...(opts.assignee !== undefined ? { assignee: opts.assignee } : {}),
    labels: opts.label ?? [],
  });
  return ticketItem(tenant, created, `Created ${created.key}: ${created.title}`);
}
