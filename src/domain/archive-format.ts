// The org archive (`tkt org export` / `tkt org import`), format 1: NDJSON, one record a line, in
// this order: header, roles, members, tickets (with their comments), contents (each followed by
// its chunks, base64), attachments, events, end. Every record has a `type`; the header has the
// `format` number. A reader refuses a format it does not know, a record out of order, a chunk
// whose content's SHA-256 does not match, and a file without its end record (cut short).
import { createHash } from 'node:crypto';
import { usageError } from '../errors.js';
import { priority, status } from './tickets/rules.js';

export const ARCHIVE_FORMAT = 1;
/** Bytes of content per chunk record (base64 makes a line about 350 KiB). */
export const ARCHIVE_CHUNK_BYTES = 256 * 1024;

export type { ArchivePerson as Person, ArchiveRecord } from '../store/ports/archive.js';
import type { ArchivePerson as Person, ArchiveRecord } from '../store/ports/archive.js';

const ORDER = ['header', 'role', 'member', 'ticket', 'content', 'attachment', 'event', 'end'] as const;

/** What the first pass over an archive found: the small parts, kept; the rest counted. */
export interface ArchiveSummary {
  header: Extract<ArchiveRecord, { type: 'header' }>;
  roles: Array<Extract<ArchiveRecord, { type: 'role' }>>;
  members: Array<Extract<ArchiveRecord, { type: 'member' }>>;
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
    case 'ticket':
      return (
        isInt(r.number) && (r.number as number) > 0 && isStr(r.title) && isStr(r.body) && isStr(r.status) && isStr(r.priority) &&
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
    if (r.type === 'header' && r.format !== ARCHIVE_FORMAT) {
      throw usageError(`this archive is format ${String(r.format)}; this tkt reads format ${ARCHIVE_FORMAT}`, 'import it with the tkt version that made it, or a newer one');
    }
    stage = at;
    if (r.type === 'ticket') {
      try {
        if (status(r.status as string) !== r.status || priority(r.priority as string) !== r.priority) throw new Error('an alias');
      } catch {
        throw bad(n, `ticket ${String(r.number)} has status ${String(r.status)} and priority ${String(r.priority)}, not both known here`);
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
  const summary = { roles: [], members: [], tickets: 0, attachments: 0, events: 0 } as Omit<ArchiveSummary, 'header'>;
  for (const r of records) {
    if (r.type === 'header') header = r;
    else if (r.type === 'role') summary.roles.push(r);
    else if (r.type === 'member') summary.members.push(r);
    else if (r.type === 'ticket') summary.tickets++;
    else if (r.type === 'attachment') summary.attachments++;
    else if (r.type === 'event') summary.events++;
  }
  return { header: header!, ...summary };
}
