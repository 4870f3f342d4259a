import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdAccept } from './accept.js';
import { newCmdCreate } from './create.js';
import { newCmdList } from './list.js';
import { newCmdRevoke } from './revoke.js';

export function newCmdInvite(f: Factory) {
  return new Command('invite')
    .description('invite people into the organization, and join one')
    .addCommand(newCmdCreate(f))
    .addCommand(newCmdList(f))
    .addCommand(newCmdRevoke(f))
    .addCommand(newCmdAccept(f));
}
