import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdReset } from './reset.js';
import { newCmdShow } from './show.js';
import { newCmdStatus } from './status/index.js';
import { newCmdTransition } from './transition/index.js';

export function newCmdWorkflow(f: Factory) {
  return new Command('workflow')
    .description("the organization's own ticket statuses, their categories and transition rules")
    .addCommand(newCmdShow(f))
    .addCommand(newCmdStatus(f))
    .addCommand(newCmdTransition(f))
    .addCommand(newCmdReset(f));
}
