import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { transferOrg } from '../../domain/org-admin.js';
import { message, type CommandResult } from '../../output/types.js';

export interface TransferOptions {
  email: string;
}

export function newCmdTransfer(f: Factory, run: Run<TransferOptions, OrgDeps> = transferRun) {
  return f.orgCommand(
    new Command('transfer')
      .description('make a member the owner; you become admin (owners only)')
      .argument('<email>', 'the member who becomes owner'),
    { requirement: 'membership', fields: ['org', 'owner', 'yourRole'], options: (email) => ({ email }), run },
  );
}

export async function transferRun(opts: TransferOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const { member } = await transferOrg(tenant, opts.email);
  const slug = tenant.ctx.org.slug;
  return message(`${member.user.email} is now an owner of ${slug}; you are now admin.`, {
    org: slug,
    owner: member.user.email,
    yourRole: 'admin',
  });
}
