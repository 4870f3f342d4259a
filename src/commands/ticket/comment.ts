import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { cancelledIfEmpty, editText } from '../../cli/editor.js';
import { commentOnTicket } from '../../domain/tickets/index.js';
import { isoTime, item, type CommandResult } from '../../output/types.js';
import { bodyInput, EDITOR_FLAG, KEY_ARG, offeredBody, person, type BodyOptions } from './shared.js';

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
      .option('--body-file <file>', 'read the comment from a file, or - for stdin')
      .option(...EDITOR_FLAG),
    {
      requirement: 'ticket:comment',
      fields: COMMENT_FIELDS,
      options: (key, flags) => ({ key, ...flags }),
      input: commentInput,
      run,
    },
  );
}

async function commentInput(opts: CommentOptions, source: InputSource): Promise<string | undefined> {
  const body = await bodyInput('the comment')(opts, source);
  if (!opts.editor) return body;
  return cancelledIfEmpty(await editText(source.env, '', ['Write the comment above. Lines starting with # are ignored; an empty file cancels.']));
}

/** `body`: the text of --body, --body-file or the editor; without any, a prompt asks for it. */
export async function commentRun(opts: CommentOptions, { rt, tenant }: OrgDeps, body: string | undefined): Promise<CommandResult> {
  const text = body ?? (await offeredBody(rt, 'Comment', true));
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
