import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../../cli/define.js';
import { newCmdCreate } from './create.js';
import { newCmdList } from './list.js';
import { newCmdRevoke } from './revoke.js';

export function newCmdToken(f: Factory) {
  return new Command('token')
    .description('API tokens for scripts and CI (use as TKT_TOKEN)')
    .addCommand(newCmdCreate(f))
    .addCommand(newCmdList(f))
    .addCommand(newCmdRevoke(f));
}
