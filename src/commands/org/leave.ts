import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { leaveOrg } from '../../domain/org-admin.js';
import { message, type CommandResult } from '../../output/types.js';
import { unassignedNote } from '../shared/unassigned.js';
import { forgetActiveOrg, SWITCH_HINT } from './shared.js';
import { confirmed } from '../shared/confirm.js';

export type LeaveOptions = Record<string, never>;

export function newCmdLeave(f: Factory, run: Run<LeaveOptions, OrgDeps> = leaveRun) {
  return f.orgCommand(new Command('leave').description('leave the organization (not as its last owner; -y, or confirm at the prompt)'), {
    requirement: 'membership',
    fields: ['left', 'unassignedTickets'],
    options: () => ({}),
    run,
  });
}

export async function leaveRun(_opts: LeaveOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const slug = tenant.ctx.org.slug;
  await confirmed(rt, `Leave ${slug}? Your tickets there are unassigned, and only an invitation brings you back.`, 'to leave without a prompt');
  const left = await leaveOrg(tenant);
  const wasActive = await forgetActiveOrg(rt, tenant.ctx.org.id);
  return message(`You left ${slug}${unassignedNote(left.unassigned)}.${wasActive ? SWITCH_HINT : ''}`, {
    left: slug,
    unassignedTickets: left.unassigned,
  });
}
