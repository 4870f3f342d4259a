import { describe, expect, it } from 'vitest';
import { newCmdList } from '../../../src/commands/audit/list.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('audit: argv → options', () => {
  it.each([
    ['list', newCmdList, [], { actor: undefined, action: undefined, since: undefined, limit: '50' }],
    [
      'list, every flag (values as typed)',
      newCmdList,
      ['--actor', 'bob@example.com', '--action', 'ticket', '--since', '7d', '--limit', 'many'],
      { actor: 'bob@example.com', action: 'ticket', since: '7d', limit: 'many' },
    ],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['list with --limit and no value', newCmdList, ['--limit'], /option '--limit <n>' argument missing/],
    ['list with an argument', newCmdList, ['ticket'], /too many arguments/],
    ['list with an unknown flag', newCmdList, ['--user', 'x'], /unknown option '--user'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
