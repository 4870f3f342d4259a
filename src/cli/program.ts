import { Command, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { registerAccess } from '../commands/access.js';
import { registerAudit } from '../commands/audit.js';
import { registerAuth } from '../commands/auth.js';
import { registerDb } from '../commands/db.js';
import { registerDemo } from '../commands/demo.js';
import { registerInvite } from '../commands/invite.js';
import { registerMember } from '../commands/member.js';
import { registerOrg } from '../commands/org.js';
import { registerTicket } from '../commands/ticket.js';
import { registerRole } from '../commands/role.js';
import { createDefiner, type Definer } from './define.js';
import { Runtime, type RuntimeInit } from './runtime.js';

export const VERSION: string = pkg.version;

export type ProgramEnv = Omit<RuntimeInit, 'globals'>;

/** The top-level commands, in the order help lists them. */
const GROUPS: ReadonlyArray<readonly [string, (program: Command, define: Definer) => void]> = [
  ['auth', registerAuth],
  ['org', registerOrg],
  ['ticket', registerTicket],
  ['member', registerMember],
  ['role', registerRole],
  ['access', registerAccess],
  ['invite', registerInvite],
  ['audit', registerAudit],
  ['db', registerDb],
  ['demo', registerDemo],
];

/** Global options that take a value (`--json` takes one only when the next word is not an option). */
const GLOBAL_VALUE = new Set(['--db', '--org']);
const GLOBAL_FLAGS = new Set(['-q', '--quiet', '--no-color', '--no-input', '-y', '--yes']);

/**
 * The top-level command an argv runs, read the way commander reads it; undefined when in doubt
 * (help, an unknown word or option), and then the whole tree is built.
 */
export function groupOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_VALUE.has(arg)) i++;
    else if (arg === '--json') {
      if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
    } else if (!(GLOBAL_FLAGS.has(arg) || /^--(db|org|json)=/.test(arg))) {
      return GROUPS.some(([name]) => name === arg) ? arg : undefined;
    }
  }
  return undefined;
}

/**
 * The command tree. Building it is cheap: no command module opens the store until it runs; with
 * `argv`, only the top-level command it runs is built (all of them when in doubt), which is what
 * commander would reach anyway.
 */
export function buildProgram(penv: ProgramEnv, argv?: readonly string[]): Command {
  const program = new Command('tkt');
  program
    .description('Multi-organization tickets and admin, from the terminal.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--db <path>', 'the store file (env TKT_DB)')
    .option('--org <slug>', 'act in this organization for this command (env TKT_ORG)')
    .option('--json [fields]', 'JSON on stdout; optionally only these comma-separated fields')
    .option('-q, --quiet', 'print only identifiers, one per line')
    .addOption(new Option('--no-color', 'no colour (also: NO_COLOR, or stdout not a terminal)'))
    .addOption(new Option('--no-input', 'never prompt; a missing value is an error naming its flag'))
    .option('-y, --yes', 'confirm destructive actions without a prompt')
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

  const define = createDefiner(
    (globals) =>
      new Runtime({
        ...penv,
        globals: { ...globals, color: globals.color && !('NO_COLOR' in penv.env) },
      }),
  );
  const only = argv && groupOf(argv);
  for (const [name, register] of GROUPS) if (!only || name === only) register(program, define);
  return program;
}
