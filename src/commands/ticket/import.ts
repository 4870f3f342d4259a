import { Command } from '@commander-js/extra-typings';
import type { Factory, InputSource, OrgDeps, Run } from '../../cli/define.js';
import { MAX_INPUT_BYTES, readLargeTextFile, type TextInput } from '../../cli/input.js';
import { importTickets, parseStatusMap, transferFormat, type TransferFormat } from '../../domain/tickets/transfer.js';
import { noProgress, progressLine } from '../../output/progress.js';
import { list, type CommandResult } from '../../output/types.js';

const IMPORT_FIELDS = ['key', 'title'] as const;

export interface ImportOptions {
  file: string;
  format?: string;
  /** old=new,… : statuses of the file → statuses of this org. */
  statusMap?: string;
}

/** What the import reads before the guard: stdin whole; a file chunk by chunk when parsed (it is never held whole). */
export interface ImportInput {
  format: TransferFormat;
  text: TextInput;
}

async function importInput(opts: ImportOptions, source: InputSource): Promise<ImportInput> {
  const format = transferFormat(opts.format, opts.file === '-' ? undefined : opts.file);
  return { format, text: await readLargeTextFile(source, opts.file, 'the import', MAX_INPUT_BYTES.import) };
}

export function newCmdImport(f: Factory, run: Run<ImportOptions, OrgDeps, ImportInput> = importRun) {
  return f.orgCommand(
    new Command('import')
      .description('create tickets from what ticket export writes; all or nothing')
      .argument('<file>', 'a .json or .csv file, or - for stdin')
      .option('--format <format>', 'json or csv (default: from the file extension, else json)')
      .option('--status-map <old=new>', "statuses of the file that this org's workflow lacks → its own (wontfix=canceled,fixed=done)"),
    { requirement: 'ticket:create', fields: IMPORT_FIELDS, options: (file, flags) => ({ file, ...flags }), input: importInput, run },
  );
}

export async function importRun(opts: ImportOptions, { rt, tenant }: OrgDeps, input: ImportInput): Promise<CommandResult> {
  // On a terminal, a line on stderr when the import runs over a second.
  const line = rt.terminal.stderrIsTTY ? progressLine((t) => rt.io.stderr.write(t), () => rt.clock.now()) : noProgress;
  let created;
  try {
    const statusMap = opts.statusMap !== undefined ? parseStatusMap(opts.statusMap, await tenant.store.workflow.current(), tenant.ctx.org.slug) : undefined;
    created = await importTickets(
      tenant,
      input.text,
      input.format,
      (phase, done, total) => line.update(phase === 'read' ? 'Reading records:' : 'Importing tickets:', done, total),
      statusMap,
    );
  } finally {
    line.end();
  }
  const first = created[0];
  const last = created.at(-1);
  const range = first && last ? ` (${first.key} … ${last.key})` : '';
  return list({
    items: created,
    fields: IMPORT_FIELDS,
    columns: [
      { header: 'KEY', value: (t) => t.key, tone: () => 'strong' },
      { header: 'TITLE', value: (t) => t.title },
    ],
    id: (t) => t.key,
    empty: 'The import held no tickets.',
    // On a terminal, the summary line, not thousands of rows; piped, a KEY<tab>TITLE line each.
    summary: true,
    message: `Imported ${created.length} ticket${created.length === 1 ? '' : 's'} into ${tenant.ctx.org.slug}${range}.`,
  });
}
