import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { changePassword } from '../../domain/auth.js';
import { message, type CommandResult } from '../../output/types.js';
import { readPasswordChange } from './shared.js';

export interface PasswordOptions {
  passwordStdin: boolean;
  revokeTokens: boolean;
}

export function newCmdPassword(f: Factory, run: Run<PasswordOptions, UserDeps> = passwordRun) {
  return f.userCommand(
    new Command('password')
      .description('change your password; ends every other session')
      .option('--password-stdin', 'read the current password, then the new one, as two lines of stdin')
      .option('--revoke-tokens', 'also revoke every API token'),
    {
      fields: ['sessionsEnded', 'tokensRevoked'],
      options: (flags) => ({ passwordStdin: Boolean(flags.passwordStdin), revokeTokens: Boolean(flags.revokeTokens) }),
      run,
    },
  );
}

export async function passwordRun(opts: PasswordOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const { current, next } = await readPasswordChange(rt, opts.passwordStdin);
  const ended = await changePassword(await rt.authDeps(), principal, { current, next, revokeTokens: opts.revokeTokens });
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const tokens = opts.revokeTokens ? ` and revoked ${plural(ended.token, 'API token')}` : '';
  return message(`Password changed; ended ${plural(ended.session, 'other session')}${tokens}.`, {
    sessionsEnded: ended.session,
    tokensRevoked: ended.token,
  });
}
