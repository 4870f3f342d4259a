// Ticket use cases: plain inputs (as typed) and a Tenant in, records out. Every ticket is reached
// by its number inside the tenant's org; a key naming another org is simply not found.
import { usageError } from '../../errors.js';
import type { AuditEventRecord } from '../../store/ports/audit.js';
import type { Decide } from '../../store/ports/common.js';
import type { CommentRecord, TicketChange, TicketRecord, TicketState, TicketStatus } from '../../store/ports/tickets.js';
import { auditEvent } from '../audit-events.js';
import { found } from '../found.js';
import { assertPermission, assertStillPermitted, type Tenant } from '../guard.js';
import type { Permission } from '../permissions.js';
import { historyFilter, planAssignment, planCreate, planEdit, planMove } from './changes.js';
import {
  body,
  DEFAULT_LIST_LIMIT,
  labelList,
  parseTicketKey,
  priority,
  status,
  ticketKey,
  ticketNotFound,
  resolveAssignee,
  resolveFilters,
  ticketQuery,
  title,
  type TicketFilters,
} from './rules.js';

async function orMissing<T>(tenant: Tenant, number: number, found: Promise<T | null>): Promise<T> {
  const value = await found;
  if (value === null) throw ticketNotFound(ticketKey(tenant.ctx.org, number), tenant.ctx.org);
  return value;
}

/**
 * The decide of a write on ticket `number`: the actor as re-read in the transaction must still
 * hold `permission` (checked first, so a removed member learns nothing about the ticket), then
 * the ticket must exist; `plan` judges the rest.
 */
function onTicket<P>(tenant: Tenant, number: number, permission: Permission, plan: (ticket: TicketRecord) => P): Decide<TicketState, P> {
  const { org } = tenant.ctx;
  return (state) => {
    assertStillPermitted(state.actor, org, permission);
    return plan(found(state.ticket, () => ticketNotFound(ticketKey(org, number), org)));
  };
}

export interface CreateInput {
  title: string;
  body?: string;
  priority?: string;
  assignee?: string;
  labels?: string[];
}

export async function createTicket(tenant: Tenant, input: CreateInput): Promise<TicketRecord> {
  assertPermission(tenant.ctx, 'ticket:create');
  const draft = {
    title: title(input.title),
    body: input.body !== undefined ? body(input.body) : '',
    status: 'open' as const,
    priority: input.priority !== undefined ? priority(input.priority) : 'none',
    assigneeEmail: input.assignee !== undefined ? await resolveAssignee(input.assignee, tenant) : null,
    labels: labelList(input.labels ?? []),
  };
  const { org } = tenant.ctx;
  return tenant.store.tickets.create(draft, (state) => {
    assertStillPermitted(state.actor, org, 'ticket:create');
    return planCreate(draft, org, state);
  });
}

/** Newest first (or most urgent, most recently updated…); `limit` 0 for all. */
export async function listTickets(
  tenant: Tenant,
  filters: TicketFilters,
  order: { sort?: string; limit?: number; page?: number } = {},
): Promise<TicketRecord[]> {
  return (await listTicketPage(tenant, filters, order, false)).tickets;
}

/** A page of `listTickets` (`page` from 1, of `limit` tickets) and, when asked, how many match in all. */
export async function listTicketPage(
  tenant: Tenant,
  filters: TicketFilters,
  order: { sort?: string; limit?: number; page?: number },
  withTotal: boolean,
): Promise<{ tickets: TicketRecord[]; total: number | undefined }> {
  assertPermission(tenant.ctx, 'ticket:read');
  const resolved = await resolveFilters(tenant, filters);
  const limit = order.limit ?? DEFAULT_LIST_LIMIT;
  const query = ticketQuery(tenant, resolved, { sort: order.sort ?? 'number', descending: true, limit });
  if (limit > 0 && order.page !== undefined && order.page > 1) query.offset = (order.page - 1) * limit;
  const tickets = await tenant.store.tickets.list(query);
  return { tickets, total: withTotal ? await tenant.store.tickets.count(query) : undefined };
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
  const history = await tenant.store.audit.list({ ...historyFilter(ticket, tenant.ctx.org), chronological: true, limit: 0 });
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
  return tenant.store.tickets.edit(number, onTicket(tenant, number, 'ticket:update', (before) => planEdit(before, patch)));
}

async function setAssignee(tenant: Tenant, number: number, email: string | null): Promise<TicketChange> {
  const { org } = tenant.ctx;
  return tenant.store.tickets.setAssignee(number, email, (state) =>
    onTicket(tenant, number, 'ticket:assign', (ticket) => planAssignment(email, org, { ticket, nonMembers: state.nonMembers }))(state),
  );
}

export async function assignTicket(tenant: Tenant, key: string, who: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:assign');
  const number = parseTicketKey(key, tenant.ctx.org);
  return setAssignee(tenant, number, await resolveAssignee(who, tenant));
}

export async function unassignTicket(tenant: Tenant, key: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:assign');
  const number = parseTicketKey(key, tenant.ctx.org);
  return setAssignee(tenant, number, null);
}

async function setStatus(tenant: Tenant, number: number, to: TicketStatus, onlyFrom?: readonly TicketStatus[]): Promise<TicketChange> {
  return tenant.store.tickets.setStatus(number, onTicket(tenant, number, 'ticket:update', (before) => planMove(before, to, onlyFrom)));
}

export async function moveTicket(tenant: Tenant, key: string, to: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:update');
  const number = parseTicketKey(key, tenant.ctx.org);
  return setStatus(tenant, number, status(to));
}

/** Back to open, but only from done or canceled (a ticket in progress stays in progress). */
export async function reopenTicket(tenant: Tenant, key: string): Promise<TicketChange> {
  assertPermission(tenant.ctx, 'ticket:update');
  const number = parseTicketKey(key, tenant.ctx.org);
  return setStatus(tenant, number, 'open', ['done', 'canceled']);
}

export async function commentOnTicket(
  tenant: Tenant,
  key: string,
  text: string,
): Promise<{ ticket: TicketRecord; comment: CommentRecord }> {
  assertPermission(tenant.ctx, 'ticket:comment');
  const number = parseTicketKey(key, tenant.ctx.org);
  const comment = body(text, 'comment', true);
  return tenant.store.tickets.addComment(
    number,
    comment,
    onTicket(tenant, number, 'ticket:comment', (ticket) => (commentId: number) => auditEvent.ticketCommented(ticket.key, commentId)),
  );
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
  return tenant.store.tickets.delete(number, onTicket(tenant, number, 'ticket:delete', (t) => auditEvent.ticketDeleted(t.key, t.title)));
}
