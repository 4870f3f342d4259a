import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { moveTicket, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { KEY_ARG, movedItem } from './shared.js';

export interface MoveOptions {
  key: string;
  status: string;
}

export function newCmdMove(f: Factory, run: Run<MoveOptions, OrgDeps> = moveRun) {
  return f.orgCommand(
    new Command('move')
      .description('change the status: open, in_progress, done or canceled')
      .argument(...KEY_ARG)
      .argument('<status>', 'open, in_progress, done or canceled'),
    { requirement: 'ticket:update', fields: TICKET_FIELDS, options: (key, status) => ({ key, status }), run },
  );
}

export async function moveRun(opts: MoveOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  return movedItem(tenant, await moveTicket(tenant, opts.key, opts.status));
}
