import { describe, expect, it } from 'vitest';
import { newCmdCheck } from '../../../src/commands/db/check.js';
import { newCmdInit } from '../../../src/commands/db/init.js';
import { newCmdMigrate } from '../../../src/commands/db/migrate.js';
import { newCmdStatus } from '../../../src/commands/db/status.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('db: argv → options', () => {
  it.each([
    ['init', newCmdInit, [], { shared: false }],
    ['init --shared', newCmdInit, ['--shared', '--db', '/srv/team/team.db'], { shared: true }],
    ['status', newCmdStatus, [], {}],
    ['migrate', newCmdMigrate, ['--db', 'x.db'], {}],
    ['check', newCmdCheck, ['--json'], {}],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['init with a path argument', newCmdInit, ['team.db'], /too many arguments/],
    ['init --shared with a value', newCmdInit, ['--shared=yes'], /--shared/],
    ['status with an argument', newCmdStatus, ['now'], /too many arguments/],
    ['migrate with an unknown flag', newCmdMigrate, ['--dry-run'], /unknown option '--dry-run'/],
    ['check with an empty --json field list', newCmdCheck, ['--json='], /--json was given an empty field list/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
