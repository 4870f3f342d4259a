import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { moveTickets, TICKET_FIELDS } from '../../domain/tickets/index.js';
import { usageError } from '../../errors.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, readKeys, type Keys } from './many.js';
import { movedItem } from './shared.js';

export interface MoveOptions {
  keys: string[];
  status: string;
}

export function newCmdMove(f: Factory, run: Run<MoveOptions, OrgDeps, Keys> = moveRun) {
  return f.orgCommand(
    new Command('move')
      .description('change the status: open, in_progress, done or canceled')
      .usage('[options] <key...|-> <status>')
      .argument('<words...>', 'tickets (ACME-42, 42 or #42; - reads keys from stdin), then the status'),
    {
      requirement: 'ticket:update',
      fields: TICKET_FIELDS,
      options: (words) => ({ keys: words.slice(0, -1), status: words.at(-1)! }),
      input: async (opts, source) => {
        if (opts.keys.length === 0) throw usageError('missing the status', 'tkt ticket move <key>… <status>: open, in_progress, done or canceled');
        return readKeys(opts.keys, source);
      },
      run,
    },
  );
}

export async function moveRun(opts: MoveOptions, { tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const changes = await moveTickets(tenant, keys, opts.status);
  return one ? movedItem(tenant, changes[0]!) : changesResult(tenant, changes, `Moved to ${changes[0]!.after.status}`, 'already so');
}
