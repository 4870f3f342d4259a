// Ticket use cases: plain inputs (as typed) and a Tenant in, records out. Every ticket is reached
// by its number inside the tenant's org; a key naming another org is simply not found.
import { currentWorkflow } from '../workflow.js';
import { usageError } from '../../errors.js';
import type { AuditEventRecord } from '../../store/ports/audit.js';
import type { Decide } from '../../store/ports/common.js';
import type { CommentRecord, TicketChange, TicketRecord, TicketState } from '../../store/ports/tickets.js';
import type { StatusRecord, WorkflowRecord } from '../../store/ports/workflow.js';
import { defaultStatus, existingStatus, firstOf, mayMove } from '../workflow-rules.js';
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
 * The decide of a write on a ticket: the actor as re-read in the transaction must still hold
 * `permission` (checked first, so a removed member learns nothing about the ticket), then the
 * ticket must exist; `plan` judges the rest.
 */
function onTicket<P>(tenant: Tenant, permission: Permission, plan: (ticket: TicketRecord) => P): Decide<TicketState, P> {
  const { org } = tenant.ctx;
  return (state) => {
    assertStillPermitted(state.actor, org, permission);
    return plan(found(state.ticket, () => ticketNotFound(ticketKey(org, state.number), org)));
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
    status: defaultStatus(await currentWorkflow(tenant)).code,
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

// The writes below take many keys and write them in ONE transaction (all or nothing); the first
// key that is missing in this org is the one the error names. The single-key forms are the same
// write with one key.

/** The numbers of `keys` inside the tenant's org, each once, in the order given. */
function ticketNumbers(tenant: Tenant, keys: readonly string[]): number[] {
  if (keys.length === 0) throw usageError('no ticket given', 'name one or more tickets, or - to read their keys from stdin');
  return [...new Set(keys.map((key) => parseTicketKey(key, tenant.ctx.org)))];
}

const only = <T>([first]: T[]): T => first!;

export async function editTickets(tenant: Tenant, keys: readonly string[], input: EditInput): Promise<TicketChange[]> {
  assertPermission(tenant.ctx, 'ticket:update');
  const numbers = ticketNumbers(tenant, keys);
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
  return tenant.store.tickets.edit(numbers, onTicket(tenant, 'ticket:update', (before) => planEdit(before, patch)));
}

export async function editTicket(tenant: Tenant, key: string, input: EditInput): Promise<TicketChange> {
  return only(await editTickets(tenant, [key], input));
}

async function setAssignee(tenant: Tenant, numbers: number[], email: string | null): Promise<TicketChange[]> {
  const { org } = tenant.ctx;
  return tenant.store.tickets.setAssignee(numbers, email, (state) =>
    onTicket(tenant, 'ticket:assign', (ticket) => planAssignment(email, org, { ticket, nonMembers: state.nonMembers }))(state),
  );
}

export async function assignTickets(tenant: Tenant, keys: readonly string[], who: string): Promise<TicketChange[]> {
  assertPermission(tenant.ctx, 'ticket:assign');
  const numbers = ticketNumbers(tenant, keys);
  return setAssignee(tenant, numbers, await resolveAssignee(who, tenant));
}

export async function assignTicket(tenant: Tenant, key: string, who: string): Promise<TicketChange> {
  return only(await assignTickets(tenant, [key], who));
}

export async function unassignTickets(tenant: Tenant, keys: readonly string[]): Promise<TicketChange[]> {
  assertPermission(tenant.ctx, 'ticket:assign');
  return setAssignee(tenant, ticketNumbers(tenant, keys), null);
}

export async function unassignTicket(tenant: Tenant, key: string): Promise<TicketChange> {
  return only(await unassignTickets(tenant, [key]));
}

type Target = (before: TicketRecord, wf: WorkflowRecord) => StatusRecord | null;

async function setStatus(tenant: Tenant, numbers: number[], target: Target, force = false): Promise<TicketChange[]> {
  const { org } = tenant.ctx;
  return tenant.store.tickets.setStatus(numbers, (state) =>
    onTicket(tenant, 'ticket:update', (before) => {
      const to = target(before, state.workflow);
      // The override is only for those who may change the workflow itself, checked again here.
      const forced = force && to !== null && !mayMove(state.workflow, before.status, to.code);
      if (forced) assertStillPermitted(state.actor, org, 'workflow:manage');
      return planMove(before, state.workflow, to, forced);
    })(state),
  );
}

/**
 * To `to`, a status of the org's workflow (exit 2 naming the valid ones otherwise), as its
 * transition rules allow (exit 6 naming the allowed targets); `force` (holders of workflow:manage)
 * overrides the rules, and the event says so.
 */
export async function moveTickets(tenant: Tenant, keys: readonly string[], to: string, opts: { force?: boolean } = {}): Promise<TicketChange[]> {
  assertPermission(tenant.ctx, 'ticket:update');
  if (opts.force) assertPermission(tenant.ctx, 'workflow:manage');
  const numbers = ticketNumbers(tenant, keys);
  // Looked up inside the transaction, after the actor's re-check: someone removed meanwhile does
  // not learn the org's statuses from the error.
  return setStatus(tenant, numbers, (_before, wf) => existingStatus(wf, to, tenant.ctx.org.slug), opts.force === true);
}

export async function moveTicket(tenant: Tenant, key: string, to: string): Promise<TicketChange> {
  return only(await moveTickets(tenant, [key], to));
}

/** To the first completed status; a ticket already completed stays as it is. */
export async function closeTickets(tenant: Tenant, keys: readonly string[]): Promise<TicketChange[]> {
  assertPermission(tenant.ctx, 'ticket:update');
  return setStatus(tenant, ticketNumbers(tenant, keys), (before, wf) => {
    if (before.statusCategory === 'completed') return null;
    const done = firstOf(wf, 'completed');
    if (!done) throw usageError(`${tenant.ctx.org.slug} has no completed status to close tickets to`, 'tkt workflow status add <code> --category completed');
    return done;
  });
}

/** Back to the first unstarted status, but only from a completed or canceled one (a ticket in progress stays). */
export async function reopenTickets(tenant: Tenant, keys: readonly string[]): Promise<TicketChange[]> {
  assertPermission(tenant.ctx, 'ticket:update');
  return setStatus(tenant, ticketNumbers(tenant, keys), (before, wf) =>
    before.statusCategory === 'completed' || before.statusCategory === 'canceled' ? (firstOf(wf, 'unstarted') ?? defaultStatus(wf)) : null,
  );
}

export async function reopenTicket(tenant: Tenant, key: string): Promise<TicketChange> {
  return only(await reopenTickets(tenant, [key]));
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
    onTicket(tenant, 'ticket:comment', (ticket) => (commentId: number) => auditEvent.ticketCommented(ticket.key, commentId)),
  );
}

/** Looks the tickets up, asks `confirm` (a prompt, or -y), then deletes them with their comments. */
export async function deleteTickets(
  tenant: Tenant,
  keys: readonly string[],
  confirm: (tickets: TicketRecord[]) => Promise<boolean>,
): Promise<TicketRecord[]> {
  assertPermission(tenant.ctx, 'ticket:delete');
  const numbers = ticketNumbers(tenant, keys);
  const found: TicketRecord[] = [];
  for (const number of numbers) found.push(await orMissing(tenant, number, tenant.store.tickets.findByNumber(number)));
  if (!(await confirm(found))) throw usageError('cancelled; nothing was deleted');
  return tenant.store.tickets.delete(numbers, onTicket(tenant, 'ticket:delete', (t) => auditEvent.ticketDeleted(t.key, t.title)));
}

export async function deleteTicket(tenant: Tenant, key: string, confirm: (ticket: TicketRecord) => Promise<boolean>): Promise<TicketRecord> {
  return only(await deleteTickets(tenant, [key], ([ticket]) => confirm(ticket!)));
}
