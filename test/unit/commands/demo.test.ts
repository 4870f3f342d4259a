import { describe, expect, it } from 'vitest';
import { newCmdDemo } from '../../../src/commands/demo/index.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('demo: argv → options', () => {
  it.each([
    ['demo', [], {}],
    ['demo into a given store', ['--db', 'demo.db', '--json'], {}],
  ] as const)('%s', async (_name, argv, want) => {
    expect(await parseArgv(newCmdDemo as never, [...argv])).toEqual(want);
  });

  it.each([
    ['demo with an argument', ['acme'], /too many arguments/],
    ['demo with an unknown flag', ['--orgs', '3'], /unknown option '--orgs'/],
  ] as const)('%s is refused', async (_name, argv, error) => {
    expect(await parseArgvError(newCmdDemo as never, [...argv])).toMatch(error);
  });
});
