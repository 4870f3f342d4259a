import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { setMemberRole } from '../../domain/members.js';
import type { CommandResult } from '../../output/types.js';
import { pickRole } from '../shared/pickers.js';
import { MEMBER_FIELDS, memberItem, memberView } from './shared.js';

export interface SetRoleOptions {
  email: string;
  /** Missing: picked on a terminal. */
  role?: string;
}

export function newCmdSetRole(f: Factory, run: Run<SetRoleOptions, OrgDeps> = setRoleRun) {
  return f.orgCommand(
    new Command('set-role')
      .description("change a member's role (never to one with permissions you do not hold)")
      .argument('<email>', 'the member')
      .argument('[role]', 'role code (tkt role list); on a terminal, picked from the roles you may give when left out'),
    {
      requirement: 'member:role',
      fields: MEMBER_FIELDS,
      options: (email, role) => ({ email, ...(role !== undefined ? { role } : {}) }),
      run,
    },
  );
}

export async function setRoleRun(opts: SetRoleOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const role = opts.role ?? (await pickRole(rt, tenant, 'the role after the email'));
  const { member: changed, previous } = await setMemberRole(tenant, { email: opts.email, role });
  const text =
    previous.id === changed.role.id
      ? `${changed.user.email} already has the role ${changed.role.code}.`
      : `${changed.user.email} is now ${changed.role.code} in ${tenant.ctx.org.slug} (was ${previous.code}).`;
  return memberItem(memberView(changed), text);
}
