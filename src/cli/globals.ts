// The options every command takes, declared once: the program declares them from here, commands
// read them through globalOptions(), and firstCommandWord() reads argv the way commander will.
import { Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { usageError } from '../errors.js';

export interface GlobalOptions {
  db?: string;
  org?: string;
  json?: true | string[];
  quiet: boolean;
  /** false with --no-color; NO_COLOR and a non-terminal stdout are decided by the Terminal. */
  color: boolean;
  /** false with --no-input; a non-terminal stdin is decided by the Terminal. */
  input: boolean;
  yes: boolean;
}

export function declareGlobalOptions<C extends Command<[], OptionValues, OptionValues>>(program: C) {
  return program
    .option('--db <path>', 'the store file (env TKT_DB)')
    .option('--org <slug>', 'act in this organization for this command (env TKT_ORG)')
    .option('--json [fields]', 'JSON on stdout; optionally only these comma-separated fields')
    .option('-q, --quiet', 'print only identifiers, one per line')
    .addOption(new Option('--no-color', 'no colour (also: NO_COLOR, or stdout not a terminal)'))
    .addOption(new Option('--no-input', 'never prompt; a missing value is an error naming its flag'))
    .option('-y, --yes', 'confirm destructive actions without a prompt');
}

/** The global options as a command sees them (given before or after its name). */
export function globalOptions(command: Command<unknown[], OptionValues, OptionValues>): GlobalOptions {
  const all = command.optsWithGlobals() as Record<string, unknown>;
  const json = all.json;
  return {
    ...(typeof all.db === 'string' ? { db: all.db } : {}),
    ...(typeof all.org === 'string' ? { org: all.org } : {}),
    ...(json === true ? { json: true as const } : {}),
    ...(typeof json === 'string' ? { json: jsonFieldList(json) } : {}),
    quiet: Boolean(all.quiet),
    color: all.color !== false,
    input: all.input !== false,
    yes: Boolean(all.yes),
  };
}

function jsonFieldList(value: string): string[] {
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean);
  if (fields.length === 0) throw usageError('--json was given an empty field list', 'pass --json alone for every field, or --json=a,b');
  return fields;
}

/**
 * The first word of argv that is not a global option (or its value), read the way commander
 * reads the program's declared options; undefined when argv has none.
 */
export function firstCommandWord(argv: readonly string[], program: Command<unknown[], OptionValues, OptionValues>): string | undefined {
  const byFlag = new Map<string, { takesValue: 'required' | 'optional' | 'no' }>();
  for (const option of program.options) {
    const takesValue = option.required ? 'required' : option.optional ? 'optional' : 'no';
    for (const flag of [option.short, option.long]) if (flag) byFlag.set(flag, { takesValue });
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const option = byFlag.get(arg);
    if (option?.takesValue === 'required') i++;
    else if (option?.takesValue === 'optional') {
      if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
    } else if (!option && !(arg.startsWith('--') && byFlag.has(arg.slice(0, arg.indexOf('='))))) {
      return arg;
    }
  }
  return undefined;
}

type AnyCommand = Command<unknown[], OptionValues, OptionValues>;

function subcommand(command: AnyCommand, word: string): AnyCommand | undefined {
  return (command.commands as AnyCommand[]).find((c) => c.name() === word || c.aliases().includes(word));
}

/** Options of the command and its ancestors that take a value, by flag. */
function valueFlags(command: AnyCommand): Set<string> {
  const flags = new Set<string>();
  for (let c: AnyCommand | null = command; c; c = c.parent as AnyCommand | null) {
    for (const o of c.options) if (o.required) for (const f of [o.short, o.long]) if (f) flags.add(f);
  }
  return flags;
}

/**
 * `--json` takes the next word only when it names fields of the command that runs (names, one of
 * them a field when the command declares its fields), or when that command takes no arguments,
 * and never when it is a subcommand: `tkt ticket view --json 1`, `tkt org switch --json acme-corp` and `tkt --json org
 * list` keep the word as an argument or a command. Returns argv with `--json=fields`, or a bare
 * `--json` moved after the words, so commander cannot take the word. A second --json is an error.
 */
export function normalizeJsonArgv(argv: readonly string[], program: AnyCommand, fieldsOf: (command: AnyCommand) => readonly string[] | undefined): string[] {
  const end = argv.indexOf('--');
  const words = end >= 0 ? argv.slice(0, end) : [...argv];
  const rest = end >= 0 ? argv.slice(end) : [];
  const given = words.filter((w) => w === '--json' || w.startsWith('--json='));
  if (given.length > 1) throw usageError('--json was given more than once', 'pass it once, with every field: --json key,title');
  const at = words.indexOf('--json');
  if (at < 0) return [...argv];
  // The command that runs, read with --json taking no value.
  let leaf = program;
  let after: AnyCommand | undefined; // the command whose words follow --json
  for (let i = 0; i < words.length; i++) {
    if (i === at) {
      after = leaf;
      continue;
    }
    const word = words[i]!;
    if (valueFlags(leaf).has(word)) i++;
    else if (!word.startsWith('-')) leaf = subcommand(leaf, word) ?? leaf;
  }
  const next = words[at + 1];
  const fields = fieldsOf(leaf);
  const parts = (next ?? '').split(',').map((f) => f.trim());
  const isFieldList =
    next !== undefined &&
    !next.startsWith('-') &&
    !subcommand(after ?? program, next) &&
    // A command that takes no arguments has no other use for the word, and a list of names one of
    // which is a field is a field list: a typo in a field is then reported as one.
    (leaf.registeredArguments.length === 0 ||
      (parts.every((f) => /^[a-zA-Z]+$/.test(f)) && (fields === undefined || parts.some((f) => fields.includes(f)))));
  if (isFieldList) return [...words.slice(0, at), `--json=${next}`, ...words.slice(at + 2), ...rest];
  return [...words.slice(0, at), ...words.slice(at + 1), '--json', ...rest];
}
