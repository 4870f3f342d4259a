import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import * as parse from '../../cli/parse.js';
import { toCsv } from '../../domain/tickets/csv.js';
import { TICKET_FIELDS } from '../../domain/tickets/index.js';
import { exportTickets, transferFormat } from '../../domain/tickets/transfer.js';
import { usageError } from '../../errors.js';
import { text, type CommandResult } from '../../output/types.js';
import { filtersOf, ticketList, withFilterFlags, type FilterOptions } from './shared.js';

/** The JSON of an export: each ticket's fields and its comments (author, body, time). */
const EXPORT_FIELDS = [...TICKET_FIELDS, 'comments'] as const;

export interface ExportOptions extends FilterOptions {
  format?: string;
  limit?: string;
}

export function newCmdExport(f: Factory, run: Run<ExportOptions, OrgDeps> = exportRun) {
  return f.orgCommand(
    withFilterFlags(
      new Command('export')
        .description('every matching ticket, oldest first, as JSON or CSV on stdout (what ticket import reads)')
        .option('--format <format>', 'json (default) or csv'),
    ).option('--limit <n>', 'at most this many (default: all)'),
    { requirement: 'ticket:read', fields: EXPORT_FIELDS, options: (flags) => flags, run },
  );
}

export async function exportRun(opts: ExportOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const format = transferFormat(opts.format ?? 'json');
  const limit = opts.limit !== undefined ? parse.nonNegativeInt(opts.limit, '--limit') : 0;
  const items = await exportTickets(tenant, filtersOf(opts, rt.clock.now()), limit);
  const exported = `Exported ${items.length} ticket${items.length === 1 ? '' : 's'} from ${tenant.ctx.org.slug}.`;
  if (format === 'json') return { ...ticketList(items, { message: exported, document: true }), fields: EXPORT_FIELDS };
  if (rt.globals.json) throw usageError('--json and --format csv conflict', 'use one of them');
  const csv = await toCsv(items);
  return text({ text: csv, verbatim: true, id: csv.replace(/\n$/, ''), message: exported });
}
