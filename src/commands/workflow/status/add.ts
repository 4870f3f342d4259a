import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../../cli/define.js';
import { addStatus } from '../../../domain/workflow.js';
import { usageError } from '../../../errors.js';
import type { CommandResult } from '../../../output/types.js';
import { changeResult, STATUS_FIELDS } from '../shared.js';

export interface AddOptions {
  code: string;
  name?: string;
  category?: string;
  after?: string;
  default?: boolean;
}

export function newCmdAdd(f: Factory, run: Run<AddOptions, OrgDeps> = addRun) {
  return f.orgCommand(
    new Command('add')
      .description('a new status: a code (2-32 of a-z, 0-9, _), a name, a category')
      .argument('<new-status>', 'the new status code (in_review)')
      .option('--name <name>', 'what people read (default: from the code, In review)')
      .option('--category <category>', 'unstarted, started, completed or canceled')
      .option('--after <status>', 'place it after this status (default: after the last of its category)')
      .option('--default', 'new tickets get this status'),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: (code, flags) => ({ code, ...flags }), run },
  );
}

export async function addRun(opts: AddOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  if (opts.category === undefined) throw usageError('missing --category', '--category unstarted, started, completed or canceled');
  const outcome = await addStatus(tenant, {
    code: opts.code,
    category: opts.category,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.after !== undefined ? { after: opts.after } : {}),
    ...(opts.default ? { isDefault: true } : {}),
  });
  const added = outcome.workflow.statuses.find((s) => s.code === opts.code.trim());
  return changeResult(outcome, `Added the status ${added?.code ?? opts.code} (${added?.category ?? opts.category}).`, '');
}
