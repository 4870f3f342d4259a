import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../../cli/define.js';
import { newCmdAllow } from './allow.js';
import { newCmdDeny } from './deny.js';

export function newCmdTransition(f: Factory) {
  return new Command('transition')
    .description('rules for moves between statuses: once a status has an allowed move, only its allowed moves work')
    .addCommand(newCmdAllow(f))
    .addCommand(newCmdDeny(f));
}
