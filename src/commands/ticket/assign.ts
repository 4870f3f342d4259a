import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { assignTicket, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changeItem, KEY_ARG } from './shared.js';

export interface AssignOptions {
  key: string;
  who: string;
}

export function newCmdAssign(f: Factory, run: Run<AssignOptions, OrgDeps> = assignRun) {
  return f.orgCommand(
    new Command('assign')
      .description('assign a ticket to a member (or @me)')
      .argument(...KEY_ARG)
      .argument('<who>', "a member's email, or @me"),
    { requirement: 'ticket:assign', fields: TICKET_FIELDS, options: (key, who) => ({ key, who }), run },
  );
}

export async function assignRun(opts: AssignOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const change = await assignTicket(tenant, opts.key, opts.who);
  const who = change.after.assignee?.email;
  return changeItem(tenant, change, `Assigned ${change.after.key} to ${who}.`, `${change.after.key} is already assigned to ${who}.`);
}
