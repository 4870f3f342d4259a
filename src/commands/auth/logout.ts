import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { logout } from '../../domain/auth.js';
import { usageError } from '../../errors.js';
import { message, type CommandResult } from '../../output/types.js';

export type LogoutOptions = Record<string, never>;

export function newCmdLogout(f: Factory, run: Run<LogoutOptions, UserDeps> = logoutRun) {
  return f.userCommand(new Command('logout').description('end this session on this store'), {
    fields: ['loggedOut', 'email'],
    options: () => ({}),
    run,
  });
}

export async function logoutRun(_opts: LogoutOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  if (principal.via === 'token') {
    throw usageError('you are authenticated by TKT_TOKEN, which logout does not end', 'revoke it with tkt auth token revoke <id>, or unset TKT_TOKEN');
  }
  await logout(await rt.authDeps(), principal);
  await rt.saveConfig(() => ({}));
  return message(`Logged out of ${rt.storeLabel}.`, { loggedOut: true, email: principal.user.email });
}
