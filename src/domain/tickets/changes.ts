// What a ticket write changes, decided from the ticket as the store read it inside the
// transaction: the fields that differ (from → to), whether it is a no-op, and its audit event.
import { conflict, usageError } from '../../errors.js';
import type { AuditFilter } from '../../store/ports/audit.js';
import type { AuditInput, OrgRecord } from '../../store/ports/common.js';
import type {
  AssigneeState,
  NewTicket,
  NewTicketState,
  TicketEditPlan,
  TicketPriority,
  TicketRecord,
  TicketStatus,
} from '../../store/ports/tickets.js';
import { auditEvent, IMPORT_TARGET_TYPE, TICKET_TARGET_TYPE, type AuditEvent } from '../audit-events.js';
import { ticketKey } from './rules.js';
import type { StatusRecord, WorkflowRecord } from '../../store/ports/workflow.js';
import { findStatus, forbiddenMove, mayMove } from '../workflow-rules.js';

/** An edit as the domain validated it; labels already normalised. */
export interface TicketPatch {
  title?: string;
  body?: string;
  priority?: TicketPriority;
  addLabels?: string[];
  removeLabels?: string[];
}

/** Only members can be assigned; checked again inside the transaction that assigns. */
export function assertAssigneesAreMembers(state: AssigneeState, org: OrgRecord): void {
  const [outsider] = state.nonMembers;
  if (outsider !== undefined) {
    throw usageError(`${outsider} is not a member of ${org.slug}`, 'only members can be assigned; tkt member list shows them');
  }
}

/** A status removed from the workflow between the domain's read and the write. */
export function assertStatusesExist(state: NewTicketState, org: OrgRecord): void {
  const [gone] = state.unknownStatuses;
  if (gone !== undefined) throw conflict(`status ${gone} is no longer in the workflow of ${org.slug}; nothing was written`, 'try again; tkt workflow show lists the statuses');
}

/** The event of a create, once the ticket has its number. */
export function planCreate(input: NewTicket, org: OrgRecord, state: NewTicketState): (number: number) => AuditInput {
  assertAssigneesAreMembers(state, org);
  assertStatusesExist(state, org);
  return (number) => auditEvent.ticketCreated(ticketKey(org, number), {
    title: input.title,
    status: input.status,
    priority: input.priority,
    assignee: input.assigneeEmail,
    labels: input.labels,
  });
}

/** null when the patch changes nothing the ticket does not already have. */
export function planEdit(before: TicketRecord, patch: TicketPatch): TicketEditPlan | null {
  const set: TicketEditPlan['set'] = {};
  const details: Extract<AuditEvent, { action: 'ticket.edit' }>['details'] = {};
  if (patch.title !== undefined && patch.title !== before.title) {
    set.title = patch.title;
    details.title = { from: before.title, to: patch.title };
  }
  if (patch.body !== undefined && patch.body !== before.body) {
    set.body = patch.body;
    details.body = 'changed';
  }
  if (patch.priority !== undefined && patch.priority !== before.priority) {
    set.priority = patch.priority;
    details.priority = { from: before.priority, to: patch.priority };
  }
  const addLabels = [...new Set(patch.addLabels ?? [])].filter((l) => !before.labels.includes(l));
  const removeLabels = [...new Set(patch.removeLabels ?? [])].filter((l) => before.labels.includes(l));
  if (addLabels.length > 0) details.addedLabels = addLabels;
  if (removeLabels.length > 0) details.removedLabels = removeLabels;
  if (Object.keys(details).length === 0) return null;
  return { set, addLabels, removeLabels, audit: auditEvent.ticketEdited(before.key, details) };
}

/** null email: unassign. null plan: it already is so. */
export function planAssignment(email: string | null, org: OrgRecord, state: AssigneeState & { ticket: TicketRecord }): AuditInput | null {
  assertAssigneesAreMembers(state, org);
  const { ticket } = state;
  const previous = ticket.assignee?.email ?? null;
  if (previous === email) return null;
  return email !== null ? auditEvent.ticketAssigned(ticket.key, email, previous) : auditEvent.ticketUnassigned(ticket.key, previous);
}

/**
 * A move to `to` (null: this ticket stays, as close does with a ticket already completed). The
 * org's transition rules must allow it, unless `force` (whose holder of workflow:manage the
 * caller has checked): the event then says it was forced.
 */
export function planMove(
  before: TicketRecord,
  wf: WorkflowRecord,
  to: StatusRecord | null,
  force = false,
): { status: TicketStatus; audit: AuditInput } | null {
  if (to === null || before.status === to.code) return null;
  const allowed = mayMove(wf, before.status, to.code);
  if (!allowed && !force) throw forbiddenMove(before.key, wf, before.status, to.code);
  const from = findStatus(wf, before.status) ?? { code: before.status, name: before.status };
  return { status: to.code, audit: auditEvent.ticketMoved(before.key, from, to, { forced: !allowed }) };
}

/**
 * One event for the whole import, with the range of keys it numbered (a ticket's history finds it
 * by that range), once the first number is known.
 */
export function planImport(org: OrgRecord, state: NewTicketState & { count: number }): (firstNumber: number) => AuditInput {
  assertAssigneesAreMembers(state, org);
  assertStatusesExist(state, org);
  return (firstNumber) => {
    const lastNumber = firstNumber + state.count - 1;
    return auditEvent.ticketsImported(ticketKey(org, firstNumber), ticketKey(org, lastNumber), firstNumber, lastNumber);
  };
}

type ImportEvent = Extract<AuditEvent, { action: 'ticket.import' }>;

/** Where a ticket's history is: its own events, and the import whose key range holds its number. */
export function historyFilter(ticket: TicketRecord, org: OrgRecord): Pick<AuditFilter, 'target' | 'alsoCovering'> {
  return {
    target: { type: TICKET_TARGET_TYPE, id: ticket.key },
    alsoCovering: {
      action: 'ticket.import' satisfies ImportEvent['action'],
      targetType: IMPORT_TARGET_TYPE,
      targetPrefix: `${org.ticketKey}-`,
      from: 'firstNumber' satisfies keyof ImportEvent['details'],
      to: 'lastNumber' satisfies keyof ImportEvent['details'],
      number: ticket.number,
    },
  };
}
