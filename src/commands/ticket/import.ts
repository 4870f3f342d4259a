import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { MAX_INPUT_BYTES, readLargeTextFile, readTextFile, type TextInput } from '../../cli/input.js';
import { parsePeople } from '../../domain/tickets/github.js';
import {
  importTickets,
  ON_DUPLICATE,
  transferFormat,
  UNKNOWN_PEOPLE,
  type ImportOptions as ImportSettings,
  type ImportSource,
} from '../../domain/tickets/transfer.js';
import { oneOf } from '../../domain/validate.js';
import { usageError } from '../../errors.js';
import { noProgress, progressLine } from '../../output/progress.js';
import { list, type CommandResult } from '../../output/types.js';

const IMPORT_FIELDS = ['key', 'title'] as const;

export interface ImportOptions {
  file: string;
  format?: string;
  from?: string;
  people?: string;
  unknownPeople?: string;
  onDuplicate?: string;
  dryRun?: boolean;
  /** old=new,… : statuses of the file → statuses of this org. */
  statusMap?: string;
}

/** What the import reads before the guard: stdin whole; a file chunk by chunk when parsed (it is never held whole). */
export interface ImportInput {
  settings: ImportSettings;
  text: TextInput;
}

async function importInput(opts: ImportOptions, source: InputSource): Promise<ImportInput> {
  const format = transferFormat(opts.format, opts.file === '-' ? undefined : opts.file);
  const from = oneOf<ImportSource>(opts.from ?? 'tkt', ['tkt', 'github'], '--from');
  if (from === 'github' && format !== 'json') throw usageError('--from github reads JSON (what gh issue list --json writes)');
  if (opts.people !== undefined && from !== 'github') throw usageError('--people maps GitHub logins: it goes with --from github');
  if (opts.people === '-' && opts.file === '-') throw usageError('the import and --people cannot both be stdin');
  const people = opts.people !== undefined ? await parsePeople(await readTextFile(source, opts.people, '--people', MAX_INPUT_BYTES.body)) : new Map();
  const settings: ImportSettings = {
    ...(opts.statusMap !== undefined ? { statusMap: opts.statusMap } : {}),
    format,
    from,
    people,
    unknownPeople: oneOf(opts.unknownPeople ?? 'fail', UNKNOWN_PEOPLE, '--unknown-people'),
    onDuplicate: oneOf(opts.onDuplicate ?? 'fail', ON_DUPLICATE, '--on-duplicate'),
    dryRun: opts.dryRun === true,
  };
  return { settings, text: await readLargeTextFile(source, opts.file, 'the import', MAX_INPUT_BYTES.import) };
}

export function newCmdImport(f: Factory, run: Run<ImportOptions, OrgDeps, ImportInput> = importRun) {
  return f.orgCommand(
    new Command('import')
      .description('create tickets from what ticket export (or gh issue list --json) writes; all or nothing')
      .argument('<file>', 'a .json (array, one object a line, or one object) or .csv file, or - for stdin')
      .option('--format <format>', 'json or csv (default: from the file extension, else json)')
      .option('--from <source>', 'tkt (default) or github: the JSON of gh issue list --json number,title,body,state,…,comments')
      .option('--people <file>', 'with --from github: a CSV of login,email lines mapping GitHub logins to members')
      .option('--unknown-people <how>', 'assignees and comment authors who are not members: fail (default), unassign or me')
      .option('--on-duplicate <how>', 'a record whose origin (github#12) is already a ticket of the org: fail (default), skip, or update it')
      .option('--status-map <old=new>', "statuses of the file that this org's workflow lacks → its own (wontfix=canceled,fixed=done)")
      .option('--dry-run', 'check everything and say what would be imported; write nothing'),
    { requirement: 'ticket:create', fields: IMPORT_FIELDS, options: (file, flags) => ({ file, ...flags }), input: importInput, run },
  );
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

export async function importRun(opts: ImportOptions, { rt, tenant }: OrgDeps, input: ImportInput): Promise<CommandResult> {
  // On a terminal, a line on stderr when the import runs over a second.
  const line = rt.terminal.stderrIsTTY ? progressLine((t) => rt.io.stderr.write(t), () => rt.clock.now()) : noProgress;
  let report;
  try {
    report = await importTickets(tenant, input.text, input.settings, (phase, done, total) =>
      line.update(phase === 'read' ? 'Reading records:' : 'Importing tickets:', done, total),
    );
  } finally {
    line.end();
  }
  const { created } = report;
  const first = created[0];
  const last = created.at(-1);
  const range = first && last && !report.dryRun ? ` (${first.key} … ${last.key})` : '';
  const { slug } = tenant.ctx.org;
  const what = `${plural(created.length, 'ticket')}${report.comments > 0 ? ` with ${plural(report.comments, 'comment')}` : ''}`;
  const notes = [
    report.skipped > 0 ? `${plural(report.skipped, 'duplicate')} skipped` : '',
    report.updated.length > 0 ? `${plural(report.updated.length, 'ticket')} ${report.dryRun ? 'would be ' : ''}updated` : '',
    report.titlesChanged > 0 ? `${plural(report.titlesChanged, 'title')} had control characters replaced by spaces` : '',
  ].filter(Boolean);
  const message = report.dryRun
    ? `Dry run: would import ${what} into ${slug}; nothing was written.`
    : `Imported ${what} into ${slug}${range}.`;
  return list({
    // The tickets created, then those written over (--on-duplicate update).
    items: [...created, ...report.updated],
    fields: IMPORT_FIELDS,
    columns: [
      { header: 'KEY', value: (t) => t.key || '-', tone: () => 'strong' },
      { header: 'TITLE', value: (t) => t.title },
    ],
    id: (t) => t.key,
    empty: report.dryRun ? 'The import would create no tickets.' : 'The import held no tickets.',
    // On a terminal, the summary line, not thousands of rows; piped, a KEY<tab>TITLE line each.
    summary: true,
    message: notes.length > 0 ? `${message} ${notes.join('; ')}.` : message,
  });
}
