import { describe, expect, it } from 'vitest';
import { newCmdCheck } from '../../../src/commands/access/check.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('access: argv → options', () => {
  it.each([
    ['check', newCmdCheck, ['ticket:delete'], { permission: 'ticket:delete', user: undefined }],
    ['check, every flag', newCmdCheck, ['ticket:delete', '--user', 'bob@example.com'], { permission: 'ticket:delete', user: 'bob@example.com' }],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['check without a permission', newCmdCheck, [], /missing required argument 'permission'/],
    ['check with --user and no value', newCmdCheck, ['ticket:read', '--user'], /option '--user <email>' argument missing/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
