// argv → options, without a store or a terminal (gh's TestNewCmd*): a verb's builder is given the
// parse-only factory and a run function that keeps the options it receives.
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { Command } from '@commander-js/extra-typings';
import { parseOnlyFactory, type Factory, type Run } from '../../src/cli/define.js';
import { declareGlobalOptions } from '../../src/cli/globals.js';

type Builder<O> = (f: Factory, run: Run<O, never>) => CommandUnknownOpts;

/** The options the verb's run function receives for `argv` (the words after the verb's name). */
export async function parseArgv<O>(build: Builder<O>, argv: string[]): Promise<O> {
  let received: { opts: O } | undefined;
  const verb = build(parseOnlyFactory(), async (opts) => {
    received = { opts };
  });
  const root = declareGlobalOptions(new Command('tkt'))
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  root.addCommand(verb.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined }));
  await root.parseAsync([verb.name(), ...argv], { from: 'user' });
  if (!received) throw new Error(`${verb.name()} ${argv.join(' ')}: the run function was not called`);
  return received.opts;
}

/** The message commander or the options function refuses `argv` with. */
export async function parseArgvError<O>(build: Builder<O>, argv: string[]): Promise<string> {
  try {
    await parseArgv(build, argv);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}
