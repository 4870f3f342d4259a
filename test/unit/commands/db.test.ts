import { describe, expect, it } from 'vitest';
import { newCmdCheck } from '../../../src/commands/db/check.js';
import { newCmdMigrate } from '../../../src/commands/db/migrate.js';
import { newCmdStatus } from '../../../src/commands/db/status.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('db: argv → options', () => {
  it.each([
    ['status', newCmdStatus, [], {}],
    ['migrate', newCmdMigrate, ['--db', 'x.db'], {}],
    ['check', newCmdCheck, ['--json'], {}],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['status with an argument', newCmdStatus, ['now'], /too many arguments/],
    ['migrate with an unknown flag', newCmdMigrate, ['--dry-run'], /unknown option '--dry-run'/],
    ['check with an empty --json field list', newCmdCheck, ['--json='], /--json was given an empty field list/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
