import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdCheck } from './check.js';
import { newCmdInit } from './init.js';
import { newCmdMigrate } from './migrate.js';
import { newCmdStatus } from './status.js';

export function newCmdDb(f: Factory) {
  return new Command('db')
    .description('the store: create, schema status, migrations, consistency checks')
    .addCommand(newCmdInit(f))
    .addCommand(newCmdStatus(f))
    .addCommand(newCmdMigrate(f))
    .addCommand(newCmdCheck(f));
}
