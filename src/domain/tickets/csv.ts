// Tickets as CSV, both ways: a header row of the contract's field names, assignee and reporter as
// emails, labels one cell joined with "," (lossless: a label cannot contain a comma), times ISO
// 8601. The CSV modules are loaded only when a CSV is written or read.
import { usageError } from '../../errors.js';
import { quoted } from '../../lib/text.js';
import { TICKET_FIELDS, type TicketField, type TicketJson } from './rules.js';
import type { Parsed, RawFields } from './transfer.js';

function csvCell(t: TicketJson, field: TicketField): string {
  switch (field) {
    case 'assignee':
      return t.assignee?.email ?? '';
    case 'reporter':
      return t.reporter.email;
    case 'labels':
      return t.labels.join(',');
    case 'number':
      return String(t.number);
    case 'external':
      return t.external ?? '';
    default:
      return t[field];
  }
}

export async function toCsv(items: readonly TicketJson[]): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const header = TICKET_FIELDS.join(',') + '\n';
  if (items.length === 0) return header;
  return stringify(
    items.map((t) => TICKET_FIELDS.map((f) => csvCell(t, f))),
    { header: true, columns: [...TICKET_FIELDS], record_delimiter: 'unix' },
  );
}

export async function parseCsv(text: string): Promise<Parsed> {
  const { parse } = await import('csv-parse/sync');
  const options = { bom: true, skip_empty_lines: true } as const;
  let rows: string[][];
  try {
    rows = parse(text, options);
  } catch (err) {
    throw usageError(`the import is not valid CSV: ${(err as Error).message}`, 'nothing was imported');
  }
  const [header, ...body] = rows;
  if (!header) throw usageError('the CSV is empty: its first line must name the columns', `columns: ${TICKET_FIELDS.join(', ')}`);
  // Headers in any case: `Title`, `CREATEDAT` and `createdAt` are one column.
  const byLowerCase = new Map<string, string>(TICKET_FIELDS.map((f) => [f.toLowerCase(), f]));
  const columns = header.map((c) => byLowerCase.get(c.trim().toLowerCase()) ?? c.trim());
  const seen = new Set<string>();
  for (const column of columns) {
    if (!(TICKET_FIELDS as readonly string[]).includes(column)) {
      throw usageError(
        `line 1: unknown column ${quoted(column)}`,
        `the columns are those tkt ticket export writes: ${TICKET_FIELDS.join(', ')}`,
      );
    }
    if (seen.has(column)) throw usageError(`line 1: the column ${column} appears twice`);
    seen.add(column);
  }
  if (!seen.has('title')) throw usageError('line 1: the header has no title column', 'title is the one required column');
  const records = body.map((record) => {
    const fields: RawFields = {};
    columns.forEach((column, i) => {
      const cell = record[i] ?? '';
      // An empty cell is an absent value (only title is required; an empty title is still an error).
      if (cell !== '' || column === 'title') fields[column as TicketField] = column === 'labels' ? cell.split(',') : cell;
    });
    return fields;
  });
  return {
    records: [records],
    // Line numbers are needed only for an error: parse again, with positions, up to that record
    // (keeping them for every record would slow a large import down by a third).
    where: async (i) => {
      const upTo = parse(text, { ...options, info: true, to: i + 2 }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
      const { record, info } = upTo.at(-1)!;
      // info.lines is where the record ends; a quoted cell may span lines.
      const newlines = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
      return `line ${info.lines - newlines}`;
    },
  };
}
