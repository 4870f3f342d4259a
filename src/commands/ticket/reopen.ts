import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { reopenTickets, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, KEYS_ARG, readKeys, type Keys } from './many.js';
import { changeItem } from './shared.js';

export interface ReopenOptions {
  keys: string[];
}

export function newCmdReopen(f: Factory, run: Run<ReopenOptions, OrgDeps, Keys> = reopenRun) {
  return f.orgCommand(new Command('reopen').description("move completed or canceled tickets back to the workflow's first unstarted status (open by default)").argument(...KEYS_ARG), {
    requirement: 'ticket:update',
    fields: TICKET_FIELDS,
    options: (keys) => ({ keys }),
    input: (opts, source) => readKeys(opts.keys, source),
    run,
  });
}

export async function reopenRun(_opts: ReopenOptions, { tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const changes = await reopenTickets(tenant, keys);
  if (!one) return changesResult(tenant, changes, 'Reopened', 'not completed or canceled, left as they are');
  const [change] = changes;
  return changeItem(
    tenant,
    change!,
    `Reopened ${change!.after.key}.`,
    `${change!.after.key} is ${change!.after.status}, not completed or canceled; nothing changed.`,
  );
}
