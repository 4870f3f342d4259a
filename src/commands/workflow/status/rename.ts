import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../../cli/define.js';
import { renameStatus } from '../../../domain/workflow.js';
import { usageError } from '../../../errors.js';
import type { CommandResult } from '../../../output/types.js';
import { changeResult, STATUS_FIELDS } from '../shared.js';

export interface RenameOptions {
  code: string;
  name?: string;
  default?: boolean;
}

export function newCmdRename(f: Factory, run: Run<RenameOptions, OrgDeps> = renameRun) {
  return f.orgCommand(
    new Command('rename')
      .description("change a status's name (its code stays: tickets, filters and history keep it)")
      .argument('<status>', 'the status code')
      .option('--name <name>', 'the new name')
      .option('--default', 'also make it the status new tickets get'),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: (code, flags) => ({ code, ...flags }), run },
  );
}

export async function renameRun(opts: RenameOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  if (opts.name === undefined && !opts.default) throw usageError('nothing to change', 'pass --name, --default or both');
  const outcome = await renameStatus(tenant, opts.code, {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.default ? { isDefault: true } : {}),
  });
  return changeResult(outcome, `Changed the status ${opts.code}.`, `The status ${opts.code} already is so; nothing changed.`);
}
