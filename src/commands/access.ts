import type { Command } from 'commander';
import * as members from '../domain/members.js';
import type { Definer } from '../cli/legacy-define.js';
import { forbidden } from '../errors.js';
import { item } from '../output/types.js';

export function registerAccess(program: Command, define: Definer): void {
  const access = program.command('access').description('who may do what in the active organization');

  define.orgAction<{ user?: string }>(
    access
      .command('check')
      .description('may I (or --user) do this here? exit 0 and the granting role, or exit 4 and why not')
      .argument('<permission>', 'a permission from tkt role permissions, e.g. ticket:delete')
      .option('--user <email>', 'ask about another member (needs member:read)'),
    'membership',
    async ({ args, opts, tenant }) => {
      const answer = await members.checkAccess(tenant, {
        permission: args[0]!,
        ...(opts.user !== undefined ? { email: opts.user } : {}),
      });
      return {
        ...item({
          item: answer,
          fields: ['permission', 'email', 'org', 'allowed', 'role', 'via', 'reason'],
          details: [
            { label: 'permission', value: (a) => a.permission },
            { label: 'user', value: (a) => a.email },
            { label: 'org', value: (a) => a.org },
            { label: 'allowed', value: (a) => (a.allowed ? 'yes' : 'no'), tone: (a) => (a.allowed ? 'success' : 'danger') },
            { label: 'role', value: (a) => a.role ?? '-' },
            { label: 'via', value: (a) => a.via.join(',') || '-' },
          ],
          id: (a) => (a.allowed ? 'yes' : 'no'),
        }),
        ...(answer.allowed ? {} : { failWith: forbidden(answer.reason) }),
      };
    },
  );
}
