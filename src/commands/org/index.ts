import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdCreate } from './create.js';
import { newCmdCurrent } from './current.js';
import { newCmdDelete } from './delete.js';
import { newCmdExport } from './export.js';
import { newCmdImport } from './import.js';
import { newCmdLeave } from './leave.js';
import { newCmdList } from './list.js';
import { newCmdRename } from './rename.js';
import { newCmdSet } from './set.js';
import { newCmdSwitch } from './switch.js';
import { newCmdTransfer } from './transfer.js';

export function newCmdOrg(f: Factory) {
  return new Command('org')
    .description('organizations: create, list, switch, manage')
    .addCommand(newCmdCreate(f))
    .addCommand(newCmdList(f))
    .addCommand(newCmdSwitch(f))
    .addCommand(newCmdCurrent(f))
    .addCommand(newCmdRename(f))
    .addCommand(newCmdSet(f))
    .addCommand(newCmdTransfer(f))
    .addCommand(newCmdLeave(f))
    .addCommand(newCmdDelete(f))
    .addCommand(newCmdExport(f))
    .addCommand(newCmdImport(f));
}
