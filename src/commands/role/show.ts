import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { showRole } from '../../domain/roles.js';
import type { CommandResult } from '../../output/types.js';
import { roleItem, roleView } from './shared.js';

export interface ShowOptions {
  code: string;
}

export function newCmdShow(f: Factory, run: Run<ShowOptions, OrgDeps> = showRun) {
  return f.orgCommand(
    new Command('show').description('one role: its permissions, expanded, and how many hold it').argument('<role>', 'role code'),
    { requirement: 'role:read', options: (code) => ({ code }), run },
  );
}

export async function showRun(opts: ShowOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const found = await showRole(tenant, opts.code);
  return roleItem(roleView(found, found.members));
}
