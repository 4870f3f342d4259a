import { describe, expect, it } from 'vitest';
import { newCmdCreate } from '../../../src/commands/org/create.js';
import { newCmdCurrent } from '../../../src/commands/org/current.js';
import { newCmdDelete } from '../../../src/commands/org/delete.js';
import { newCmdLeave } from '../../../src/commands/org/leave.js';
import { newCmdList } from '../../../src/commands/org/list.js';
import { newCmdRename } from '../../../src/commands/org/rename.js';
import { newCmdSwitch } from '../../../src/commands/org/switch.js';
import { newCmdTransfer } from '../../../src/commands/org/transfer.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('org: argv → options', () => {
  it.each([
    ['create', newCmdCreate, ['Acme Corp'], { name: 'Acme Corp', slug: undefined, key: undefined }],
    ['create, every flag', newCmdCreate, ['Acme Corp', '--slug', 'acme', '--key', 'AC'], { name: 'Acme Corp', slug: 'acme', key: 'AC' }],
    ['list', newCmdList, [], {}],
    ['switch to a slug', newCmdSwitch, ['acme'], { slug: 'acme' }],
    ['switch with the picker', newCmdSwitch, [], { slug: undefined }],
    ['current', newCmdCurrent, [], {}],
    ['rename', newCmdRename, ['Acme Inc'], { name: 'Acme Inc' }],
    ['transfer', newCmdTransfer, ['bob@example.com'], { email: 'bob@example.com' }],
    ['leave', newCmdLeave, [], {}],
    ['delete', newCmdDelete, ['acme'], { slug: 'acme' }],
    ['delete, -y and --org around it', newCmdDelete, ['-y', 'acme', '--org', 'other'], { slug: 'acme' }],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['create without a name', newCmdCreate, [], /missing required argument 'name'/],
    ['create with --key and no value', newCmdCreate, ['Acme', '--key'], /option '--key <KEY>' argument missing/],
    ['switch with two slugs', newCmdSwitch, ['a', 'b'], /too many arguments/],
    ['delete without a slug', newCmdDelete, [], /missing required argument 'slug'/],
    ['leave with an unknown flag', newCmdLeave, ['--force'], /unknown option '--force'/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
