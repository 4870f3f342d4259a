import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../../cli/define.js';
import { newCmdAdd } from './add.js';
import { newCmdRemove } from './remove.js';
import { newCmdRename } from './rename.js';
import { newCmdReorder } from './reorder.js';

export function newCmdStatus(f: Factory) {
  return new Command('status')
    .description('add, rename, remove and reorder statuses')
    .addCommand(newCmdAdd(f))
    .addCommand(newCmdRename(f))
    .addCommand(newCmdRemove(f))
    .addCommand(newCmdReorder(f));
}
