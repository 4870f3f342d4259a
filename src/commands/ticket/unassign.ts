import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { TICKET_FIELDS, unassignTicket } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changeItem, KEY_ARG } from './shared.js';

export interface UnassignOptions {
  key: string;
}

export function newCmdUnassign(f: Factory, run: Run<UnassignOptions, OrgDeps> = unassignRun) {
  return f.orgCommand(new Command('unassign').description('remove the assignee').argument(...KEY_ARG), {
    requirement: 'ticket:assign',
    fields: TICKET_FIELDS,
    options: (key) => ({ key }),
    run,
  });
}

export async function unassignRun(opts: UnassignOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const change = await unassignTicket(tenant, opts.key);
  return changeItem(
    tenant,
    change,
    `Unassigned ${change.after.key} (was ${change.before.assignee?.email}).`,
    `${change.after.key} is not assigned.`,
  );
}
