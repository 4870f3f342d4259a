import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdList } from './list.js';
import { newCmdRemove } from './remove.js';
import { newCmdSetRole } from './set-role.js';

export function newCmdMember(f: Factory) {
  return new Command('member')
    .description('members of the active organization and their roles')
    .addCommand(newCmdList(f))
    .addCommand(newCmdSetRole(f))
    .addCommand(newCmdRemove(f));
}
