import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { login } from '../../domain/auth.js';
import { orgToKeepActive } from '../../domain/orgs.js';
import * as validate from '../../domain/validate.js';
import type { CommandResult } from '../../output/types.js';
import { ask, readPassword, refuseWithToken, replacedConfig, saveSession, SESSION_FIELDS, sessionResult } from './shared.js';

export interface LoginOptions {
  email?: string;
  passwordStdin: boolean;
}

export function newCmdLogin(f: Factory, run: Run<LoginOptions, Deps> = loginRun) {
  return f.publicCommand(
    new Command('login')
      .description('log in to this store')
      .option('--email <email>', 'your email address')
      .option('--password-stdin', 'read the password from the first line of stdin'),
    { fields: SESSION_FIELDS, options: (flags) => ({ email: flags.email, passwordStdin: Boolean(flags.passwordStdin) }), run },
  );
}

export async function loginRun(opts: LoginOptions, { rt }: Deps): Promise<CommandResult> {
  refuseWithToken(rt, 'log in');
  const email = await ask(rt, opts.email, 'Email:', '--email', (a) => validate.email(a, '--email'));
  const password = await readPassword(rt, opts.passwordStdin, false);
  const deps = await rt.authDeps();
  const grant = await login(deps, { email, password });
  // A PostgreSQL store reads the memberships below as the new session (row-level security).
  deps.store.presentToken?.(grant.sessionToken);
  const activeOrgId = await orgToKeepActive(deps.store, grant.user.id, replacedConfig(rt).activeOrgId);
  await saveSession(rt, grant.sessionToken, activeOrgId);
  return sessionResult(grant, rt.storeLabel, `Logged in as ${grant.user.email}.`);
}
