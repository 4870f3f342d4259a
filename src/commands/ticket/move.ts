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
  /** Past the workflow's transition rules (needs workflow:manage; audited as forced). */
  force?: boolean;
}

export function newCmdMove(f: Factory, run: Run<MoveOptions, OrgDeps, Keys> = moveRun) {
  return f.orgCommand(
    new Command('move')
      .description("change the status to one of the org's workflow (tkt workflow show; by default open, in_progress, done, canceled)")
      .usage('[options] <key...|-> <status>')
      .argument('<words...>', 'tickets (ACME-42, 42 or #42; - reads keys from stdin), then the status code')
      .option('-f, --force', 'move even where the transition rules forbid it (needs workflow:manage; audited)'),
    {
      requirement: 'ticket:update',
      fields: TICKET_FIELDS,
      options: (words, flags) => ({ keys: words.slice(0, -1), status: words.at(-1)!, ...(flags.force ? { force: true } : {}) }),
      input: async (opts, source) => {
        if (opts.keys.length === 0) throw usageError('missing the status', 'tkt ticket move <key>… <status> (tkt workflow show lists the statuses)');
        return readKeys(opts.keys, source);
      },
      run,
    },
  );
}

export async function moveRun(opts: MoveOptions, { tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const changes = await moveTickets(tenant, keys, opts.status, { force: opts.force === true });
  return one ? movedItem(tenant, changes[0]!) : changesResult(tenant, changes, `Moved to ${changes[0]!.after.status}`, 'already so');
}
