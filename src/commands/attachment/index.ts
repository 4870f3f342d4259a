import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdAdd } from './add.js';
import { newCmdDelete } from './delete.js';
import { newCmdGet } from './get.js';
import { newCmdList } from './list.js';

export function newCmdAttachment(f: Factory) {
  return new Command('attachment')
    .description('files on tickets, kept in the store (25 MiB each, 1 GiB per organization by default)')
    .addCommand(newCmdAdd(f))
    .addCommand(newCmdList(f))
    .addCommand(newCmdGet(f))
    .addCommand(newCmdDelete(f));
}
