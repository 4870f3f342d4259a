// Ticket fields, keys and queries: what a typed value must be, and how a ticket is written out.
import { quoted } from '../../lib/text.js';
import { notFound, TktError, usageError } from '../../errors.js';
import type { DirectoryStore } from '../../store/ports/directory.js';
import type { OrgRecord } from '../../store/ports/common.js';
import {
  TICKET_PRIORITIES,
  type TicketPriority,
  type TicketQuery,
  type TicketRecord,
  type TicketSortField,
} from '../../store/ports/tickets.js';
import { statusFilter, UNFINISHED_CATEGORIES } from '../workflow-rules.js';
import { currentWorkflow } from '../workflow.js';
import type { Tenant } from '../guard.js';
import * as validate from '../validate.js';
import { searchWords } from './search.js';

export const TITLE_MAX = 200;
/** GitHub's limit for an issue body or a comment, in characters (not UTF-8 bytes). */
export const BODY_MAX = 65_536;
export const LABEL_MAX = 50;
export const SEARCH_MAX = 500;
export const DEFAULT_LIST_LIMIT = 30;
export const TICKET_SORTS: readonly TicketSortField[] = ['number', 'created', 'updated', 'priority'];

// ---- keys ----

const KEY_INPUT = /^(?:#|([A-Za-z]{2,10})-)?(\d{1,15})$/;

/**
 * `ACME-42`, `42` or `#42` → 42, always in the tenant's org. A key with another org's prefix is
 * not found, with the very message a missing number gets.
 */
export function parseTicketKey(input: string, org: OrgRecord): number {
  const match = KEY_INPUT.exec(input.trim());
  if (!match) {
    throw usageError(`invalid ticket key ${quoted(input)}`, `use ${org.ticketKey}-42, 42 or #42`);
  }
  const number = Number(match[2]);
  const prefix = match[1]?.toUpperCase() ?? org.ticketKey;
  if (prefix !== org.ticketKey) throw new ForeignTicketKey(`${prefix}-${number}`, prefix, org);
  if (number < 1) throw ticketNotFound(`${prefix}-${number}`, org);
  return number;
}

/** A key with another org's prefix: not found, word for word as a missing ticket, until the CLI knows more. */
export class ForeignTicketKey extends TktError {
  constructor(
    readonly key: string,
    readonly prefix: string,
    org: OrgRecord,
  ) {
    const missing = ticketNotFound(key, org);
    super('not-found', missing.message, missing.hint);
  }
}

/**
 * A ForeignTicketKey whose prefix is the key of another org the user is a member of gets a hint
 * naming that org; any other error, or an org the user is not in, comes back unchanged.
 */
export async function hintOtherOrg(err: unknown, user: { id: number }, directory: Pick<DirectoryStore, 'listMemberships'>): Promise<unknown> {
  if (!(err instanceof ForeignTicketKey)) return err;
  const theirs = (await directory.listMemberships(user.id)).find((m) => m.org.ticketKey === err.prefix);
  if (!theirs) return err;
  return new TktError('not-found', err.message, `tkt --org ${theirs.org.slug} ticket view ${err.key}`);
}

/** `<ORGKEY>-<number>`. */
export function ticketKey(org: OrgRecord, number: number): string {
  return `${org.ticketKey}-${number}`;
}

export function ticketNotFound(key: string, org: OrgRecord) {
  return notFound(`ticket ${key} not found in ${org.slug}`, `tkt ticket list shows the tickets of ${org.slug}`);
}

// ---- field rules ----

const LONE_SURROGATE = /\p{Cs}/u;
/** JSON input can carry "\ud800" escapes: text that no UTF-8 file could hold. */
function wellFormed(value: string, field: string): string {
  if (LONE_SURROGATE.test(value)) throw usageError(`${field} contains an unpaired surrogate (not valid Unicode)`);
  return value;
}

export function title(value: string): string {
  return wellFormed(validate.text(value, { field: 'title', max: TITLE_MAX }), 'title');
}

// What a title cannot hold (it is one line, shown in lists): C0/C1 controls, DEL, bidi controls,
// the Unicode line and paragraph separators. NUL is refused, as everywhere.
const TITLE_UNSAFE = /[\u0001-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A title of an import: its control, bidi and line-separator characters each become a space (an
 * import of what another tracker held must not fail on them), and U+FFFD is a character like any
 * other. `changed` says whether anything was replaced.
 */
export function importedTitle(value: string): { title: string; changed: boolean } {
  const replaced = value.replace(TITLE_UNSAFE, ' ');
  const cleaned = wellFormed(validate.text(replaced, { field: 'title', max: TITLE_MAX, replacementCharacter: true }), 'title');
  return { title: cleaned, changed: replaced !== value };
}

/**
 * Markdown, or any text another tracker holds (terminal output with ESC sequences, backspaces,
 * C0/C1 controls, bidi characters, U+FFFD): stored as it is, except that line endings become \n
 * and trailing whitespace is dropped. At most BODY_MAX characters; NUL is refused.
 */
export function body(value: string, field = 'body', required = false): string {
  if (value.includes('\u0000')) throw validate.nulError(field);
  const cleaned = wellFormed(value.includes('\r\n') ? value.replace(/\r\n/g, '\n') : value, field).trimEnd();
  if (required && cleaned.length === 0) throw usageError(`${field} must not be empty`);
  validate.checkLength(cleaned, { field, max: BODY_MAX });
  return cleaned;
}

/** A status as typed, normalised for a lookup in the org's workflow: any case, `-` or a space for `_`. */
export const status = (value: string) => value.trim().toLowerCase().replace(/[- ]/g, '_');
export const priority = (value: string) => validate.oneOf<TicketPriority>(value, TICKET_PRIORITIES, 'priority');
/** What `ticket list` shows without --status: the unfinished tickets (categories unstarted and started). */
export const UNFINISHED: readonly string[] = UNFINISHED_CATEGORIES;

/** Labels are org-scoped names: 1-50 characters, no commas (a comma separates labels). */
export function label(value: string): string {
  const name = wellFormed(validate.text(value, { field: 'label', max: LABEL_MAX }), 'label');
  if (name.includes(',')) throw usageError(`label ${quoted(name)} contains a comma`, 'a comma separates labels: --label bug,ui');
  return name;
}

/** Repeated flags and comma-separated lists alike: ['bug,ui', 'docs'] → ['bug', 'docs', 'ui']. */
export function labelList(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map(label))].sort();
}

function listOf<T extends string>(values: readonly string[], parse: (v: string) => T): T[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map(parse))];
}

/** `@me` or an email, normalised (documents, where a name or a prefix would be a guess). */
export function assignee(value: string, tenant: Tenant): string {
  return value.trim() === '@me' ? tenant.ctx.user.email : validate.email(value, 'assignee');
}

/**
 * The members `who` may mean: one whose name or the part of the email before the @ is exactly
 * that word (any case), else those whose email or name begins with it.
 */
export function matchMembers<M extends { email: string; name: string }>(who: string, members: readonly M[]): M[] {
  const word = who.trim().toLowerCase();
  const exact = members.filter((m) => m.name.toLowerCase() === word || m.email.split('@')[0] === word);
  if (exact.length > 0) return exact;
  return members.filter((m) => m.email.startsWith(word) || m.name.toLowerCase().startsWith(word));
}

/**
 * `@me`, an email, or one member of the tenant's org by a unique email prefix or name (`bob`).
 * Only the org's members are searched, so only they can be named in an error.
 */
export async function resolveAssignee(value: string, tenant: Tenant): Promise<string> {
  const who = value.trim();
  if (who === '@me' || who.includes('@')) return assignee(who, tenant);
  validate.text(who, { field: 'assignee', max: 254 });
  const members = (await tenant.store.members.list()).map((m) => m.user);
  const found = matchMembers(who, members);
  const { slug } = tenant.ctx.org;
  if (found.length === 1) return found[0]!.email;
  if (found.length === 0) throw usageError(`no member of ${slug} matches ${quoted(who)}`, 'tkt member list shows the members; give an email');
  const names = found.slice(0, 10).map((m) => `${m.name} <${m.email}>`);
  throw usageError(`${quoted(who)} matches ${found.length} members of ${slug}: ${names.join(', ')}${found.length > 10 ? ', …' : ''}`, 'give more of the email');
}

// ---- the JSON shape of a ticket (the contract's; also what export writes and import reads) ----

export const TICKET_FIELDS = [
  'key',
  'number',
  'title',
  'body',
  'status',
  'statusCategory',
  'priority',
  'assignee',
  'reporter',
  'labels',
  'createdAt',
  'updatedAt',
  'org',
  'external',
] as const;

export type TicketField = (typeof TICKET_FIELDS)[number];

export function ticketJson(t: TicketRecord, org: OrgRecord) {
  return {
    key: t.key,
    number: t.number,
    title: t.title,
    body: t.body,
    status: t.status,
    statusCategory: t.statusCategory,
    priority: t.priority,
    assignee: t.assignee ? { email: t.assignee.email, name: t.assignee.name } : null,
    reporter: { email: t.reporter.email, name: t.reporter.name },
    labels: t.labels,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
    org: org.slug,
    external: t.external,
  } satisfies Record<TicketField, unknown>;
}

export type TicketJson = ReturnType<typeof ticketJson>;

// ---- queries ----

export interface TicketFilters {
  /** `all` (alone or among others): every status. */
  statuses?: string[];
  priorities?: string[];
  labels?: string[];
  /** E, @me or none. */
  assignee?: string;
  search?: string;
  /** Times in ms (the CLI parses --created-since and --updated-since). */
  createdSince?: number;
  updatedSince?: number;
}

/**
 * The filters with --assignee resolved to an email (a name or a prefix names one member) and
 * --status to codes of the org's own workflow (codes, categories or all).
 */
export async function resolveFilters(tenant: Tenant, filters: TicketFilters): Promise<TicketFilters> {
  const who = filters.assignee?.trim();
  const resolved = who !== undefined && who !== 'none' ? { ...filters, assignee: await resolveAssignee(who, tenant) } : { ...filters };
  if (filters.statuses !== undefined && filters.statuses.length > 0) {
    const codes = statusFilter(await currentWorkflow(tenant), filters.statuses, tenant.ctx.org.slug);
    // A category without statuses matches no ticket: '' is no status code (an empty list means all).
    resolved.statuses = codes.length === 0 && !filters.statuses.some((v) => /(^|,)\s*all\s*(,|$)/i.test(v)) ? [''] : codes;
  }
  return resolved;
}

export function ticketQuery(
  tenant: Tenant,
  filters: TicketFilters,
  order: { sort: string; descending: boolean; limit: number },
): TicketQuery {
  const who = filters.assignee?.trim();
  const query: TicketQuery = {
    // Codes already, from resolveFilters.
    statuses: [...(filters.statuses ?? [])],
    priorities: listOf(filters.priorities ?? [], priority),
    labels: labelList(filters.labels ?? []),
    sort: validate.oneOf<TicketSortField>(order.sort, TICKET_SORTS, 'sort'),
    descending: order.descending,
    limit: order.limit,
  };
  if (who !== undefined) query.assignee = who === 'none' ? 'none' : { email: assignee(who, tenant) };
  if (filters.createdSince !== undefined) query.createdSince = filters.createdSince;
  if (filters.updatedSince !== undefined) query.updatedSince = filters.updatedSince;
  if (filters.search !== undefined) query.search = searchWords(validate.text(filters.search, { field: '--search', max: SEARCH_MAX }));
  return query;
}

