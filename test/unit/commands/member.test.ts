import { describe, expect, it } from 'vitest';
import { newCmdList } from '../../../src/commands/member/list.js';
import { newCmdRemove } from '../../../src/commands/member/remove.js';
import { newCmdSetRole } from '../../../src/commands/member/set-role.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('member: argv → options', () => {
  it.each([
    ['list', newCmdList, [], {}],
    ['set-role', newCmdSetRole, ['bob@example.com', 'admin'], { email: 'bob@example.com', role: 'admin' }],
    ['set-role, the role to pick', newCmdSetRole, ['bob@example.com'], { email: 'bob@example.com' }],
    ['set-role, global flags between', newCmdSetRole, ['bob@example.com', '--json', 'email', 'viewer'], { email: 'bob@example.com', role: 'viewer' }],
    ['remove', newCmdRemove, ['bob@example.com'], { email: 'bob@example.com' }],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['remove with two emails', newCmdRemove, ['a@example.com', 'b@example.com'], /too many arguments/],
    ['list with an unknown flag', newCmdList, ['--all'], /unknown option '--all'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
