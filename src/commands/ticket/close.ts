import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { closeTickets, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, KEYS_ARG, readKeys, type Keys } from './many.js';
import { movedItem } from './shared.js';

export interface CloseOptions {
  keys: string[];
}

export function newCmdClose(f: Factory, run: Run<CloseOptions, OrgDeps, Keys> = closeRun) {
  return f.orgCommand(new Command('close').description("move tickets to the workflow's first completed status (done by default)").argument(...KEYS_ARG), {
    requirement: 'ticket:update',
    fields: TICKET_FIELDS,
    options: (keys) => ({ keys }),
    input: (opts, source) => readKeys(opts.keys, source),
    run,
  });
}

export async function closeRun(_opts: CloseOptions, { tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const changes = await closeTickets(tenant, keys);
  return one ? movedItem(tenant, changes[0]!) : changesResult(tenant, changes, 'Closed', 'already completed');
}
