import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { moveTicket, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { KEY_ARG, movedItem } from './shared.js';

export interface CloseOptions {
  key: string;
}

export function newCmdClose(f: Factory, run: Run<CloseOptions, OrgDeps> = closeRun) {
  return f.orgCommand(new Command('close').description('mark a ticket done (same as move <key> done)').argument(...KEY_ARG), {
    requirement: 'ticket:update',
    fields: TICKET_FIELDS,
    options: (key) => ({ key }),
    run,
  });
}

export async function closeRun(opts: CloseOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  return movedItem(tenant, await moveTicket(tenant, opts.key, 'done'));
}
