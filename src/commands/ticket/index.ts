import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdAssign } from './assign.js';
import { newCmdClose } from './close.js';
import { newCmdComment } from './comment.js';
import { newCmdCreate } from './create.js';
import { newCmdDelete } from './delete.js';
import { newCmdEdit } from './edit.js';
import { newCmdExport } from './export.js';
import { newCmdImport } from './import.js';
import { newCmdList } from './list.js';
import { newCmdMove } from './move.js';
import { newCmdReopen } from './reopen.js';
import { newCmdUnassign } from './unassign.js';
import { newCmdView } from './view.js';

export function newCmdTicket(f: Factory) {
  return new Command('ticket')
    .description('tickets of the active organization')
    .addCommand(newCmdCreate(f))
    .addCommand(newCmdList(f))
    .addCommand(newCmdView(f))
    .addCommand(newCmdEdit(f))
    .addCommand(newCmdAssign(f))
    .addCommand(newCmdUnassign(f))
    .addCommand(newCmdMove(f))
    .addCommand(newCmdClose(f))
    .addCommand(newCmdReopen(f))
    .addCommand(newCmdComment(f))
    .addCommand(newCmdDelete(f))
    .addCommand(newCmdImport(f))
    .addCommand(newCmdExport(f));
}
