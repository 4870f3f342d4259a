import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { listAttachments } from '../../domain/attachments.js';
import { list, type CommandResult } from '../../output/types.js';
import { ATTACHMENT_COLUMNS, ATTACHMENT_FIELDS, attachmentJson } from './shared.js';

export interface ListOptions {
  key: string;
}

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(
    new Command('list').alias('ls').description("a ticket's attachments: id, name, size, type, who added it, when").argument('<key>', 'the ticket (ACME-42, 42 or #42)'),
    { requirement: 'ticket:read', fields: ATTACHMENT_FIELDS, options: (key) => ({ key }), run },
  );
}

export async function listRun(opts: ListOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const found = await listAttachments(tenant, opts.key);
  return list({
    items: found.map(attachmentJson),
    fields: ATTACHMENT_FIELDS,
    columns: ATTACHMENT_COLUMNS,
    id: (a) => String(a.id),
    empty: `No attachments on ${opts.key}.`,
  });
}
