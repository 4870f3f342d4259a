// The org archive (`tkt org export` / `tkt org import`), format 2: NDJSON, one record a line, in
// this order: header, roles, members, the workflow (one record), tickets (with their comments),
// contents (each followed by its chunks, base64), attachments, events, end. Every record has a
// `type`; the header has the `format` number. Format 1 (written before per-org workflows) is the
// same without the workflow record: it is read as the default four statuses, no rules. A reader
// refuses a format it does not know, a record out of order, a ticket whose status the workflow
// lacks, a chunk whose content's SHA-256 does not match, and a file without its end record.
import { createHash } from 'node:crypto';
import { usageError } from '../errors.js';
import type { StatusRecord, TransitionRule, WorkflowRecord } from '../store/ports/workflow.js';
import { priority } from './tickets/rules.js';
import { DEFAULT_WORKFLOW, MAX_STATUSES, STATUS_CATEGORIES, statusCode, statusName } from './workflow-rules.js';

/** The format export writes. */
export const ARCHIVE_FORMAT = 2;
/** The formats import reads: 1 has no workflow record (its tickets are in the default four statuses). */
export const ARCHIVE_FORMATS_READ: readonly number[] = [1, 2];
/** Bytes of content per chunk record (base64 makes a line about 350 KiB). */
export const ARCHIVE_CHUNK_BYTES = 256 * 1024;

export type { ArchivePerson as Person, ArchiveRecord } from '../store/ports/archive.js';
import type { ArchivePerson as Person, ArchiveRecord } from '../store/ports/archive.js';

const ORDER = ['header', 'role', 'member', 'workflow', 'ticket', 'content', 'attachment', 'event', 'end'] as const;

/** What the first pass over an archive found: the small parts, kept; the rest counted. */
export interface ArchiveSummary {
  header: Extract<ArchiveRecord, { type: 'header' }>;
  roles: Array<Extract<ArchiveRecord, { type: 'role' }>>;
  members: Array<Extract<ArchiveRecord, { type: 'member' }>>;
  /** The archive's workflow, checked; format 1: the default four statuses, no rules. */
  workflow: WorkflowRecord;
  tickets: number;
  attachments: number;
  events: number;
}

function bad(line: number, why: string) {
  return usageError(`not a tkt org archive (line ${line}): ${why}`, 'make one with tkt org export --out FILE');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isPerson = (v: unknown): v is Person => isObj(v) && isStr(v.email) && isStr(v.name);

/** The record's fields are of the right types (the values are judged by whoever uses them). */
function wellFormed(r: Record<string, unknown>): boolean {
  switch (r.type) {
    case 'header':
      return isInt(r.format) && isObj(r.org) && isStr(r.org.slug) && isStr(r.org.name) && isStr(r.org.key);
    case 'role':
      return isStr(r.code) && isStr(r.name) && Array.isArray(r.permissions) && r.permissions.every(isStr) && typeof r.system === 'boolean';
    case 'member':
      return isStr(r.email) && isStr(r.name) && isStr(r.role);
    case 'workflow':
      return (
        Array.isArray(r.statuses) &&
        r.statuses.every((x) => isObj(x) && isStr(x.code) && isStr(x.name) && isStr(x.category) && typeof x.isDefault === 'boolean') &&
        Array.isArray(r.transitions) &&
        r.transitions.every((x) => isObj(x) && isStr(x.from) && isStr(x.to) && typeof x.allowed === 'boolean')
      );
    case 'ticket':
      return (
        isInt(r.number) && (r.number as number) > 0 && isStr(r.title) && isStr(r.body) && isStr(r.status) && isStr(r.priority) &&
        (r.statusCategory === undefined || isStr(r.statusCategory)) &&
        (r.assignee === null || isStr(r.assignee)) && isPerson(r.reporter) && Array.isArray(r.labels) && r.labels.every(isStr) &&
        isInt(r.createdAt) && isInt(r.updatedAt) && Array.isArray(r.comments) &&
        r.comments.every((c) => isObj(c) && isPerson(c.author) && isStr(c.body) && isInt(c.createdAt))
      );
    case 'content':
      return isStr(r.sha256) && /^[0-9a-f]{64}$/.test(r.sha256) && isInt(r.size) && (r.size as number) >= 0;
    case 'chunk':
      return isStr(r.sha256) && isInt(r.seq) && isStr(r.data);
    case 'attachment':
      return isInt(r.ticket) && isStr(r.name) && isInt(r.size) && isStr(r.contentType) && isStr(r.sha256) && isPerson(r.uploader) && isInt(r.createdAt);
    case 'event':
      return isPerson(r.actor) && isStr(r.action) && isStr(r.targetType) && isStr(r.target) && isObj(r.details) && isInt(r.createdAt);
    case 'end':
      return isInt(r.records);
    default:
      return false;
  }
}

/** The workflow record's values: what `tkt workflow` itself would accept (else exit 2 naming the line). */
function checkedWorkflow(line: number, r: { statuses: StatusRecord[]; transitions: TransitionRule[] }): WorkflowRecord {
  const statuses = r.statuses.map((x) => ({ code: x.code, name: x.name, category: x.category, isDefault: x.isDefault }));
  const transitions = r.transitions.map((x) => ({ from: x.from, to: x.to, allowed: x.allowed }));
  const codes = new Set<string>();
  try {
    for (const x of statuses) {
      if (statusCode(x.code) !== x.code || statusName(x.name) !== x.name) throw new Error();
      if (!(STATUS_CATEGORIES as readonly string[]).includes(x.category) || codes.has(x.code)) throw new Error();
      codes.add(x.code);
    }
  } catch {
    throw bad(line, 'the workflow has an invalid or repeated status');
  }
  if (statuses.length === 0 || statuses.length > MAX_STATUSES) throw bad(line, `the workflow has ${statuses.length} statuses (1-${MAX_STATUSES})`);
  if (statuses.filter((x) => x.isDefault).length > 1) throw bad(line, 'the workflow has two default statuses');
  if (!statuses.some((x) => x.isDefault || x.category === 'unstarted')) throw bad(line, 'the workflow has no status for new tickets');
  const rules = new Set<string>();
  for (const t of transitions) {
    if (!codes.has(t.from) || !codes.has(t.to) || t.from === t.to || rules.has(`${t.from} ${t.to}`)) {
      throw bad(line, `the workflow has an invalid rule ${t.from} → ${t.to}`);
    }
    rules.add(`${t.from} ${t.to}`);
  }
  return { statuses, transitions };
}

/**
 * Parses and checks every line (one at a time: a 2 GiB archive is never held), yielding the
 * records in order. Throws (exit 2) at the first problem, naming the line.
 */
export function* readArchive(lines: Iterable<string>): Iterable<ArchiveRecord> {
  let n = 0;
  let stage = -1;
  let content: { sha256: string; size: number; seen: number; next: number; hash: ReturnType<typeof createHash> } | null = null;
  const tickets = new Set<number>();
  const contents = new Set<string>();
  const used = new Set<string>();
  let ended = false;
  let format = 0;
  let workflow: WorkflowRecord | undefined;
  const closeContent = () => {
    if (!content) return;
    if (content.seen !== content.size || content.hash.digest('hex') !== content.sha256) throw bad(n, `the chunks of content ${content.sha256} do not match it`);
    content = null;
  };
  for (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    if (ended) throw bad(n, 'records after the end record');
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw bad(n, 'not JSON');
    }
    if (!isObj(r) || !wellFormed(r)) throw bad(n, `not a valid ${isObj(r) && isStr(r.type) ? r.type : ''} record`);
    if (r.type === 'chunk') {
      if (!content || r.sha256 !== content.sha256 || r.seq !== content.next) throw bad(n, 'a chunk out of place');
      const data = Buffer.from(r.data as string, 'base64');
      content.hash.update(data);
      content.seen += data.length;
      content.next++;
      yield r as unknown as ArchiveRecord;
      continue;
    }
    closeContent();
    const at = ORDER.indexOf(r.type as (typeof ORDER)[number]);
    if (at < stage) throw bad(n, `a ${r.type as string} record after the ${ORDER[stage]} records`);
    if (n === 1 && r.type !== 'header') throw bad(n, 'the first record must be the header');
    if (r.type === 'header' && n !== 1) throw bad(n, 'a second header');
    if (r.type === 'header') {
      if (!ARCHIVE_FORMATS_READ.includes(r.format as number)) {
        throw usageError(`this archive is format ${String(r.format)}; this tkt reads formats ${ARCHIVE_FORMATS_READ.join(' and ')}`, 'import it with the tkt version that made it, or a newer one');
      }
      format = r.format as number;
      if (format === 1) workflow = DEFAULT_WORKFLOW;
    }
    if (r.type === 'workflow') {
      if (workflow) throw bad(n, format === 1 ? 'a workflow record in a format 1 archive' : 'a second workflow record');
      workflow = checkedWorkflow(n, r as unknown as { statuses: StatusRecord[]; transitions: TransitionRule[] });
      r = { type: 'workflow', ...workflow };
    }
    if (at > ORDER.indexOf('workflow') && !workflow) throw bad(n, `a ${r.type as string} record before the workflow record`);
    stage = at;
    if (r.type === 'ticket') {
      if (!workflow!.statuses.some((x) => x.code === r.status)) {
        throw bad(n, `ticket ${String(r.number)} has status ${String(r.status)}, which the archive's workflow lacks (its statuses: ${workflow!.statuses.map((x) => x.code).join(', ')})`);
      }
      try {
        if (priority(r.priority as string) !== r.priority) throw new Error('an alias');
      } catch {
        throw bad(n, `ticket ${String(r.number)} has priority ${String(r.priority)}, not known here`);
      }
      if (tickets.has(r.number as number)) throw bad(n, `ticket ${String(r.number)} twice`);
      tickets.add(r.number as number);
    }
    if (r.type === 'content') {
      if (contents.has(r.sha256 as string)) throw bad(n, 'the same content twice');
      contents.add(r.sha256 as string);
      content = { sha256: r.sha256 as string, size: r.size as number, seen: 0, next: 0, hash: createHash('sha256') };
    }
    if (r.type === 'attachment') {
      if (!tickets.has(r.ticket as number)) throw bad(n, `an attachment of ticket ${String(r.ticket)}, which the archive does not hold`);
      if (!contents.has(r.sha256 as string)) throw bad(n, 'an attachment whose content the archive does not hold');
      used.add(r.sha256 as string);
    }
    if (r.type === 'end') {
      if (r.records !== n - 1) throw bad(n, `the end record counts ${String(r.records)} records, the file has ${n - 1}`);
      if (used.size !== contents.size) throw bad(n, 'content that no attachment uses');
      ended = true;
    }
    yield r as unknown as ArchiveRecord;
  }
  if (!ended) throw bad(n, 'it ends without its end record (cut short?)');
}

/** The first pass: checks the whole archive and keeps what the import must decide on first. */
export function summarize(records: Iterable<ArchiveRecord>): ArchiveSummary {
  let header: ArchiveSummary['header'] | undefined;
  const summary = { roles: [], members: [], workflow: DEFAULT_WORKFLOW, tickets: 0, attachments: 0, events: 0 } as Omit<ArchiveSummary, 'header'>;
  for (const r of records) {
    if (r.type === 'header') header = r;
    else if (r.type === 'workflow') summary.workflow = { statuses: r.statuses, transitions: r.transitions };
    else if (r.type === 'role') summary.roles.push(r);
    else if (r.type === 'member') summary.members.push(r);
    else if (r.type === 'ticket') summary.tickets++;
    else if (r.type === 'attachment') summary.attachments++;
    else if (r.type === 'event') summary.events++;
  }
  return { header: header!, ...summary };
}
