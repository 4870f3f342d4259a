import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { signup } from '../../domain/auth.js';
import { signupWithInvite } from '../../domain/invites.js';
import * as validate from '../../domain/validate.js';
import type { CommandResult } from '../../output/types.js';
import { inviteToken, inviteTokenAndPassword, TOKEN_FROM_STDIN } from '../shared/invite-token.js';
import { ask, readPassword, refuseWithToken, saveSession, SESSION_FIELDS, sessionResult } from './shared.js';

export interface SignupOptions {
  email?: string;
  name?: string;
  passwordStdin: boolean;
  invite?: string;
}

export function newCmdSignup(f: Factory, run: Run<SignupOptions, Deps> = signupRun) {
  return f.publicCommand(
    new Command('signup')
      .description('create an account on this store and log in')
      .option('--email <email>', 'your email address')
      .option('--name <name>', 'your name')
      .option('--password-stdin', 'read the password from the first line of stdin (the second with --invite -)')
      .option('--invite <token>', 'join the organization that invited you, in the same step; - reads the token from the first line of stdin'),
    {
      fields: SESSION_FIELDS,
      options: (flags) => ({ email: flags.email, name: flags.name, passwordStdin: Boolean(flags.passwordStdin), invite: flags.invite }),
      run,
    },
  );
}

export async function signupRun(opts: SignupOptions, { rt }: Deps): Promise<CommandResult> {
  refuseWithToken(rt, 'sign up');
  const email = await ask(rt, opts.email, 'Email:', '--email', (a) => validate.email(a, '--email'));
  const name = await ask(rt, opts.name, 'Name:', '--name', validate.personName);
  if (opts.invite !== undefined) {
    const { token, password } =
      opts.invite === TOKEN_FROM_STDIN && opts.passwordStdin
        ? await inviteTokenAndPassword(rt)
        : { token: await inviteToken(rt, opts.invite), password: await readPassword(rt, opts.passwordStdin, true) };
    const joined = await signupWithInvite(await rt.authDeps({ create: true }), { email, name, password, token });
    await saveSession(rt, joined.grant.sessionToken, joined.org.id);
    const text = `Signed up as ${joined.user.email} and joined ${joined.org.slug} as ${joined.role.code}; it is your active organization.`;
    return sessionResult(joined.grant, rt.storeLabel, text);
  }
  const password = await readPassword(rt, opts.passwordStdin, true);
  const grant = await signup(await rt.authDeps({ create: true }), { email, name, password });
  await saveSession(rt, grant.sessionToken, undefined);
  return sessionResult(grant, rt.storeLabel, `Signed up and logged in as ${grant.user.email}.`);
}
