import { describe, expect, it } from 'vitest';
import { newCmdCreate } from '../../../src/commands/role/create.js';
import { newCmdDelete } from '../../../src/commands/role/delete.js';
import { newCmdEdit } from '../../../src/commands/role/edit.js';
import { newCmdList } from '../../../src/commands/role/list.js';
import { newCmdPermissions } from '../../../src/commands/role/permissions.js';
import { newCmdShow } from '../../../src/commands/role/show.js';
import { parseArgv, parseArgvError } from '../../support/argv.js';

describe('role: argv → options', () => {
  it.each([
    ['list', newCmdList, [], {}],
    ['show', newCmdShow, ['triager'], { code: 'triager' }],
    [
      'create',
      newCmdCreate,
      ['triager', '--name', 'Triager', '--permissions', 'ticket:read,ticket:assign'],
      { code: 'triager', name: 'Triager', permissions: 'ticket:read,ticket:assign' },
    ],
    ['edit, nothing to change', newCmdEdit, ['triager'], { code: 'triager', name: undefined, permissions: undefined }],
    ['edit, every flag', newCmdEdit, ['triager', '--name', 'T', '--permissions', 'ticket:read'], { code: 'triager', name: 'T', permissions: 'ticket:read' }],
    ['delete', newCmdDelete, ['triager'], { code: 'triager', reassign: undefined }],
    ['delete, every flag', newCmdDelete, ['triager', '--reassign', 'member'], { code: 'triager', reassign: 'member' }],
    ['permissions', newCmdPermissions, [], {}],
  ] as const)('%s', async (_name, build, argv, want) => {
    expect(await parseArgv(build as never, [...argv])).toEqual(want);
  });

  it.each([
    ['show without a role', newCmdShow, [], /missing required argument 'role'/],
    ['create without --permissions', newCmdCreate, ['triager', '--name', 'T'], /required option '--permissions <list>' not specified/],
    ['create without --name', newCmdCreate, ['triager', '--permissions', 'ticket:read'], /required option '--name <name>' not specified/],
    ['delete with --reassign and no value', newCmdDelete, ['triager', '--reassign'], /option '--reassign <role>' argument missing/],
    ['permissions with an argument', newCmdPermissions, ['ticket'], /too many arguments/],
  ] as const)('%s is refused', async (_name, build, argv, error) => {
    expect(await parseArgvError(build as never, [...argv])).toMatch(error);
  });
});
