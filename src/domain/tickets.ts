// Ticket use cases: plain inputs (as typed) and a Tenant in, records out. Every ticket is reached
// by its number inside the tenant's org; a key naming another org is simply not found.
import { notFound, usageError } from '../errors.js';
import type { AuditEventRecord } from '../store/ports/audit.js';
import type { OrgRecord } from '../store/ports/common.js';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type CommentRecord,
  type TicketChange,
  type TicketPriority,
  type TicketQuery,
  type TicketRecord,
  type TicketSortField,
  type TicketStatus,
} from '../store/ports/tickets.js';
import { assertPermission, type Tenant } from './guard.js';
import * as validate from './validate.js';

export const TITLE_MAX = 200;
export const BODY_MAX_BYTES = 64 * 1024;
export const LABEL_MAX = 50;
export const SEARCH_MAX = 500;
export const DEFAULT_LIST_LIMIT = 30;
export const TICKET_SORTS: readonly TicketSortField[] = ['number', 'created', 'updated', 'priority'];

/** A value the person typed, for a message: quoted and cut short (the CLI escapes what is unprintable). */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
}

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

export function ticketNotFound(key: string, org: OrgRecord) {
  return notFound(`ticket ${key} not found in ${org.slug}`, `tkt ticket list shows the tickets of ${org.slug}`);
}

async function orMissing<T>(tenant: Tenant, number: number, found: Promise<T | null>): Promise<T> {
  const value = await found;
  if (value === null) throw ticketNotFound(`${tenant.ctx.org.ticketKey}-${number}`, tenant.ctx.org);
  return value;
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

// ---- use cases ----

export interface CreateInput {
  title: string;
  body?: string;
  priority?: string;
  assignee?: string;
  labels?: string[];
}

export async function createTicket(tenant: Tenant, input: CreateInput): Promise<TicketRecord> {
  assertPermission(tenant.ctx, 'ticket:create');
  return tenant.store.tickets.create({
    title: title(input.title),
    body: input.body !== undefined ? body(input.body) : '',
    status: 'open',
    priority: input.priority !== undefined ? priority(input.priority) : 'none',
    assigneeEmail: input.assignee !== undefined ? assignee(input.assignee, tenant) : null,
    labels: labelList(input.labels ?? []),
  });
}

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
  if (filters.search !== undefined) query.search = validate.text(filters.search, { field: '--search', max: SEARCH_MAX });
  return query;
}

/** Newest first (or most urgent, most recently updated…); `limit` 0 for all. */
export async function listTickets(
  tenant: Tenant,
  filters: TicketFilters,
  order: { sort?: string; limit?: number } = {},
): Promise<TicketRecord[]> {
  assertPermission(tenant.ctx, 'ticket:read');
  return tenant.store.tickets.list(
    ticketQuery(tenant, filters, { sort: order.sort ?? 'number', descending: true, limit: order.limit ?? DEFAULT_LIST_LIMIT }),
  );
}

export async function getTicket(tenant: Tenant, key: string): Promise<TicketRecord> {
  assertPermission(tenant.ctx, 'ticket:read');
  const number = parseTicketKey(key, tenant.ctx.org);
  return orMissing(tenant, number, tenant.store.tickets.findByNumber(number));
}

export interface TicketDetails {
  ticket: TicketRecord;
  comments: CommentRecord[];
  /** Every audit event about this ticket, oldest first. */
  history: AuditEventRecord[];
}

export async function viewTicket(tenant: Tenant, key: string): Promise<TicketDetails> {
  const ticket = await getTicket(tenant, key);
  const comments = await orMissing(tenant, ticket.number, tenant.store.tickets.comments(ticket.number));
  const history = await tenant.store.audit.list({
    target: { type: 'ticket', id: ticket.key },
    chronological: true,
    limit: 0,
  });
  return { ticket, comments, history };
}

export interface EditInput {
  title?: string;
  body?: string;
  priority?: string;
  addLabels?: string[];
  removeLabels?: string[];
}

export async function editTicket(tenant: Tenant, key: string, input: EditInput): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:update');
  const number = parseTicketKey(key, tenant.ctx.org);
  const addLabels = labelList(input.addLabels ?? []);
  const removeLabels = labelList(input.removeLabels ?? []);
  const both = addLabels.filter((l) => removeLabels.includes(l));
  if (both.length > 0) throw usageError(`label ${both.join(', ')} is both added and removed`);
  const patch = {
    ...(input.title !== undefined ? { title: title(input.title) } : {}),
    ...(input.body !== undefined ? { body: body(input.body) } : {}),
    ...(input.priority !== undefined ? { priority: priority(input.priority) } : {}),
    ...(addLabels.length > 0 ? { addLabels } : {}),
    ...(removeLabels.length > 0 ? { removeLabels } : {}),
  };
  if (Object.keys(patch).length === 0) {
    throw usageError('nothing to change', 'pass --title, --body, --body-file, --priority, --add-label or --remove-label');
  }
  return orMissing(tenant, number, tenant.store.tickets.edit(number, patch));
}

export async function assignTicket(tenant: Tenant, key: string, who: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:assign');
  const number = parseTicketKey(key, tenant.ctx.org);
  return orMissing(tenant, number, tenant.store.tickets.setAssignee(number, assignee(who, tenant)));
}

export async function unassignTicket(tenant: Tenant, key: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:assign');
  const number = parseTicketKey(key, tenant.ctx.org);
  return orMissing(tenant, number, tenant.store.tickets.setAssignee(number, null));
}

export async function moveTicket(tenant: Tenant, key: string, to: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:update');
  const number = parseTicketKey(key, tenant.ctx.org);
  return orMissing(tenant, number, tenant.store.tickets.setStatus(number, status(to)));
}

/** Back to open, but only from done or canceled (a ticket in progress stays in progress). */
export async function reopenTicket(tenant: Tenant, key: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:update');
  const number = parseTicketKey(key, tenant.ctx.org);
  return orMissing(tenant, number, tenant.store.tickets.setStatus(number, 'open', ['done', 'canceled']));
}

export async function commentOnTicket(
  tenant: Tenant,
  key: string,
  text: string,
): Promise<{ ticket: TicketRecord; comment: CommentRecord }> {
  assertPermission(tenant.ctx, 'ticket:comment');
  const number = parseTicketKey(key, tenant.ctx.org);
  return orMissing(tenant, number, tenant.store.tickets.addComment(number, body(text, 'comment', true)));
}

/** Looks the ticket up, asks `confirm` (a prompt, or -y), then deletes it with its comments. */
export async function deleteTicket(
  tenant: Tenant,
  key: string,
  confirm: (ticket: TicketRecord) => Promise<boolean>,
): Promise<TicketRecord> {
  assertPermission(tenant.ctx, 'ticket:delete');
  const number = parseTicketKey(key, tenant.ctx.org);
  const ticket = await orMissing(tenant, number, tenant.store.tickets.findByNumber(number));
  if (!(await confirm(ticket))) throw usageError('cancelled; nothing was deleted');
  return orMissing(tenant, number, tenant.store.tickets.delete(number));
}
