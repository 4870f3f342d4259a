import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../../cli/define.js';
import { setTransition } from '../../../domain/workflow.js';
import type { CommandResult } from '../../../output/types.js';
import { changeResult, STATUS_FIELDS } from '../shared.js';

export interface AllowOptions {
  from: string;
  to: string;
}

export function newCmdAllow(f: Factory, run: Run<AllowOptions, OrgDeps> = allowRun) {
  return f.orgCommand(
    new Command('allow')
      .description('allow moves from one status to another; from then on, only the allowed moves leave <from>')
      .argument('<from>', 'status code')
      .argument('<to>', 'status code'),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: (from, to) => ({ from, to }), run },
  );
}

export async function allowRun(opts: AllowOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const outcome = await setTransition(tenant, opts.from, opts.to, true);
  return changeResult(outcome, `Allowed moves ${opts.from} → ${opts.to}.`, `Moves ${opts.from} → ${opts.to} already are allowed; nothing changed.`);
}
