import { Command, type OptionValues } from '@commander-js/extra-typings';
import pkg from '../../package.json' with { type: 'json' };
import { newCmdAccess } from '../commands/access/index.js';
import { newCmdAttachment } from '../commands/attachment/index.js';
import { newCmdAudit } from '../commands/audit/index.js';
import { newCmdAuth } from '../commands/auth/index.js';
import { newCmdDb } from '../commands/db/index.js';
import { newCmdDemo } from '../commands/demo/index.js';
import { newCmdCompletion } from '../commands/completion/index.js';
import { newCmdInvite } from '../commands/invite/index.js';
import { newCmdMember } from '../commands/member/index.js';
import { newCmdOrg } from '../commands/org/index.js';
import { newCmdRole } from '../commands/role/index.js';
import { newCmdTicket } from '../commands/ticket/index.js';
import { newCmdWorkflow } from '../commands/workflow/index.js';
import { createFactory, type Factory } from './define.js';
import { examplesText } from './examples.js';
import { declareGlobalOptions, firstCommandWord, globalOptions } from './globals.js';
import { Runtime, type RuntimeInit } from './runtime.js';

export const VERSION: string = pkg.version;

export type ProgramEnv = Omit<RuntimeInit, 'globals'>;

type AnyCommand = Command<unknown[], OptionValues, OptionValues>;

/** The top-level commands, in the order help lists them. */
const NOUNS: ReadonlyArray<readonly [string, (f: Factory) => AnyCommand]> = [
  ['auth', newCmdAuth],
  ['org', newCmdOrg],
  ['ticket', newCmdTicket],
  ['attachment', newCmdAttachment],
  ['workflow', newCmdWorkflow],
  ['member', newCmdMember],
  ['role', newCmdRole],
  ['access', newCmdAccess],
  ['invite', newCmdInvite],
  ['audit', newCmdAudit],
  ['db', newCmdDb],
  ['demo', newCmdDemo],
  ['completion', newCmdCompletion],
];

/**
 * The command tree. Building it is cheap: no command module opens the store until it runs; with
 * `argv`, only the top-level command it runs is built (all of them when in doubt: help, an unknown
 * word), which is what commander would reach anyway.
 */
export function buildProgram(penv: ProgramEnv, argv?: readonly string[]): AnyCommand {
  const program = rootCommand()
    .addHelpText(
      'after',
      `
Environment:
  TKT_DB, TKT_ORG      like --db and --org
  TKT_TOKEN            authenticate with an API token (CI); the config is then not read
  TKT_CONFIG_DIR       where config.json lives
  NO_COLOR, TKT_DEBUG  no colour; print stack traces of errors
  FORCE_COLOR, CLICOLOR_FORCE  colour even into a pipe; TKT_FORCE_TTY  render as on a terminal
  TKT_PAGER, PAGER     the pager for long output (default less -FRX); COLUMNS  the width
  VISUAL, EDITOR       the editor of -e (default vi)

Exit codes: 0 ok, 1 internal, 2 usage, 3 unauthenticated, 4 forbidden, 5 not found,
6 conflict, 7 store. Start with: tkt auth signup, tkt org create, tkt ticket create.`,
    )
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => penv.io.stdout.write(s),
      writeErr: (s) => penv.io.stderr.write(s),
      outputError: () => undefined, // main() prints errors, as text or JSON
    });

  const f = createFactory((command) => new Runtime({ ...penv, globals: globalOptions(command) }));
  const only = argv && nounOf(argv, program);
  for (const [name, build] of NOUNS) if (!only || name === only) program.addCommand(inheritSettings(build(f), program));
  return program;
}

function rootCommand(): AnyCommand {
  return declareGlobalOptions(
    new Command('tkt')
      .description('Multi-organization tickets and admin, from the terminal.')
      .version(VERSION, '-v, --version', 'print the version')
      .helpOption('-h, --help', 'show help'),
  );
}

function nounOf(argv: readonly string[], program: AnyCommand): string | undefined {
  const word = firstCommandWord(argv, program);
  return NOUNS.some(([name]) => name === word) ? word : undefined;
}

/** The top-level command an argv runs, read the way commander reads it; undefined when in doubt. */
export function groupOf(argv: readonly string[]): string | undefined {
  return nounOf(argv, rootCommand());
}

/**
 * addCommand() does not copy exitOverride, output, suggestions and help settings the way command()
 * does. Each leaf also gets its examples.
 */
function inheritSettings(command: AnyCommand, parent: AnyCommand, path = command.name()): AnyCommand {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub as AnyCommand, command, `${path} ${sub.name()}`);
  const examples = command.commands.length === 0 ? examplesText(path) : undefined;
  if (examples) command.addHelpText('after', examples);
  return command;
}
