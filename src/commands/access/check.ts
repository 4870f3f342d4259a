import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { checkAccess } from '../../domain/members.js';
import { forbidden } from '../../errors.js';
import { item, type CommandResult } from '../../output/types.js';

export interface CheckOptions {
  permission: string;
  /** Another member's email; without it, the caller. */
  user?: string;
}

export function newCmdCheck(f: Factory, run: Run<CheckOptions, OrgDeps> = checkRun) {
  return f.orgCommand(
    new Command('check')
      .description('may I (or --user) do this here? exit 0 and the granting role, or exit 4 and why not')
      .argument('<permission>', 'a permission from tkt role permissions, e.g. ticket:delete')
      .option('--user <email>', 'ask about another member (needs member:read)'),
    { requirement: 'membership', options: (permission, flags) => ({ permission, user: flags.user }), run },
  );
}

export async function checkRun(opts: CheckOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const answer = await checkAccess(tenant, {
    permission: opts.permission,
    ...(opts.user !== undefined ? { email: opts.user } : {}),
  });
  return {
    ...item({
      item: answer,
      fields: ['permission', 'email', 'org', 'allowed', 'role', 'via', 'reason'],
      details: [
        { label: 'permission', value: (a) => a.permission },
        { label: 'user', value: (a) => a.email, email: true },
        { label: 'org', value: (a) => a.org },
        { label: 'allowed', value: (a) => (a.allowed ? 'yes' : 'no'), tone: (a) => (a.allowed ? 'success' : 'danger') },
        { label: 'role', value: (a) => a.role ?? '-' },
        { label: 'via', value: (a) => a.via.join(',') || '-' },
      ],
      id: (a) => (a.allowed ? 'yes' : 'no'),
    }),
    ...(answer.allowed ? {} : { failWith: forbidden(answer.reason) }),
  };
}
