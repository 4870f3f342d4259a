import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { deleteAttachment } from '../../domain/attachments.js';
import { message, type CommandResult } from '../../output/types.js';
import { confirmed } from '../shared/confirm.js';

export interface DeleteOptions {
  key: string;
  attachment: string;
}

export function newCmdDelete(f: Factory, run: Run<DeleteOptions, OrgDeps> = deleteRun) {
  return f.orgCommand(
    new Command('delete')
      .alias('rm')
      .description('delete an attachment (needs ticket:delete, unless you added it; -y, or confirm at the prompt)')
      .argument('<key>', 'the ticket (ACME-42, 42 or #42)')
      .argument('<attachment>', 'its name (the newest of that name) or id'),
    // Reading is what the guard asks; who may delete is judged on the attachment (src/domain/attachments.ts).
    { requirement: 'ticket:read', fields: ['id', 'ticket', 'name', 'deleted'], options: (key, attachment) => ({ key, attachment }), run },
  );
}

export async function deleteRun(opts: DeleteOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const gone = await deleteAttachment(tenant, opts.key, opts.attachment, (a) =>
    confirmed(rt, `Delete the attachment ${a.name} (#${a.id}) of ${a.ticket}?`, 'to delete without a prompt'),
  );
  return message(`Deleted the attachment ${gone.name} (#${gone.id}) of ${gone.ticket}.`, { id: gone.id, ticket: gone.ticket, name: gone.name, deleted: true });
}
