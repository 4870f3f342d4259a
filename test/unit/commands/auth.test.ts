import { describe, expect, it } from 'vitest';
import { newCmdLogin } from '../../../src/commands/auth/login.js';
import { newCmdLogout } from '../../../src/commands/auth/logout.js';
import { newCmdPassword } from '../../../src/commands/auth/password.js';
import { newCmdList as newCmdSessionList } from '../../../src/commands/auth/session/list.js';
import { newCmdRevoke as newCmdSessionRevoke } from '../../../src/commands/auth/session/revoke.js';
import { newCmdSignup } from '../../../src/commands/auth/signup.js';
import { newCmdStatus } from '../../../src/commands/auth/status.js';
import { newCmdCreate } from '../../../src/commands/auth/token/create.js';
import { newCmdList } from '../../../src/commands/auth/token/list.js';
import { newCmdRevoke } from '../../../src/commands/auth/token/revoke.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('auth: argv → options', () => {
  it.each([
    ['signup, nothing given', newCmdSignup, [], { email: undefined, name: undefined, passwordStdin: false, invite: undefined }],
    [
      'signup, every flag',
      newCmdSignup,
      ['--email', 'a@example.com', '--name', 'Ann', '--password-stdin', '--invite', 'tkti_x'],
      { email: 'a@example.com', name: 'Ann', passwordStdin: true, invite: 'tkti_x' },
    ],
    ['signup --invite -, both secrets on stdin', newCmdSignup, ['--invite', '-', '--password-stdin'], { email: undefined, name: undefined, passwordStdin: true, invite: '-' }],
    ['login, nothing given', newCmdLogin, [], { email: undefined, passwordStdin: false }],
    ['login, every flag', newCmdLogin, ['--email=a@example.com', '--password-stdin'], { email: 'a@example.com', passwordStdin: true }],
    ['logout', newCmdLogout, [], { all: false }],
    ['logout --all', newCmdLogout, ['--all'], { all: true }],
    ['password, nothing given', newCmdPassword, [], { passwordStdin: false, revokeTokens: false }],
    ['password, every flag', newCmdPassword, ['--password-stdin', '--revoke-tokens'], { passwordStdin: true, revokeTokens: true }],
    ['session list', newCmdSessionList, ['--json'], {}],
    ['session revoke, the id as typed', newCmdSessionRevoke, ['x7'], { id: 'x7', allOthers: false }],
    ['session revoke --all-others', newCmdSessionRevoke, ['--all-others'], { id: undefined, allOthers: true }],
    ['session revoke, both (refused when it runs)', newCmdSessionRevoke, ['3', '--all-others'], { id: '3', allOthers: true }],
    ['status', newCmdStatus, ['--json'], {}],
    ['token create, default lifetime', newCmdCreate, ['--name', 'ci'], { name: 'ci', expires: '90d' }],
    ['token create, every flag', newCmdCreate, ['--name', 'ci', '--expires', '1m'], { name: 'ci', expires: '1m' }],
    ['token create, a lifetime as typed', newCmdCreate, ['--name', 'ci', '--expires', 'soon'], { name: 'ci', expires: 'soon' }],
    ['token list', newCmdList, [], {}],
    ['token revoke, the id as typed', newCmdRevoke, ['x7'], { id: 'x7' }],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['signup with a stray argument', newCmdSignup, ['ann'], /too many arguments/],
    ['login with --email and no value', newCmdLogin, ['--email'], /option '--email <email>' argument missing/],
    ['logout with an unknown flag', newCmdLogout, ['--everywhere'], /unknown option '--everywhere'/],
    ['logout --all with a value', newCmdLogout, ['--all=yes'], /unknown option '--all=yes'/],
    ['password with the new password as an argument', newCmdPassword, ['hunter2hunter2'], /too many arguments/],
    ['password with --password (a secret in argv)', newCmdPassword, ['--password', 'x'], /unknown option '--password'/],
    ['session revoke with two ids', newCmdSessionRevoke, ['1', '2'], /too many arguments/],
    ['session list with an argument', newCmdSessionList, ['1'], /too many arguments/],
    ['token create without --name', newCmdCreate, [], /required option '--name <name>' not specified/],
    ['token revoke without an id', newCmdRevoke, [], /missing required argument 'id'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
