// What to offer for the word being typed, read from the command tree itself: subcommands, flags,
// fixed values (statuses, priorities, permissions, formats) and which store data to ask for. Pure:
// the store part is done by the __complete command, so this is tested without one.
import { Help, type Command, type Option } from '@commander-js/extra-typings';
import { PERMISSION_CODES, WILDCARDS } from '../../domain/permissions.js';
import { TICKET_PRIORITIES } from '../../store/ports/tickets.js';
import { STATUS_CATEGORIES } from '../../store/ports/workflow.js';

/** Store data a value may come from; each is read through the tenant guard like the command that shows it. */
export type Source = 'orgs' | 'keys' | 'emails' | 'roles' | 'statuses';

export interface Wanted {
  /** Fixed candidates. */
  words: string[];
  /** Store data to add after them. */
  source?: Source;
  /** The word typed so far (after `head`); candidates are those that start with it. */
  prefix: string;
  /** Kept in front of every candidate: the part of a comma-separated list already typed. */
  head: string;
  /** --db and --org typed on the command line, which the store look-up must honour. */
  db?: string;
  org?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = Command<any, any, any>;

const FORMATS = ['json', 'csv'];
const SHELLS = ['bash', 'zsh', 'fish'];
const SORTS = ['number', 'created', 'updated', 'priority'];

/** Values of an option, by its long name. */
function optionValues(long: string): Pick<Wanted, 'words' | 'source'> & { list?: true } {
  switch (long) {
    case '--status':
      // The org's own status codes (from the store), the categories, all.
      return { words: [...STATUS_CATEGORIES, 'all'], source: 'statuses' };
    case '--move-to':
    case '--after':
      return { words: [], source: 'statuses' };
    case '--priority':
      return { words: [...TICKET_PRIORITIES] };
    case '--format':
      return { words: FORMATS };
    case '--sort':
      return { words: SORTS };
    case '--permissions':
      return { words: [...PERMISSION_CODES, ...WILDCARDS.map((w) => w.code)], list: true };
    case '--org':
      return { words: [], source: 'orgs' };
    case '--role':
    case '--reassign':
      return { words: [], source: 'roles' };
    case '--assignee':
      return { words: ['@me', 'none'], source: 'emails' };
    case '--user':
    case '--actor':
    case '--email':
      return { words: [], source: 'emails' };
    default:
      return { words: [] };
  }
}

/** Values of a positional argument, by its name (and the verb: `role create <code>` is a new code). */
function argumentValues(name: string, verb: string, position: number): Pick<Wanted, 'words' | 'source'> {
  switch (name) {
    // `move <key>… <status>` and `assign <key>… <who>`: a key first, then what it most likely is.
    case 'words':
      if (position === 0) return { words: [], source: 'keys' };
      return argumentValues(verb === 'move' ? 'status' : 'who', verb, position);
    case 'key':
    case 'keys':
      return { words: [], source: 'keys' };
    case 'email':
    case 'who':
      return { words: verb === 'assign' ? ['@me'] : [], source: 'emails' };
    case 'role':
    case 'code':
      return verb === 'create' ? { words: [] } : { words: [], source: 'roles' };
    case 'slug':
      return { words: [], source: 'orgs' };
    case 'status':
    case 'from':
    case 'to':
      return { words: [], source: 'statuses' };
    case 'permission':
      return { words: [...PERMISSION_CODES] };
    case 'shell':
      return { words: SHELLS };
    default:
      return { words: [] };
  }
}

function findOption(chain: AnyCommand[], flag: string): Option | undefined {
  for (const cmd of [...chain].reverse()) {
    const found = (cmd.options as readonly Option[]).find((o) => o.long === flag || o.short === flag);
    if (found) return found;
  }
  return undefined;
}

const help = new Help();

/**
 * `words`: what follows `tkt` on the command line up to the cursor, the last one being the word
 * being typed ('' at a fresh position).
 */
export function wanted(root: AnyCommand, words: readonly string[]): Wanted {
  const typed = words.length > 0 ? words[words.length - 1]! : '';
  const before = words.slice(0, -1);
  const chain: AnyCommand[] = [root];
  let positionals = 0;
  let afterDashes = false;
  const given: { db?: string; org?: string } = {};
  let pending: Option | undefined;
  for (const word of before) {
    const cmd = chain[chain.length - 1]!;
    if (pending) {
      if (word === '=') continue; // bash splits --org=acme into three words
      remember(given, pending, word);
      pending = undefined;
      continue;
    }
    if (!afterDashes && word === '--') {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && word.startsWith('-') && word !== '-') {
      const [flag, value] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
      const option = findOption(chain, flag);
      if (option && value !== undefined) remember(given, option, value);
      else if (option?.required) pending = option;
      continue;
    }
    const sub = positionals === 0 ? (cmd.commands as AnyCommand[]).find((c) => c.name() === word || c.aliases().includes(word)) : undefined;
    if (sub) chain.push(sub);
    else positionals++;
  }
  const cmd = chain[chain.length - 1]!;
  const base = { prefix: typed, head: '', ...given };

  if (pending?.long) {
    const values = optionValues(pending.long);
    if (values.list) {
      const cut = typed.lastIndexOf(',') + 1;
      const done = new Set(typed.slice(0, cut).split(','));
      return { ...base, words: values.words.filter((w) => !done.has(w)), head: typed.slice(0, cut), prefix: typed.slice(cut) };
    }
    return { ...base, ...values };
  }
  if (pending) return { ...base, words: [] };
  if (!afterDashes && typed.startsWith('-')) {
    const flags = chain
      .slice()
      .reverse()
      .flatMap((c) => help.visibleOptions(c as never).flatMap((o) => [o.long].filter((f): f is string => Boolean(f))));
    return { ...base, words: [...new Set(flags)] };
  }
  const subs = help.visibleCommands(cmd as never).map((c) => c.name());
  if (subs.length > 0 && positionals === 0) return { ...base, words: subs.filter((s) => s !== 'help') };
  const args = cmd.registeredArguments;
  const arg = args[Math.min(positionals, args.length - 1)];
  if (!arg || (positionals >= args.length && !arg.variadic)) return { ...base, words: [] };
  return { ...base, ...argumentValues(arg.name(), cmd.name(), positionals) };
}

function remember(given: { db?: string; org?: string }, option: Option, value: string): void {
  if (option.long === '--db') given.db = value;
  if (option.long === '--org') given.org = value;
}

/** The candidates that fit what is typed, in order, each once. */
export function candidates(want: Wanted, fromStore: readonly string[]): string[] {
  const all = [...want.words, ...fromStore].filter((w) => w.startsWith(want.prefix));
  return [...new Set(all)].map((w) => want.head + w);
}
