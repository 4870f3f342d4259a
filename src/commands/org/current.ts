import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import type { CommandResult } from '../../output/types.js';
import { orgItem, orgView } from '../shared/org-view.js';

export type CurrentOptions = Record<string, never>;

export function newCmdCurrent(f: Factory, run: Run<CurrentOptions, OrgDeps> = currentRun) {
  return f.orgCommand(new Command('current').description('the active organization and your role in it'), {
    requirement: 'membership',
    options: () => ({}),
    run,
  });
}

export async function currentRun(_opts: CurrentOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  return orgItem(orgView(tenant.ctx.org, tenant.ctx.role, true));
}
