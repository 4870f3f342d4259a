// `ticket import --on-duplicate update`: what writing an imported record over the ticket of its
// origin records in the audit log, decided from the ticket as the store read it in the transaction.
import type { AuditInput, OrgRecord } from '../../store/ports/common.js';
import type { NewTicket, TicketRecord } from '../../store/ports/tickets.js';
import type { WorkflowRecord } from '../../store/ports/workflow.js';
import { findStatus } from '../workflow-rules.js';
import { auditEvent } from '../audit-events.js';
import { ticketKey } from './rules.js';

/** The events of an overwrite: an edit (title, body, priority, labels), a move, an (un)assignment; none when nothing differs. */
export function planOverwrite(org: OrgRecord, workflow: WorkflowRecord, before: TicketRecord, after: NewTicket): AuditInput[] {
  const status = (code: string) => ({ code, name: findStatus(workflow, code)?.name ?? code });
  const key = ticketKey(org, before.number);
  const events: AuditInput[] = [];
  const addedLabels = after.labels.filter((l) => !before.labels.includes(l));
  const removedLabels = before.labels.filter((l) => !after.labels.includes(l));
  const edit = {
    ...(before.title !== after.title ? { title: { from: before.title, to: after.title } } : {}),
    ...(before.body !== after.body ? { body: 'changed' as const } : {}),
    ...(before.priority !== after.priority ? { priority: { from: before.priority, to: after.priority } } : {}),
    ...(addedLabels.length > 0 ? { addedLabels } : {}),
    ...(removedLabels.length > 0 ? { removedLabels } : {}),
  };
  if (Object.keys(edit).length > 0) events.push(auditEvent.ticketEdited(key, edit));
  if (before.status !== after.status) events.push(auditEvent.ticketMoved(key, status(before.status), status(after.status)));
  const was = before.assignee?.email ?? null;
  if (was !== after.assigneeEmail) {
    events.push(after.assigneeEmail !== null ? auditEvent.ticketAssigned(key, after.assigneeEmail, was) : auditEvent.ticketUnassigned(key, was));
  }
  return events;
}
