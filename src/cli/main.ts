import type { Command, OptionValues } from '@commander-js/extra-typings';
import { CommanderError } from 'commander';
import { EXIT, TktError, isTktError } from '../errors.js';
import { jsonText, printableLines } from '../output/render.js';
import { processIO, renderTarget, terminalOf, type IO } from './io.js';
import { buildProgram, type ProgramEnv } from './program.js';
import { jsonFieldsOf } from './define.js';
import { normalizeJsonArgv } from './globals.js';

export interface MainInit extends Partial<ProgramEnv> {
  argv: string[];
}

/** Runs one tkt invocation and returns its exit code. The only place errors become exit codes. */
export async function main(init: MainInit): Promise<number> {
  const io: IO = init.io ?? processIO();
  const env = init.env ?? process.env;
  const help = asksForHelp(init.argv) ? pagedHelp(io, env) : undefined;
  const program = buildProgram({ ...init, io: help?.io ?? io, env, cwd: init.cwd ?? process.cwd() }, init.argv);
  try {
    await program.parseAsync(normalizeJsonArgv(helpArgv(init.argv, program), program, jsonFieldsOf), { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    // Commander stores the global options it has read so far on the program, also when it fails.
    return report(err, io, env, program.opts().json !== undefined);
  } finally {
    await help?.flush();
  }
}

/** -h, --help or `tkt help …` (not after `--`, where they are operands). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = end >= 0 ? argv.slice(0, end) : argv;
  return words[0] === 'help' || words.includes('-h') || words.includes('--help');
}

/** `tkt help ticket list` is `tkt ticket list --help`; a word that is no command there is exit 2. */
function helpArgv(argv: readonly string[], program: Command<unknown[], OptionValues, OptionValues>): string[] {
  if (argv[0] !== 'help') return [...argv];
  const words = argv.slice(1);
  let command: Command<unknown[], OptionValues, OptionValues> = program;
  for (const word of words) {
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      const path = ['tkt', ...words.slice(0, words.indexOf(word))].join(' ');
      throw new TktError('usage', `${path} has no command ${JSON.stringify(word)}`, `${path} --help lists its commands`);
    }
    command = sub as Command<unknown[], OptionValues, OptionValues>;
  }
  return [...words, '--help'];
}

/**
 * Help is long: on a terminal with a pager, commander's text is kept and shown through the pager
 * (when it is longer than the screen) once commander is done.
 */
function pagedHelp(io: IO, env: NodeJS.ProcessEnv): { io: IO; flush(): Promise<void> } | undefined {
  const target = renderTarget(io, terminalOf(io, env, { color: false, input: false }), 0);
  if (!target.page) return undefined;
  let text = '';
  const { stdout } = io;
  return {
    io: { ...io, stdout: { write: (t: string) => (text += t), isTTY: stdout.isTTY, columns: stdout.columns, rows: stdout.rows } },
    flush: async () => {
      if (text) await target.page!(text);
    },
  };
}

function report(err: unknown, io: IO, env: NodeJS.ProcessEnv, json: boolean): number {
  // The reader of stdout went away (`tkt … | head`): nothing is wrong, and nobody is listening.
  if ((err as NodeJS.ErrnoException | null)?.code === 'EPIPE') return EXIT.ok;
  let error: TktError;
  if (err instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return EXIT.ok;
    error = new TktError('usage', err.message.replace(/^error:\s*/, ''), 'see tkt --help, or tkt <command> --help');
  } else if (isTktError(err)) {
    error = err;
  } else if ((err as { name?: string })?.name === 'ExitPromptError') {
    error = new TktError('usage', 'cancelled');
  } else {
    const message = err instanceof Error ? err.message : String(err);
    error = new TktError(
      'internal',
      `internal error: ${message}`,
      'this is a bug in tkt; please report it with the command you ran (TKT_DEBUG=1 shows the stack)',
    );
  }
  // Line by line: commander's "(Did you mean list?)" comes on a line of its own.
  const message = printableLines(error.message.trimEnd());
  const hint = error.hint ? printableLines(error.hint.trimEnd()) : undefined;
  if (json) {
    io.stderr.write(jsonText({ error: { code: error.code, message, ...(hint ? { hint } : {}) } }, 0) + '\n');
  } else {
    io.stderr.write(`tkt: ${message}\n${hint ? `  ${hint.replaceAll('\n', '\n  ')}\n` : ''}`);
  }
  if (env.TKT_DEBUG === '1' && err instanceof Error && err.stack) io.stderr.write(err.stack + '\n');
  return error.exitCode;
}
