import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { resetWorkflow } from '../../domain/workflow.js';
import type { CommandResult } from '../../output/types.js';
import { confirmed } from '../shared/confirm.js';
import { changeResult, STATUS_FIELDS } from './shared.js';

export type ResetOptions = Record<string, never>;

export function newCmdReset(f: Factory, run: Run<ResetOptions, OrgDeps> = resetRun) {
  return f.orgCommand(
    new Command('reset').description(
      'back to the four default statuses and no rules; tickets of other statuses go to the default of their category (-y, or confirm)',
    ),
    { requirement: 'workflow:manage', fields: STATUS_FIELDS, options: () => ({}), run },
  );
}

export async function resetRun(_opts: ResetOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  await confirmed(rt, `Reset the workflow of ${tenant.ctx.org.slug} to open, in_progress, done, canceled?`, 'to reset without a prompt');
  const outcome = await resetWorkflow(tenant);
  const moved = outcome.moved > 0 ? `; moved ${outcome.moved} ticket${outcome.moved === 1 ? '' : 's'}` : '';
  return changeResult(outcome, `Reset the workflow to the default statuses${moved}.`, 'The workflow already is the default one; nothing changed.');
}
