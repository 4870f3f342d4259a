import { Command } from '@commander-js/extra-typings';
import type { Factory } from '../../cli/define.js';
import { newCmdComplete } from './complete.js';
import { newCmdScript } from './script.js';

export function newCmdCompletion(f: Factory) {
  return new Command('completion')
    .description('shell completion: tkt completion bash|zsh|fish prints the script to install')
    .addCommand(newCmdScript(f, 'bash'))
    .addCommand(newCmdScript(f, 'zsh'))
    .addCommand(newCmdScript(f, 'fish'))
    .addCommand(newCmdComplete(f), { hidden: true });
}
