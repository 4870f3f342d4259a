import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { showWorkflow } from '../../domain/workflow.js';
import type { CommandResult } from '../../output/types.js';
import { STATUS_FIELDS, workflowResult } from './shared.js';

export type ShowOptions = Record<string, never>;

export function newCmdShow(f: Factory, run: Run<ShowOptions, OrgDeps> = showRun) {
  return f.orgCommand(
    new Command('show').description('the statuses in order: category, tickets in each, the status of new tickets, where a ticket may move'),
    { requirement: 'ticket:read', fields: STATUS_FIELDS, options: () => ({}), run },
  );
}

export async function showRun(_opts: ShowOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  return workflowResult(await showWorkflow(tenant));
}
