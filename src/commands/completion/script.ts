import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { text, type CommandResult } from '../../output/types.js';
import { SCRIPTS, type Shell } from './scripts.js';

export interface ScriptOptions {
  shell: Shell;
}

export function newCmdScript(f: Factory, shell: Shell, run: Run<ScriptOptions, Deps> = scriptRun) {
  return f.publicCommand(new Command(shell).description(`print the ${shell} completion script (see README "Shell completion")`), {
    options: () => ({ shell }),
    run,
  });
}

export async function scriptRun(opts: ScriptOptions): Promise<CommandResult> {
  return text({ text: SCRIPTS[opts.shell], verbatim: true, id: opts.shell });
}
