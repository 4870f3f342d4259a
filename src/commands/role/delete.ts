import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { deleteRole } from '../../domain/roles.js';
import { message, type CommandResult } from '../../output/types.js';
import { confirmed } from '../shared/confirm.js';

export interface DeleteOptions {
  code: string;
  /** The role its members move to first. */
  reassign?: string;
}

export function newCmdDelete(f: Factory, run: Run<DeleteOptions, OrgDeps> = deleteRun) {
  return f.orgCommand(
    new Command('delete')
      .description('delete a custom role; one still held needs --reassign (-y, or confirm at the prompt)')
      .argument('<code>', 'role code')
      .option('--reassign <role>', 'move the members who hold it to this role first'),
    {
      requirement: 'role:manage',
      fields: ['deleted', 'reassignedTo', 'reassigned', 'voidedInvitations'],
      options: (code, flags) => ({ code, reassign: flags.reassign }),
      run,
    },
  );
}

export async function deleteRun(opts: DeleteOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const moving = opts.reassign !== undefined ? `, moving its members to ${opts.reassign}` : '';
  await confirmed(rt, `Delete role ${opts.code} of ${tenant.ctx.org.slug}${moving}?`, 'to delete without a prompt');
  const { role: deleted, reassigned, voidedInvites } = await deleteRole(tenant, opts.code, opts.reassign);
  const moved = reassigned.length > 0 ? `; moved ${reassigned.length} member${reassigned.length === 1 ? '' : 's'} to ${opts.reassign}` : '';
  const n = voidedInvites.length;
  const voided = n > 0 ? `; ${n} pending invitation${n === 1 ? ' is' : 's are'} now void` : '';
  return message(`Deleted role ${deleted.code}${moved}${voided}.`, {
    deleted: deleted.code,
    reassignedTo: reassigned.length > 0 ? opts.reassign : null,
    reassigned: reassigned.map((m) => m.user.email),
    voidedInvitations: voidedInvites,
  });
}
