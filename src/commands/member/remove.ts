import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { removeMember } from '../../domain/members.js';
import { message, type CommandResult } from '../../output/types.js';
import { unassignedNote } from '../shared/unassigned.js';
import { confirmed } from '../shared/confirm.js';

export interface RemoveOptions {
  email: string;
}

export function newCmdRemove(f: Factory, run: Run<RemoveOptions, OrgDeps> = removeRun) {
  return f.orgCommand(
    new Command('remove')
      .description('remove a member: their access ends at once and their tickets here are unassigned (-y, or confirm at the prompt)')
      .argument('<email>', 'the member'),
    { requirement: 'member:remove', fields: ['removed', 'org', 'role', 'unassignedTickets'], options: (email) => ({ email }), run },
  );
}

export async function removeRun(opts: RemoveOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const slug = tenant.ctx.org.slug;
  await confirmed(rt, `Remove ${opts.email} from ${slug}? Their access ends at once and their tickets here are unassigned.`, 'to remove without a prompt');
  const removed = await removeMember(tenant, opts.email);
  return message(`Removed ${removed.member.user.email} from ${slug}${unassignedNote(removed.unassigned)}.`, {
    removed: removed.member.user.email,
    org: slug,
    role: removed.member.role.code,
    unassignedTickets: removed.unassigned,
  });
}
