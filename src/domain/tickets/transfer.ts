// Export and import of tickets: the same fields both ways (the contract's ticket JSON), as a JSON
// array or as CSV with a header row of the same names. Export keeps the numbering order, and
// import numbers the tickets anew in file order, so export → import into another org keeps order.
//
// CSV cells: assignee and reporter are emails, labels one cell joined with "," (lossless: a label
// cannot contain a comma), times ISO 8601. The CSV modules are loaded only by these two commands.
import { currentWorkflow } from '../workflow.js';
import { isTktError, usageError } from '../../errors.js';
import type { ImportUpdates, NewComment, NewTicket, TicketPriority } from '../../store/ports/tickets.js';
import type { WorkflowRecord } from '../../store/ports/workflow.js';
import { defaultStatus, findStatus } from '../workflow-rules.js';
import { assertPermission, assertStillPermitted, type Tenant } from '../guard.js';
import { planImport } from './changes.js';
import { planOverwrite } from './overwrite.js';
import { parseCsv } from './csv.js';
import { ArrayScanner } from './json-scanner.js';
import { fromGithub, whoText, type SourceRecord, type Who } from './github.js';
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

/** A comment as export writes it and import reads it. */
export interface CommentJson {
  author: { email: string; name: string };
  body: string;
  createdAt: string;
}

export type ExportedTicket = TicketJson & { comments: CommentJson[] };

/** Every ticket matching the filters (no default limit), oldest number first, with its comments. */
export async function exportTickets(tenant: Tenant, filters: TicketFilters, limit = 0): Promise<ExportedTicket[]> {
  assertPermission(tenant.ctx, 'ticket:read');
  const query = tickets.ticketQuery(tenant, await tickets.resolveFilters(tenant, filters), { sort: 'number', descending: false, limit });
  const found = await tenant.store.tickets.list(query);
  const comments = await tenant.store.tickets.commentsOf(found.map((t) => t.number));
  return found.map((t) => ({
    ...ticketJson(t, tenant.ctx.org),
    comments: (comments.get(t.number) ?? []).map((c) => ({ author: c.author, body: c.body, createdAt: new Date(c.createdAt).toISOString() })),
  }));
}

// ---- import ----

export type RawFields = Partial<Record<TicketField | 'comments', unknown>>;

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

// key, number, org, reporter and statusCategory are read and ignored (fromTkt takes only the fields
// it uses): the target org numbers the tickets anew and the importer is the reporter.
const RECORD_FIELDS: readonly string[] = [...TICKET_FIELDS, 'comments'];

function parseJson(input: ImportInput, check: boolean): Parsed {
  const where = (i: number) => `record ${i + 1}`;
  return { records: jsonRecords(input, where, check), where: async (i) => where(i) };
}

/**
 * The records of a JSON import (an array, one object a line, or one object), parsed as the text
 * arrives (a batch per chunk). What this yields and throws is what parsing the whole text first
 * would give: invalid JSON (anywhere) wins, then the first element that is not an object of
 * ticket fields (`check`; thrown once the whole text is read). Whatever the scanner does not take
 * apart cleanly is decided by JSON.parse of the whole text.
 */
export async function* jsonRecords(input: ImportInput, where: (i: number) => string, check = true): AsyncGenerator<RawFields[]> {
  let shapeError: unknown;
  let i = 0;
  const checked = (elements: unknown[]): RawFields[] => {
    for (const element of elements) {
      const problem = shapeProblem(element, check);
      if (problem && shapeError === undefined) shapeError = rowError(where(i), problem);
      i++;
    }
    // After a wrong element, the rest is only read (for a JSON error further on), not used.
    return shapeError === undefined ? (elements as RawFields[]) : [];
  };
  let irregular = false;
  const scanner = new ArrayScanner();
  let pending = '';
  try {
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
  } catch (err) {
    // Invalid UTF-8: say in which record it is.
    if (isTktError(err) && err.code === 'usage' && /not valid UTF-8/.test(err.message)) throw rowError(where(i), err);
    throw err;
  }
  if (!irregular) {
    yield checked(scanner.scan(pending, true).elements);
    irregular = scanner.irregular;
  }
  if (irregular && scanner.objects) {
    // One object a line (or one object): the record that is not JSON is named.
    throw usageError(`the import is not valid JSON: ${where(i)} (one object a record): ${scanner.problem}`, 'nothing was imported');
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
    if (!Array.isArray(data)) throw usageError(NOT_RECORDS, 'nothing was imported');
    yield checked(data.slice(i));
  }
  if (shapeError !== undefined) throw shapeError;
}

export const NOT_RECORDS =
  'the import must be a JSON array of tickets (what tkt ticket export --format json writes), one object a line (NDJSON), or one object';

function shapeProblem(element: unknown, check: boolean): unknown {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) return usageError('expected an object with ticket fields');
  if (!check) return undefined;
  for (const name in element) {
    if (!RECORD_FIELDS.includes(name)) {
      return usageError(`unknown field ${quoted(name)}`, `the fields are ${RECORD_FIELDS.join(', ')}`);
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

/**
 * The status an imported record names, as written ('' for none; --from github maps its states to
 * open, done and canceled first). resolveImportStatuses then makes it a status of the target org.
 */
export function importedStatus(value: string | undefined): string {
  return value ?? '';
}

/** A person named by email in a tkt file: a string, or {"email": …}. */
function emailWho(value: unknown, field: string): { email: string } | null {
  const o = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { email?: unknown }) : undefined;
  const text = o ? optionalString(o.email, `${field}.email`) : optionalString(value, field);
  if (o && text === undefined) throw usageError(`${field} must be an email or {"email": …}`);
  return text !== undefined ? { email: text } : null;
}

/** A record of tkt's own format (what ticket export writes) in the terms every source shares. */
function fromTkt(raw: RawFields, tenant: Tenant): SourceRecord {
  const comments = raw.comments ?? [];
  if (!Array.isArray(comments)) throw usageError('comments must be an array');
  const assignee = emailWho(raw.assignee, 'assignee');
  return {
    title: raw.title,
    body: raw.body,
    status: raw.status,
    priority: raw.priority,
    assignee: assignee && { email: tickets.assignee(assignee.email, tenant) },
    labels: raw.labels,
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
    external: raw.external,
    comments: comments.map((c: unknown, i) => {
      if (typeof c !== 'object' || c === null || Array.isArray(c)) throw usageError(`comments[${i}] must be an object`);
      const { author, body, createdAt } = c as Record<string, unknown>;
      const who = emailWho(author, `comments[${i}].author`);
      if (who === null) throw usageError(`comments[${i}].author is required`);
      return { author: { email: validate.email(who.email, `comments[${i}].author`) }, body, createdAt };
    }),
  };
}

/** A record as it will be written, with the people it names (members or not: decided later). */
interface Draft {
  ticket: NewTicket;
  assignee: Who | null;
  comments: Array<{ author: Who; body: string; createdAt: number }>;
  titleChanged: boolean;
}

const NO_COMMENTS: Draft['comments'] = [];
const EXTERNAL = /^[a-z][a-z0-9-]{0,30}#\d{1,15}$/;

function toDraft(record: SourceRecord, now: number): Draft {
  if (record.title === undefined || record.title === null) throw usageError('title is required');
  const { title, changed } = tickets.importedTitle(optionalString(record.title, 'title')!);
  const bodyText = optionalString(record.body, 'body');
  const priorityText = optionalString(record.priority, 'priority');
  let labels: string[] = [];
  if (record.labels !== undefined && record.labels !== null) {
    if (!Array.isArray(record.labels) || record.labels.some((l) => typeof l !== 'string')) {
      throw usageError('labels must be an array of strings');
    }
    labels = [...new Set((record.labels as string[]).map(tickets.label))].sort();
  }
  const createdAt = time(record.createdAt, 'createdAt');
  const updatedAt = time(record.updatedAt, 'updatedAt');
  if (updatedAt !== undefined && updatedAt < (createdAt ?? now)) {
    throw usageError(`updatedAt (${record.updatedAt as string}) is earlier than createdAt (${(record.createdAt as string | undefined) ?? 'now'})`);
  }
  const external = optionalString(record.external, 'external');
  if (external !== undefined && !EXTERNAL.test(external)) {
    throw usageError(`external ${quoted(external)} is not an origin`, 'an origin is a source and a number: github#1234');
  }
  return {
    ticket: {
      title,
      body: bodyText !== undefined ? tickets.body(bodyText) : '',
      // As written; '' for none. resolveImportStatuses makes it a status of the target org.
      status: importedStatus(optionalString(record.status, 'status')),
      priority: priorityText !== undefined ? tickets.priority(priorityText) : ('none' satisfies TicketPriority),
      assigneeEmail: null,
      labels,
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(updatedAt !== undefined ? { updatedAt } : {}),
      external: external ?? null,
    },
    assignee: record.assignee,
    comments: record.comments.length === 0 ? NO_COMMENTS : record.comments.map((c, i) => {
      const body = optionalString(c.body, `comments[${i}].body`);
      if (body === undefined) throw usageError(`comments[${i}].body is required`);
      return { author: c.author, body: tickets.body(body, `comments[${i}].body`, true), createdAt: time(c.createdAt, `comments[${i}].createdAt`) ?? now };
    }),
    titleChanged: changed,
  };
}

export type ImportSource = 'tkt' | 'github';
/** What becomes of a person who is not a member of the org: refuse, drop (comments: credited to the importer), or the importer. */
export type UnknownPeople = 'fail' | 'unassign' | 'me';
export type OnDuplicate = 'fail' | 'skip' | 'update';

export interface ImportOptions {
  format: TransferFormat;
  from: ImportSource;
  /** GitHub login → email (--people). */
  people: ReadonlyMap<string, string>;
  unknownPeople: UnknownPeople;
  onDuplicate: OnDuplicate;
  dryRun: boolean;
  /** --status-map as given (old=new,…): statuses of the file → statuses of this org, checked against its workflow. */
  statusMap?: string;
}

export const UNKNOWN_PEOPLE: readonly UnknownPeople[] = ['fail', 'unassign', 'me'];
export const ON_DUPLICATE: readonly OnDuplicate[] = ['fail', 'skip', 'update'];

/** tkt's own format, people must be members, duplicates refused, written. */
export const importDefaults = (format: TransferFormat): ImportOptions => ({
  format,
  from: 'tkt',
  people: new Map(),
  unknownPeople: 'fail',
  onDuplicate: 'fail',
  dryRun: false,
});

/** How far an import is: records read, then tickets written. */
export type ImportProgress = (phase: 'read' | 'written', done: number, total?: number) => void;

export interface ImportReport {
  /** The tickets created (a dry run: those it would create, with no key). */
  created: Array<{ key: string; title: string }>;
  comments: number;
  /** Records left out by --on-duplicate skip. */
  skipped: number;
  /** Tickets written over by --on-duplicate update (a dry run: those it would write over). */
  updated: Array<{ key: string; title: string }>;
  /** Titles whose control or bidi characters became spaces. */
  titlesChanged: number;
  dryRun: boolean;
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
export async function importTickets(
  tenant: Tenant,
  input: ImportInput,
  settings: ImportOptions | TransferFormat,
  progress?: ImportProgress,
): Promise<ImportReport> {
  assertPermission(tenant.ctx, 'ticket:create');
  const options = typeof settings === 'string' ? importDefaults(settings) : settings;
  const github = options.from === 'github';
  // The workflow is read once, before the file: a wrong --status-map fails before a long read.
  const workflow = await currentWorkflow(tenant);
  const statusMap = options.statusMap !== undefined ? parseStatusMap(options.statusMap, workflow, tenant.ctx.org.slug) : new Map<string, string>();
  const parsed = options.format === 'json' ? parseJson(input, !github) : await parseCsv(await wholeText(input));
  const drafts: Draft[] = [];
  const now = Date.now();
  // The first record with a wrong value is reported after all records are read (a JSON file that
  // is invalid further on, or has a record of the wrong shape, reports that instead).
  let wrongValue: unknown;
  let i = 0;
  for await (const batch of parsed.records) {
    for (const raw of batch) {
      if (wrongValue === undefined) {
        try {
          drafts.push(toDraft(github ? fromGithub(raw, options.people) : fromTkt(raw, tenant), now));
        } catch (err) {
          wrongValue = rowError(await parsed.where(i), err);
        }
      }
      i++;
    }
    progress?.('read', i);
  }
  if (wrongValue !== undefined) throw wrongValue;
  const where = parsed.where;
  await resolveImportStatuses(drafts.map((d) => d.ticket), workflow, statusMap, tenant.ctx.org.slug, where);
  const { kept, over } = await withoutDuplicates(tenant, drafts, options.onDuplicate, where);
  const news = await resolvePeople(tenant, kept, options.unknownPeople, where);
  const replaced = await resolvePeople(tenant, over, options.unknownPeople, where);
  const comments = news.reduce((n, t) => n + (t.comments?.length ?? 0), 0);
  const { org } = tenant.ctx;
  const updated = over.map(({ number }, i) => ({ key: ticketKey(org, number), title: replaced[i]!.title }));
  const report = {
    comments,
    skipped: drafts.length - kept.length - over.length,
    titlesChanged: [...kept, ...over].filter(({ draft }) => draft.titleChanged).length,
    updated,
  };
  if (options.dryRun) return { created: news.map((t) => ({ key: '', title: t.title })), dryRun: true, ...report };
  const updates: ImportUpdates | undefined =
    over.length > 0 ? { tickets: over.map(({ number }, i) => ({ number, ticket: replaced[i]! })), audit: (before, after) => planOverwrite(org, workflow, before, after) } : undefined;
  const { firstNumber } = await tenant.store.tickets.importMany(
    news,
    (state) => {
      assertStillPermitted(state.actor, org, 'ticket:create');
      if (updates) assertStillPermitted(state.actor, org, 'ticket:update');
      return planImport(org, state);
    },
    progress && ((written, total) => progress('written', written, total)),
    updates,
  );
  return { created: news.map((d, i) => ({ key: ticketKey(tenant.ctx.org, firstNumber + i), title: d.title })), dryRun: false, ...report };
}

type Where = (i: number) => Promise<string>;

type Entry = { draft: Draft; index: number };

/**
 * The drafts to create, with their record indexes, and (--on-duplicate update) those that write
 * over the ticket of their origin: a second ticket of one origin is refused, left out or an update.
 */
async function withoutDuplicates(
  tenant: Tenant,
  drafts: Draft[],
  onDuplicate: OnDuplicate,
  where: Where,
): Promise<{ kept: Entry[]; over: Array<Entry & { number: number }> }> {
  const all = drafts.map((draft, index) => ({ draft, index }));
  const externals = drafts.flatMap((d) => (d.ticket.external ? [d.ticket.external] : []));
  if (externals.length === 0) return { kept: all, over: [] };
  const existing = await tenant.store.tickets.numbersByExternal(externals);
  const seen = new Map<string, number>();
  const kept: Entry[] = [];
  const over: Array<Entry & { number: number }> = [];
  for (const entry of all) {
    const external = entry.draft.ticket.external;
    if (external) {
      const number = existing.get(external);
      const earlier = seen.get(external);
      if (earlier !== undefined || (number !== undefined && onDuplicate !== 'update')) {
        if (onDuplicate === 'skip') continue;
        const what = earlier !== undefined ? `is also ${await where(earlier)}` : `is already ${ticketKey(tenant.ctx.org, number!)}`;
        throw rowError(await where(entry.index), usageError(`${external} ${what}`, '--on-duplicate skip leaves such records out; update writes over the ticket'));
      }
      seen.set(external, entry.index);
      if (number !== undefined) {
        over.push({ ...entry, number });
        continue;
      }
    }
    kept.push(entry);
  }
  return { kept, over };
}

/** The tickets to write: each person a member, or what --unknown-people says. */
async function resolvePeople(tenant: Tenant, kept: Entry[], unknown: UnknownPeople, where: Where): Promise<NewTicket[]> {
  const emails = new Set<string>();
  for (const { draft } of kept) {
    if (draft.assignee && 'email' in draft.assignee) emails.add(draft.assignee.email);
    for (const c of draft.comments) if ('email' in c.author) emails.add(c.author.email);
  }
  const members = emails.size > 0 ? await tenant.store.tickets.memberEmails([...emails]) : new Set<string>();
  const isMember = (who: Who) => 'email' in who && members.has(who.email);
  const me = tenant.ctx.user.email;
  const { slug } = tenant.ctx.org;
  const refuse = async (index: number, what: string) =>
    rowError(await where(index), usageError(`${what} is not a member of ${slug}`, 'invite them first, or use --unknown-people unassign or me'));
  // The drafts' tickets are completed in place (a large import holds each ticket once).
  const out: NewTicket[] = [];
  for (const { draft, index } of kept) {
    const { ticket } = draft;
    if (draft.assignee) {
      if (isMember(draft.assignee)) ticket.assigneeEmail = (draft.assignee as { email: string }).email;
      else if (unknown === 'fail') throw await refuse(index, `assignee ${whoText(draft.assignee)}`);
      else ticket.assigneeEmail = unknown === 'me' ? me : null;
    }
    if (draft.comments.length > 0) {
      const comments: NewComment[] = [];
      for (const [n, c] of draft.comments.entries()) {
        if (isMember(c.author)) comments.push({ authorEmail: (c.author as { email: string }).email, body: c.body, createdAt: c.createdAt });
        else if (unknown === 'fail') throw await refuse(index, `the author of comment ${n + 1}, ${whoText(c.author)},`);
        // Credited to the importer; who wrote it stays in its first line.
        else comments.push({ authorEmail: me, body: `${COMMENT_BY} ${whoText(c.author)}\n\n${c.body}`, createdAt: c.createdAt });
      }
      ticket.comments = comments;
    }
    out.push(ticket);
  }
  return out;
}

/** The first line of a comment whose author is not a member (--unknown-people unassign or me). */
export const COMMENT_BY = 'Originally by';
