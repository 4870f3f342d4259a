import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../../cli/define.js';
import { newCmdList } from './list.js';
import { newCmdRevoke } from './revoke.js';

export function newCmdSession(f: Factory) {
  return new Command('session')
    .description('your login sessions on this store: see them, end the ones you do not trust')
    .addCommand(newCmdList(f))
    .addCommand(newCmdRevoke(f));
}
