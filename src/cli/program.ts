import { Command, type OptionValues } from '@commander-js/extra-typings';
import pkg from '../../package.json' with { type: 'json' };
import { registerAccess } from '../commands/access.js';
import { registerAudit } from '../commands/audit.js';
import { registerAuth } from '../commands/auth.js';
import { registerDb } from '../commands/db.js';
import { registerDemo } from '../commands/demo.js';
import { registerInvite } from '../commands/invite.js';
import { newCmdCompletion } from '../commands/completion/index.js';
import { newCmdMember } from '../commands/member/index.js';
import { registerOrg } from '../commands/org.js';
import { registerRole } from '../commands/role.js';
import { registerTicket } from '../commands/ticket.js';
import { createFactory, type Factory } from './define.js';
import { createDefiner, type Definer } from './legacy-define.js';
import { declareGlobalOptions, firstCommandWord, globalOptions } from './globals.js';
import { Runtime, type RuntimeInit } from './runtime.js';

export const VERSION: string = pkg.version;

export type ProgramEnv = Omit<RuntimeInit, 'globals'>;

type AnyCommand = Command<unknown[], OptionValues, OptionValues>;

// TEMPORARY: nouns not yet split into src/commands/<noun>/<verb>.ts register themselves the old way.
let legacyDefiner: Definer | undefined;
const LEGACY = new WeakMap<object, (program: never, define: Definer) => unknown>();
function legacy(register: (program: never, define: Definer) => unknown): (f: Factory) => AnyCommand {
  const build = (): AnyCommand => {
    throw new Error('legacy noun');
  };
  LEGACY.set(build, register);
  return build;
}

/** The top-level commands, in the order help lists them. */
const NOUNS: ReadonlyArray<readonly [string, (f: Factory) => AnyCommand]> = [
  ['auth', legacy(registerAuth)],
  ['org', legacy(registerOrg)],
  ['ticket', legacy(registerTicket)],
  ['member', newCmdMember],
  ['role', legacy(registerRole)],
  ['access', legacy(registerAccess)],
  ['invite', legacy(registerInvite)],
  ['audit', legacy(registerAudit)],
  ['db', legacy(registerDb)],
  ['demo', legacy(registerDemo)],
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

Exit codes: 0 ok, 1 internal, 2 usage, 3 unauthenticated, 4 forbidden, 5 not found,
6 conflict, 7 store. Start with: tkt auth signup, tkt org create, tkt ticket create.`,
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => penv.io.stdout.write(s),
      writeErr: (s) => penv.io.stderr.write(s),
      outputError: () => undefined, // main() prints errors, as text or JSON
    });

  const f = createFactory((command) => new Runtime({ ...penv, globals: globalOptions(command) }));
  const only = argv && nounOf(argv, program);
  legacyDefiner = createDefiner((command) => new Runtime({ ...penv, globals: globalOptions(command) }));
  for (const [name, build] of NOUNS) {
    if (only && name !== only) continue;
    const register = LEGACY.get(build);
    if (register) register(program as never, legacyDefiner);
    else program.addCommand(inheritSettings(build(f), program));
  }
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

/** addCommand() does not copy exitOverride, output and suggestions the way command() does. */
function inheritSettings(command: AnyCommand, parent: AnyCommand): AnyCommand {
  command.copyInheritedSettings(parent);
  for (const sub of command.commands) inheritSettings(sub as AnyCommand, command);
  return command;
}
