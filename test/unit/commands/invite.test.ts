import { describe, expect, it } from 'vitest';
import { newCmdAccept } from '../../../src/commands/invite/accept.js';
import { newCmdCreate } from '../../../src/commands/invite/create.js';
import { newCmdList } from '../../../src/commands/invite/list.js';
import { newCmdRevoke } from '../../../src/commands/invite/revoke.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('invite: argv → options', () => {
  it.each([
    ['create, default lifetime', newCmdCreate, ['bob@example.com', '--role', 'member'], { email: 'bob@example.com', role: 'member', expires: '7d' }],
    ['create, every flag', newCmdCreate, ['--role', 'viewer', '--expires', '1h', 'bob@example.com'], { email: 'bob@example.com', role: 'viewer', expires: '1h' }],
    ['list', newCmdList, [], { all: false }],
    ['list --all', newCmdList, ['--all'], { all: true }],
    ['revoke, the id as typed', newCmdRevoke, ['0'], { id: '0' }],
    ['accept', newCmdAccept, ['tkti_abc'], { token: 'tkti_abc' }],
    ['accept -, the token from stdin', newCmdAccept, ['-'], { token: '-' }],
    ['create, the role to pick', newCmdCreate, ['bob@example.com'], { email: 'bob@example.com', expires: '7d' }],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['create without an email', newCmdCreate, ['--role', 'member'], /missing required argument 'email'/],
    ['list with a value for --all', newCmdList, ['--all', 'yes'], /too many arguments/],
    ['accept without a token', newCmdAccept, [], /missing required argument 'token'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
