import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../../cli/define.js';
import { removeStatus } from '../../../domain/workflow.js';
import type { CommandResult } from '../../../output/types.js';
import { confirmed } from '../../shared/confirm.js';
import { changeResult, STATUS_FIELDS } from '../shared.js';

export interface RemoveOptions {
  code: string;
  moveTo?: string;
}

export function newCmdRemove(f: Factory, run: Run<RemoveOptions, OrgDeps> = removeRun) {
  return f.orgCommand(
    new Command('remove')
      .description('remove a status and its rules; its tickets move to --move-to, in one transaction (-y, or confirm)')
      .argument('<status>', 'the status code')
      .option('--move-to <status>', 'where its tickets go (needed when it holds any)'),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: (code, flags) => ({ code, ...flags }), run },
  );
}

export async function removeRun(opts: RemoveOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const moving = opts.moveTo !== undefined ? `, moving its tickets to ${opts.moveTo}` : '';
  await confirmed(rt, `Remove the status ${opts.code} of ${tenant.ctx.org.slug}${moving}?`, 'to remove without a prompt');
  const outcome = await removeStatus(tenant, opts.code, opts.moveTo);
  const moved = outcome.moved > 0 ? `; moved ${outcome.moved} ticket${outcome.moved === 1 ? '' : 's'} to ${opts.moveTo}` : '';
  return changeResult(outcome, `Removed the status ${opts.code}${moved}.`, '');
}
