// Export and import of tickets: the same fields both ways (the contract's ticket JSON), as a JSON
// array or as CSV with a header row of the same names. Export keeps the numbering order, and
// import numbers the tickets anew in file order, so export → import into another org keeps order.
//
// CSV cells: assignee and reporter are emails, labels one cell joined with "," (lossless: a label
// cannot contain a comma), times ISO 8601. The CSV modules are loaded only by these two commands.
import { currentWorkflow } from '../workflow.js';
import { isTktError, usageError } from '../../errors.js';
import type { NewTicket, TicketPriority } from '../../store/ports/tickets.js';
import type { WorkflowRecord } from '../../store/ports/workflow.js';
import { defaultStatus, findStatus } from '../workflow-rules.js';
import { assertPermission, assertStillPermitted, type Tenant } from '../guard.js';
import { planImport } from './changes.js';
import { parseCsv } from './csv.js';
import { ArrayScanner } from './json-scanner.js';
import * as tickets from './rules.js';
import * as validate from '../validate.js';
import { quoted } from '../../lib/text.js';
import { TICKET_FIELDS, ticketJson, ticketKey, type TicketField, type TicketFilters, type TicketJson } from './rules.js';

export type TransferFormat = 'json' | 'csv';

/** --format wins; else the file's extension; else JSON. */
export function transferFormat(flag: string | undefined, file?: string): TransferFormat {
  if (flag !== undefined) {
    return validate.oneOf<TransferFormat>(flag, ['json', 'csv'], 'format');
  }
  return file !== undefined && /\.csv$/i.test(file) ? 'csv' : 'json';
}

// ---- export ----

/** Every ticket matching the filters (no default limit), oldest number first. */
export async function exportTickets(tenant: Tenant, filters: TicketFilters, limit = 0): Promise<TicketJson[]> {
  assertPermission(tenant.ctx, 'ticket:read');
  const query = tickets.ticketQuery(tenant, await tickets.resolveFilters(tenant, filters), { sort: 'number', descending: false, limit });
  return (await tenant.store.tickets.list(query)).map((t) => ticketJson(t, tenant.ctx.org));
}

// ---- import ----

export type RawFields = Partial<Record<TicketField, unknown>>;

/**
 * An import's text: the whole of it, or a file read chunk by chunk (a large import then never holds
 * the file's text, or its parsed tree, at once). `chunks()` may be called again: when something is
 * wrong, the whole text decides what to report.
 */
export type ImportInput = string | { chunks(): AsyncIterable<string> };

const chunksOf = (input: ImportInput): AsyncIterable<string> | Iterable<string> => (typeof input === 'string' ? [input] : input.chunks());

async function wholeText(input: ImportInput): Promise<string> {
  if (typeof input === 'string') return input;
  let text = '';
  for await (const chunk of input.chunks()) text += chunk;
  return text;
}

/** Input records before validation, in batches, and where record i came from (for an error message). */
export interface Parsed {
  records: AsyncIterable<RawFields[]> | Iterable<RawFields[]>;
  where(index: number): Promise<string>;
}

const IGNORED: readonly TicketField[] = ['key', 'number', 'org', 'reporter', 'statusCategory'];

function parseJson(input: ImportInput): Parsed {
  const where = (i: number) => `record ${i + 1}`;
  return { records: jsonRecords(input, where), where: async (i) => where(i) };
}

/**
 * The records of a JSON import, parsed as the text arrives (a batch per chunk). What this yields
 * and throws is what parsing the whole text first would give: invalid JSON (anywhere) wins, then
 * the first element that is not an object of ticket fields (thrown once the whole text is read).
 * Whatever the scanner does not take apart cleanly is decided by JSON.parse of the whole text.
 */
export async function* jsonRecords(input: ImportInput, where: (i: number) => string): AsyncGenerator<RawFields[]> {
  let shapeError: unknown;
  let i = 0;
  const checked = (elements: unknown[]): RawFields[] => {
    for (const element of elements) {
      const problem = shapeProblem(element);
      if (problem && shapeError === undefined) shapeError = rowError(where(i), problem);
      i++;
    }
    // After a wrong element, the rest is only read (for a JSON error further on), not used.
    return shapeError === undefined ? (elements as RawFields[]) : [];
  };
  let irregular = false;
  const scanner = new ArrayScanner();
  let pending = '';
  for await (const chunk of chunksOf(input)) {
    pending += chunk;
    const { elements, used } = scanner.scan(pending, false);
    pending = pending.slice(used);
    yield checked(elements);
    if (scanner.irregular) {
      irregular = true;
      break;
    }
  }
  if (!irregular) {
    yield checked(scanner.scan(pending, true).elements);
    irregular = scanner.irregular;
  }
  if (irregular) {
    // JSON.parse of the whole text says what is wrong (or, should this scanner be wrong, is right).
    let data: unknown;
    try {
      data = JSON.parse(await wholeText(input));
    } catch (err) {
      if (isTktError(err)) throw err;
      throw usageError(`the import is not valid JSON: ${(err as Error).message}`, 'nothing was imported');
    }
    if (!Array.isArray(data)) {
      throw usageError('the import must be a JSON array of tickets (what tkt ticket export --format json writes)', 'nothing was imported');
    }
    yield checked(data.slice(i));
  }
  if (shapeError !== undefined) throw shapeError;
}

function shapeProblem(element: unknown): unknown {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) return usageError('expected an object with ticket fields');
  for (const name of Object.keys(element)) {
    if (!(TICKET_FIELDS as readonly string[]).includes(name)) {
      return usageError(`unknown field ${quoted(name)}`, `the fields are ${TICKET_FIELDS.join(', ')}`);
    }
  }
  return undefined;
}

export function rowError(where: string, err: unknown): unknown {
  if (isTktError(err) && err.code === 'usage') {
    return usageError(`${where}: ${err.message}`, `${err.hint ? err.hint + '; ' : ''}nothing was imported`);
  }
  return err;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw usageError(`${field} must be a string`);
  return value;
}

function time(value: unknown, field: string): number | undefined {
  const s = optionalString(value, field);
  if (s === undefined) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : Number.NaN;
  if (!Number.isFinite(t)) throw usageError(`${field} is not an ISO 8601 time: ${quoted(s)}`);
  return t;
}

function toNewTicket(raw: RawFields, tenant: Tenant): NewTicket {
  if (raw.title === undefined || raw.title === null) throw usageError('title is required');
  const titleText = optionalString(raw.title, 'title')!;
  const bodyText = optionalString(raw.body, 'body');
  const statusText = optionalString(raw.status, 'status');
  const priorityText = optionalString(raw.priority, 'priority');
  let assigneeText: string | undefined;
  if (typeof raw.assignee === 'object' && raw.assignee !== null && !Array.isArray(raw.assignee)) {
    assigneeText = optionalString((raw.assignee as { email?: unknown }).email, 'assignee.email');
    if (assigneeText === undefined) throw usageError('assignee must be an email or {"email": …}');
  } else {
    assigneeText = optionalString(raw.assignee, 'assignee');
  }
  let labels: string[] = [];
  if (raw.labels !== undefined && raw.labels !== null) {
    if (!Array.isArray(raw.labels) || raw.labels.some((l) => typeof l !== 'string')) {
      throw usageError('labels must be an array of strings');
    }
    labels = [...new Set((raw.labels as string[]).map(tickets.label))].sort();
  }
  const createdAt = time(raw.createdAt, 'createdAt');
  const updatedAt = time(raw.updatedAt, 'updatedAt');
  return {
    title: tickets.title(titleText),
    body: bodyText !== undefined ? tickets.body(bodyText) : '',
    // As written; '' for none. resolveImportStatuses makes it a status of the target org.
    status: statusText !== undefined ? statusText : '',
    priority: priorityText !== undefined ? tickets.priority(priorityText) : ('none' satisfies TicketPriority),
    assigneeEmail: assigneeText !== undefined ? tickets.assignee(assigneeText, tenant) : null,
    labels,
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(updatedAt !== undefined ? { updatedAt } : {}),
  };
}

// ---- statuses of an import ----

/** `--status-map old=new,…`: a status in the file (any case) → a status code of the target org. */
export type StatusMap = ReadonlyMap<string, string>;

export function parseStatusMap(value: string, wf: WorkflowRecord, orgSlug: string): StatusMap {
  const map = new Map<string, string>();
  for (const pair of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [from, to, ...rest] = pair.split('=').map((x) => x.trim());
    if (!from || !to || rest.length > 0) throw usageError(`--status-map: ${quoted(pair)} is not old=new`, '--status-map wontfix=canceled,fixed=done');
    const target = findStatus(wf, tickets.status(to));
    if (!target) throw usageError(`--status-map: ${orgSlug} has no status ${quoted(to)}`, `its statuses: ${wf.statuses.map((st) => st.code).join(', ')}`);
    map.set(tickets.status(from), target.code);
  }
  if (map.size === 0) throw usageError('--status-map needs old=new pairs', '--status-map wontfix=canceled,fixed=done');
  return map;
}

/**
 * Each draft's status as a code of the target org's workflow: mapped by --status-map first, else
 * the same code, else (no status given) the org's status for new tickets. A status the org does
 * not have and the map does not map is exit 2 naming it and its record.
 */
export async function resolveImportStatuses(
  drafts: NewTicket[],
  wf: WorkflowRecord,
  map: StatusMap,
  orgSlug: string,
  where: (index: number) => Promise<string>,
): Promise<void> {
  const fallback = defaultStatus(wf).code;
  for (const [i, draft] of drafts.entries()) {
    if (draft.status === '') {
      draft.status = fallback;
      continue;
    }
    const code = tickets.status(draft.status);
    const to = map.get(code) ?? findStatus(wf, code)?.code;
    if (to === undefined) {
      throw rowError(
        await where(i),
        usageError(
          `status ${quoted(draft.status)} is not a status of ${orgSlug}`,
          `map it: --status-map ${code}=<status> (statuses of ${orgSlug}: ${wf.statuses.map((s) => s.code).join(', ')})`,
        ),
      );
    }
    draft.status = to;
  }
}

/**
 * Validates every record, then writes them all in one transaction: a bad record is exit 2 naming
 * its line (CSV) or record number (JSON), and nothing is written. `key`, `number`, `org` and
 * `reporter` are ignored: the target org numbers the tickets anew and the importer is the reporter.
 */
/** How far an import is: records read, then tickets written. */
export type ImportProgress = (phase: 'read' | 'written', done: number, total?: number) => void;

export async function importTickets(
  tenant: Tenant,
  input: ImportInput,
  format: TransferFormat,
  progress?: ImportProgress,
  statusMap: StatusMap = new Map(),
): Promise<Array<{ key: string; title: string }>> {
  assertPermission(tenant.ctx, 'ticket:create');
  const parsed = format === 'json' ? parseJson(input) : await parseCsv(await wholeText(input));
  const drafts: NewTicket[] = [];
  // The first record with a wrong value is reported after all records are read (a JSON file that
  // is invalid further on, or has a record of the wrong shape, reports that instead).
  let wrongValue: unknown;
  let i = 0;
  for await (const batch of parsed.records) {
    for (const raw of batch) {
      if (wrongValue === undefined) {
        try {
          for (const name of IGNORED) delete raw[name];
          drafts.push(toNewTicket(raw, tenant));
        } catch (err) {
          wrongValue = rowError(await parsed.where(i), err);
        }
      }
      i++;
    }
    progress?.('read', i);
  }
  if (wrongValue !== undefined) throw wrongValue;
  await resolveImportStatuses(drafts, await currentWorkflow(tenant), statusMap, tenant.ctx.org.slug, parsed.where);
  const assignees = drafts.flatMap((d) => (d.assigneeEmail !== null ? [d.assigneeEmail] : []));
  if (assignees.length > 0) {
    const members = await tenant.store.tickets.memberEmails(assignees);
    const i = drafts.findIndex((d) => d.assigneeEmail !== null && !members.has(d.assigneeEmail));
    if (i >= 0) {
      throw rowError(
        await parsed.where(i),
        usageError(`assignee ${drafts[i]!.assigneeEmail} is not a member of ${tenant.ctx.org.slug}`, 'invite them first, or clear the assignee'),
      );
    }
  }
  const { org } = tenant.ctx;
  const { firstNumber } = await tenant.store.tickets.importMany(
    drafts,
    (state) => {
      assertStillPermitted(state.actor, org, 'ticket:create');
      return planImport(org, state);
    },
    progress && ((written, total) => progress('written', written, total)),
  );
  return drafts.map((d, i) => ({ key: ticketKey(tenant.ctx.org, firstNumber + i), title: d.title }));
}
