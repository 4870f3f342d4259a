import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../../cli/define.js';
import { reorderStatuses } from '../../../domain/workflow.js';
import type { CommandResult } from '../../../output/types.js';
import { changeResult, STATUS_FIELDS } from '../shared.js';

export interface ReorderOptions {
  order: string;
}

export function newCmdReorder(f: Factory, run: Run<ReorderOptions, OrgDeps> = reorderRun) {
  return f.orgCommand(
    new Command('reorder')
      .description('put the statuses in this order (every status once); close and reopen take the first of a category')
      .argument('<codes>', 'every status code, comma-separated: backlog,todo,in_progress,done,canceled'),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: (order) => ({ order }), run },
  );
}

export async function reorderRun(opts: ReorderOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const outcome = await reorderStatuses(tenant, opts.order);
  return changeResult(outcome, 'Reordered the statuses.', 'The statuses already are in that order; nothing changed.');
}
