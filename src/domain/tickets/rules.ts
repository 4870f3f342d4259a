// Ticket fields, keys and queries: what a typed value must be, and how a ticket is written out.
import { quoted } from '../../lib/text.js';
import { notFound, usageError } from '../../errors.js';
import type { OrgRecord } from '../../store/ports/common.js';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketQuery,
  type TicketRecord,
  type TicketSortField,
  type TicketStatus,
} from '../../store/ports/tickets.js';
import type { Tenant } from '../guard.js';
import * as validate from '../validate.js';
import { searchWords } from './search.js';

export const TITLE_MAX = 200;
export const BODY_MAX_BYTES = 64 * 1024;
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
  if (prefix !== org.ticketKey || number < 1) throw ticketNotFound(`${prefix}-${number}`, org);
  return number;
}

/** `<ORGKEY>-<number>`. */
export function ticketKey(org: OrgRecord, number: number): string {
  return `${org.ticketKey}-${number}`;
}

export function ticketNotFound(key: string, org: OrgRecord) {
  return notFound(`ticket ${key} not found in ${org.slug}`, `tkt ticket list shows the tickets of ${org.slug}`);
}

// ---- field rules ----

/** JSON input can carry "\ud800" escapes: text that no UTF-8 file could hold. */
function wellFormed(value: string, field: string): string {
  if (/\p{Cs}/u.test(value)) throw usageError(`${field} contains an unpaired surrogate (not valid Unicode)`);
  return value;
}

export function title(value: string): string {
  return wellFormed(validate.text(value, { field: 'title', max: TITLE_MAX }), 'title');
}

/** Markdown: line endings normalised to \n, trailing whitespace dropped, at most 64 KiB of UTF-8. */
export function body(value: string, field = 'body', required = false): string {
  const cleaned = wellFormed(validate.text(value, { field, max: BODY_MAX_BYTES, min: 0, multiline: true }), field).trimEnd();
  if (required && cleaned.length === 0) throw usageError(`${field} must not be empty`);
  const bytes = Buffer.byteLength(cleaned, 'utf8');
  if (bytes > BODY_MAX_BYTES) throw usageError(`${field} is too long (${bytes} bytes, at most 64 KiB)`);
  return cleaned;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.trim();
  if (!(allowed as readonly string[]).includes(v)) {
    throw usageError(`unknown ${what} ${quoted(value)}`, `valid ${what} values: ${allowed.join(', ')}`);
  }
  return v as T;
}

export const status = (value: string) => oneOf<TicketStatus>(value, TICKET_STATUSES, 'status');
export const priority = (value: string) => oneOf<TicketPriority>(value, TICKET_PRIORITIES, 'priority');

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

/** `@me` or a member's email, normalised. */
export function assignee(value: string, tenant: Tenant): string {
  return value.trim() === '@me' ? tenant.ctx.user.email : validate.email(value, 'assignee');
}

// ---- the JSON shape of a ticket (the contract's; also what export writes and import reads) ----

export const TICKET_FIELDS = [
  'key',
  'number',
  'title',
  'body',
  'status',
  'priority',
  'assignee',
  'reporter',
  'labels',
  'createdAt',
  'updatedAt',
  'org',
] as const;

export type TicketField = (typeof TICKET_FIELDS)[number];

export function ticketJson(t: TicketRecord, org: OrgRecord) {
  return {
    key: t.key,
    number: t.number,
    title: t.title,
    body: t.body,
    status: t.status,
    priority: t.priority,
    assignee: t.assignee ? { email: t.assignee.email, name: t.assignee.name } : null,
    reporter: { email: t.reporter.email, name: t.reporter.name },
    labels: t.labels,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
    org: org.slug,
  } satisfies Record<TicketField, unknown>;
}

export type TicketJson = ReturnType<typeof ticketJson>;

// ---- queries ----

export interface TicketFilters {
  statuses?: string[];
  priorities?: string[];
  labels?: string[];
  /** E, @me or none. */
  assignee?: string;
  search?: string;
}

export function ticketQuery(
  tenant: Tenant,
  filters: TicketFilters,
  order: { sort: string; descending: boolean; limit: number },
): TicketQuery {
  const who = filters.assignee?.trim();
  const query: TicketQuery = {
    statuses: listOf(filters.statuses ?? [], status),
    priorities: listOf(filters.priorities ?? [], priority),
    labels: labelList(filters.labels ?? []),
    sort: oneOf<TicketSortField>(order.sort, TICKET_SORTS, 'sort'),
    descending: order.descending,
    limit: order.limit,
  };
  if (who !== undefined) query.assignee = who === 'none' ? 'none' : { email: assignee(who, tenant) };
  if (filters.search !== undefined) query.search = searchWords(validate.text(filters.search, { field: '--search', max: SEARCH_MAX }));
  return query;
}

