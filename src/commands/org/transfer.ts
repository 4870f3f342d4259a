import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { transferOrg } from '../../domain/org-admin.js';
import { message, type CommandResult } from '../../output/types.js';
import { confirmed } from '../shared/confirm.js';

export interface TransferOptions {
  email: string;
}

export function newCmdTransfer(f: Factory, run: Run<TransferOptions, OrgDeps> = transferRun) {
  return f.orgCommand(
    new Command('transfer')
      .description('make a member the owner; you become admin (owners only; -y, or confirm at the prompt)')
      .argument('<email>', 'the member who becomes owner'),
    { requirement: 'membership', fields: ['org', 'owner', 'yourRole'], options: (email) => ({ email }), run },
  );
}

export async function transferRun(opts: TransferOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const slug = tenant.ctx.org.slug;
  await confirmed(rt, `Make ${opts.email} an owner of ${slug}? You become admin.`, 'to transfer without a prompt');
  const { member } = await transferOrg(tenant, opts.email);
  return message(`${member.user.email} is now an owner of ${slug}; you are now admin.`, {
    org: slug,
    owner: member.user.email,
    yourRole: 'admin',
  });
}
