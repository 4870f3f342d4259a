import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { checkedBy } from '../../cli/prompter.js';
import { body as bodyRule, commentOnTicket } from '../../domain/tickets/index.js';
import { isoTime, item, type CommandResult } from '../../output/types.js';
import { bodyInput, KEY_ARG, person, type BodyOptions } from './shared.js';

const COMMENT_FIELDS = ['key', 'id', 'author', 'body', 'createdAt'] as const;

export interface CommentOptions extends BodyOptions {
  key: string;
}

export function newCmdComment(f: Factory, run: Run<CommentOptions, OrgDeps, string | undefined> = commentRun) {
  return f.orgCommand(
    new Command('comment')
      .description('add a comment')
      .argument(...KEY_ARG)
      .option('--body <text>', 'the comment (markdown)')
      .option('--body-file <file>', 'read the comment from a file, or - for stdin'),
    {
      requirement: 'ticket:comment',
      fields: COMMENT_FIELDS,
      options: (key, flags) => ({ key, ...flags }),
      input: bodyInput('the comment'),
      run,
    },
  );
}

/** `body`: the text of --body or --body-file; without either, a prompt asks for it. */
export async function commentRun(opts: CommentOptions, { rt, tenant }: OrgDeps, body: string | undefined): Promise<CommandResult> {
  const text = body ?? (await rt.prompter.input('Comment:', '--body or --body-file', checkedBy((a) => bodyRule(a, 'comment', true))));
  const { ticket, comment } = await commentOnTicket(tenant, opts.key, text);
  return item({
    item: {
      key: ticket.key,
      id: comment.id,
      author: comment.author,
      body: comment.body,
      createdAt: isoTime(comment.createdAt),
    },
    fields: COMMENT_FIELDS,
    details: [
      { label: 'ticket', value: (c) => c.key, tone: () => 'strong' },
      { label: 'author', value: (c) => person(c.author) },
      { label: 'comment', value: (c) => c.body },
    ],
    id: (c) => c.key,
    primary: (c) => c.key,
    message: `Commented on ${ticket.key}.`,
  });
}
