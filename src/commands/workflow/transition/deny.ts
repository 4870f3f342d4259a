import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../../cli/define.js';
import { setTransition } from '../../../domain/workflow.js';
import type { CommandResult } from '../../../output/types.js';
import { changeResult, STATUS_FIELDS } from '../shared.js';

export interface DenyOptions {
  from: string;
  to: string;
}

export function newCmdDeny(f: Factory, run: Run<DenyOptions, OrgDeps> = denyRun) {
  return f.orgCommand(
    new Command('deny')
      .description('refuse moves from one status to another (replaces an allow of the same move)')
      .argument('<from>', 'status code')
      .argument('<to>', 'status code'),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: (from, to) => ({ from, to }), run },
  );
}

export async function denyRun(opts: DenyOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const outcome = await setTransition(tenant, opts.from, opts.to, false);
  return changeResult(outcome, `Denied moves ${opts.from} → ${opts.to}.`, `Moves ${opts.from} → ${opts.to} already are denied; nothing changed.`);
}
