import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { MAX_INPUT_BYTES, readLargeTextFile } from '../../cli/input.js';
import { importTickets, transferFormat } from '../../domain/tickets/transfer.js';
import { list, type CommandResult } from '../../output/types.js';

const IMPORT_FIELDS = ['key', 'title'] as const;

export interface ImportOptions {
  file: string;
  format?: string;
}

export function newCmdImport(f: Factory, run: Run<ImportOptions, OrgDeps> = importRun) {
  return f.orgCommand(
    new Command('import')
      .description('create tickets from what ticket export writes; all or nothing')
      .argument('<file>', 'a .json or .csv file, or - for stdin')
      .option('--format <format>', 'json or csv (default: from the file extension, else json)'),
    { requirement: 'ticket:create', fields: IMPORT_FIELDS, options: (file, flags) => ({ file, ...flags }), run },
  );
}

export async function importRun(opts: ImportOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const format = transferFormat(opts.format, opts.file === '-' ? undefined : opts.file);
  const input = await readLargeTextFile(rt, opts.file, 'the import', MAX_INPUT_BYTES.import);
  const created = await importTickets(tenant, input, format);
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
    message: `Imported ${created.length} ticket${created.length === 1 ? '' : 's'} into ${tenant.ctx.org.slug}${range}.`,
  });
}
