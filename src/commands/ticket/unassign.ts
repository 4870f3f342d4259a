import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { TICKET_FIELDS, unassignTickets } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, KEYS_ARG, readKeys, type Keys } from './many.js';
import { changeItem } from './shared.js';

export interface UnassignOptions {
  keys: string[];
}

export function newCmdUnassign(f: Factory, run: Run<UnassignOptions, OrgDeps, Keys> = unassignRun) {
  return f.orgCommand(new Command('unassign').description('remove the assignee').argument(...KEYS_ARG), {
    requirement: 'ticket:assign',
    fields: TICKET_FIELDS,
    options: (keys) => ({ keys }),
    input: (opts, source) => readKeys(opts.keys, source),
    run,
  });
}

export async function unassignRun(_opts: UnassignOptions, { tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const changes = await unassignTickets(tenant, keys);
  if (!one) return changesResult(tenant, changes, 'Unassigned', 'not assigned');
  const [change] = changes;
  return changeItem(
    tenant,
    change!,
    `Unassigned ${change!.after.key} (was ${change!.before.assignee?.email}).`,
    `${change!.after.key} is not assigned.`,
  );
}
