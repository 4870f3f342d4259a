import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdCreate } from './create.js';
import { newCmdDelete } from './delete.js';
import { newCmdEdit } from './edit.js';
import { newCmdList } from './list.js';
import { newCmdPermissions } from './permissions.js';
import { newCmdShow } from './show.js';

export function newCmdRole(f: Factory) {
  return new Command('role')
    .description('roles of the active organization and what they grant')
    .addCommand(newCmdList(f))
    .addCommand(newCmdShow(f))
    .addCommand(newCmdCreate(f))
    .addCommand(newCmdEdit(f))
    .addCommand(newCmdDelete(f))
    .addCommand(newCmdPermissions(f));
}
