import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdCheck } from './check.js';

export function newCmdAccess(f: Factory) {
  return new Command('access').description('who may do what in the active organization').addCommand(newCmdCheck(f));
}
