import { describe, expect, it } from 'vitest';
import { newCmdLogin } from '../../../src/commands/auth/login.js';
import { newCmdLogout } from '../../../src/commands/auth/logout.js';
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
    ['logout', newCmdLogout, [], {}],
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
    ['logout with an unknown flag', newCmdLogout, ['--all'], /unknown option '--all'/],
    ['token create without --name', newCmdCreate, [], /required option '--name <name>' not specified/],
    ['token revoke without an id', newCmdRevoke, [], /missing required argument 'id'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
