import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { reopenTicket, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changeItem, KEY_ARG } from './shared.js';

export interface ReopenOptions {
  key: string;
}

export function newCmdReopen(f: Factory, run: Run<ReopenOptions, OrgDeps> = reopenRun) {
  return f.orgCommand(new Command('reopen').description('move a done or canceled ticket back to open').argument(...KEY_ARG), {
    requirement: 'ticket:update',
    fields: TICKET_FIELDS,
    options: (key) => ({ key }),
    run,
  });
}

export async function reopenRun(opts: ReopenOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const change = await reopenTicket(tenant, opts.key);
  return changeItem(
    tenant,
    change,
    `Reopened ${change.after.key}.`,
    `${change.after.key} is ${change.after.status}, not done or canceled; nothing changed.`,
  );
}
