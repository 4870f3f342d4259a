import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { logout, logoutEverywhere } from '../../domain/auth.js';
import { message, type CommandResult } from '../../output/types.js';

export interface LogoutOptions {
  all: boolean;
}

export function newCmdLogout(f: Factory, run: Run<LogoutOptions, UserDeps> = logoutRun) {
  return f.userCommand(
    new Command('logout')
      .description('end this session on this store')
      .option('--all', 'end every one of your sessions on this store, on every machine (API tokens stay)'),
    { fields: ['loggedOut', 'email', 'sessionsEnded'], options: (flags) => ({ all: Boolean(flags.all) }), run },
  );
}

export async function logoutRun(opts: LogoutOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const deps = await rt.authDeps();
  const ended = opts.all ? await logoutEverywhere(deps, principal) : (await logout(deps, principal), 1);
  // The active org stays: logging in again (as anyone still a member of it) picks it up.
  await rt.saveConfig(({ activeOrgId }) => (activeOrgId ? { activeOrgId } : {}));
  const text = opts.all ? `Logged out of ${rt.storeLabel} everywhere (${ended} session${ended === 1 ? '' : 's'} ended).` : `Logged out of ${rt.storeLabel}.`;
  return message(text, { loggedOut: true, email: principal.user.email, sessionsEnded: ended });
}
