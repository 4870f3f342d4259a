// Every audit event tkt writes: its action, target type, target and details, built here and only
// here. A store writes exactly what it is handed (AuditInput) and never names an action. The
// order of the keys in each details object is the order they are stored and shown in.
import type { AuditEventRecord } from '../store/ports/audit.js';
import type { AuditInput, RoleRecord } from '../store/ports/common.js';
import type { TicketPriority, TicketStatus } from '../store/ports/tickets.js';
import type { StatusCategory } from '../store/ports/workflow.js';

type Event<A extends string, T extends string, D> = { action: A; targetType: T; target: string; details: D };

type FromTo<T> = { from: T; to: T };

export type AuditEvent =
  | Event<'org.create', 'org', { name: string; key: string }>
  | Event<'org.rename', 'org', FromTo<string>>
  | Event<'org.transfer', 'member', { from: string; previousRole: string; formerOwnerRole: string }>
  | Event<'member.role', 'member', FromTo<string> & { reason?: string }>
  | Event<'member.remove' | 'member.leave', 'member', { role: string; unassignedTickets: string[] }>
  | Event<'role.create', 'role', { name: string; permissions: string[] }>
  | Event<'role.edit', 'role', { name?: FromTo<string>; permissions?: FromTo<string[]> }>
  | Event<'role.delete', 'role', { name: string; permissions: string[]; reassignedTo?: string; reassigned?: number }>
  | Event<'invite.create', 'invitation', { email: string; role: string; expiresAt: string }>
  | Event<'invite.revoke', 'invitation', { email: string; role: string } | { email: string; reason: 'replaced'; replacedBy: number }>
  | Event<'invite.void', 'invitation', { email: string; role: string; reason: string }>
  | Event<'invite.accept', 'invitation', { email: string; role: string }>
  | Event<
      'ticket.create',
      'ticket',
      { title: string; status: TicketStatus; priority: TicketPriority; assignee: string | null; labels: string[] }
    >
  | Event<
      'ticket.edit',
      'ticket',
      {
        title?: FromTo<string>;
        body?: 'changed';
        priority?: FromTo<TicketPriority>;
        addedLabels?: string[];
        removedLabels?: string[];
      }
    >
  | Event<'ticket.assign', 'ticket', { assignee: string; previous: string | null }>
  | Event<'ticket.unassign', 'ticket', { previous: string | null }>
  | Event<
      'ticket.move',
      'ticket',
      // The names too, as they were then: the history reads the same after a rename or a removal.
      FromTo<TicketStatus> & { fromName?: string; toName?: string; forced?: true; via?: 'workflow.status.remove' | 'workflow.reset' }
    >
  | Event<'ticket.comment', 'ticket', { commentId: number }>
  | Event<'ticket.delete', 'ticket', { title: string }>
  | Event<'attachment.add', 'ticket', { id: number; name: string; size: number; type: string; sha256: string }>
  | Event<'attachment.delete', 'ticket', { id: number; name: string; size: number; uploader: string }>
  | Event<'org.attachment-quota', 'org', FromTo<number | null>>
  | Event<'org.import', 'org', { from: string; format: number; tickets: number; attachments: number; events: number }>
  | Event<'ticket.import', typeof IMPORT_TARGET_TYPE, { count: number; first: string; last: string; firstNumber: number; lastNumber: number }>
  | Event<'workflow.status.add', 'status', { name: string; category: StatusCategory; position: number; default?: true }>
  | Event<'workflow.status.rename', 'status', { name?: FromTo<string>; default?: true }>
  | Event<'workflow.status.remove', 'status', { name: string; category: StatusCategory; movedTo: string | null; movedToName: string | null; moved: number }>
  | Event<'workflow.status.reorder', 'workflow', FromTo<string[]>>
  | Event<'workflow.transition.allow' | 'workflow.transition.deny', 'transition', { from: string; to: string; fromName: string; toName: string; previous: 'allowed' | 'denied' | null }>
  | Event<'workflow.reset', 'workflow', { statuses: string[]; transitions: number; moved: number }>;

export type AuditAction = AuditEvent['action'];

/** Every action, in the order the README lists them. */
export const AUDIT_ACTIONS = [
  'org.create',
  'org.rename',
  'org.transfer',
  'member.role',
  'member.remove',
  'member.leave',
  'role.create',
  'role.edit',
  'role.delete',
  'invite.create',
  'invite.revoke',
  'invite.void',
  'invite.accept',
  'ticket.create',
  'ticket.edit',
  'ticket.assign',
  'ticket.unassign',
  'ticket.move',
  'ticket.comment',
  'ticket.delete',
  'ticket.import',
  'attachment.add',
  'attachment.delete',
  'org.attachment-quota',
  'org.import',
  'workflow.status.add',
  'workflow.status.rename',
  'workflow.status.remove',
  'workflow.status.reorder',
  'workflow.transition.allow',
  'workflow.transition.deny',
  'workflow.reset',
] as const satisfies readonly AuditAction[];

// A compile-time check that the list above names every action of the union.
type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
const everyActionListed: [Missing] extends [never] ? true : Missing = true;
void everyActionListed;

/** The target type of a ticket's own events (the target is its key). */
export const TICKET_TARGET_TYPE = 'ticket';
/**
 * An import writes one event for all its tickets: this target type, the key range as target, and
 * firstNumber/lastNumber in its details, by which a ticket's history finds it.
 */
export const IMPORT_TARGET_TYPE = 'tickets';

/** The event as the store takes it: typed details become a plain record. */
function input(event: AuditEvent): AuditInput {
  return event as AuditInput;
}

// ---- builders, one per action ----

export const auditEvent = {
  orgCreated: (org: { slug: string; name: string; ticketKey: string }) =>
    input({ action: 'org.create', targetType: 'org', target: org.slug, details: { name: org.name, key: org.ticketKey } }),
  orgRenamed: (slug: string, from: string, to: string) =>
    input({ action: 'org.rename', targetType: 'org', target: slug, details: { from, to } }),
  orgTransferred: (to: { email: string; previousRole: string }, fromEmail: string, formerOwnerRole: string) =>
    input({
      action: 'org.transfer',
      targetType: 'member',
      target: to.email,
      details: { from: fromEmail, previousRole: to.previousRole, formerOwnerRole },
    }),
  memberRoleChanged: (email: string, from: string, to: string, reason?: string) =>
    input({
      action: 'member.role',
      targetType: 'member',
      target: email,
      details: { from, to, ...(reason !== undefined ? { reason } : {}) },
    }),
  membershipEnded: (how: 'member.remove' | 'member.leave', email: string, role: string, unassignedTickets: string[]) =>
    input({ action: how, targetType: 'member', target: email, details: { role, unassignedTickets } }),
  roleCreated: (role: { code: string; name: string; permissions: string[] }) =>
    input({ action: 'role.create', targetType: 'role', target: role.code, details: { name: role.name, permissions: role.permissions } }),
  roleEdited: (code: string, details: Extract<AuditEvent, { action: 'role.edit' }>['details']) =>
    input({ action: 'role.edit', targetType: 'role', target: code, details }),
  roleDeleted: (role: RoleRecord, reassigned: { to: string; count: number } | null) =>
    input({
      action: 'role.delete',
      targetType: 'role',
      target: role.code,
      details: {
        name: role.name,
        permissions: role.permissions,
        ...(reassigned ? { reassignedTo: reassigned.to, reassigned: reassigned.count } : {}),
      },
    }),
  inviteCreated: (id: number, email: string, role: string, expiresAt: string) =>
    input({ action: 'invite.create', targetType: 'invitation', target: String(id), details: { email, role, expiresAt } }),
  inviteRevoked: (id: number, email: string, role: string) =>
    input({ action: 'invite.revoke', targetType: 'invitation', target: String(id), details: { email, role } }),
  inviteReplaced: (id: number, email: string, replacedBy: number) =>
    input({ action: 'invite.revoke', targetType: 'invitation', target: String(id), details: { email, reason: 'replaced', replacedBy } }),
  inviteVoided: (id: number, email: string, role: string, reason: string) =>
    input({ action: 'invite.void', targetType: 'invitation', target: String(id), details: { email, role, reason } }),
  inviteAccepted: (id: number, email: string, role: string) =>
    input({ action: 'invite.accept', targetType: 'invitation', target: String(id), details: { email, role } }),
  ticketCreated: (key: string, details: Extract<AuditEvent, { action: 'ticket.create' }>['details']) =>
    input({ action: 'ticket.create', targetType: TICKET_TARGET_TYPE, target: key, details }),
  ticketEdited: (key: string, details: Extract<AuditEvent, { action: 'ticket.edit' }>['details']) =>
    input({ action: 'ticket.edit', targetType: TICKET_TARGET_TYPE, target: key, details }),
  ticketAssigned: (key: string, assignee: string, previous: string | null) =>
    input({ action: 'ticket.assign', targetType: TICKET_TARGET_TYPE, target: key, details: { assignee, previous } }),
  ticketUnassigned: (key: string, previous: string | null) =>
    input({ action: 'ticket.unassign', targetType: TICKET_TARGET_TYPE, target: key, details: { previous } }),
  ticketMoved: (
    key: string,
    from: { code: string; name: string },
    to: { code: string; name: string },
    how: { forced?: boolean; via?: 'workflow.status.remove' | 'workflow.reset' } = {},
  ) =>
    input({
      action: 'ticket.move',
      targetType: TICKET_TARGET_TYPE,
      target: key,
      details: {
        from: from.code,
        to: to.code,
        fromName: from.name,
        toName: to.name,
        ...(how.forced ? { forced: true as const } : {}),
        ...(how.via !== undefined ? { via: how.via } : {}),
      },
    }),
  ticketCommented: (key: string, commentId: number) =>
    input({ action: 'ticket.comment', targetType: TICKET_TARGET_TYPE, target: key, details: { commentId } }),
  ticketDeleted: (key: string, title: string) =>
    input({ action: 'ticket.delete', targetType: TICKET_TARGET_TYPE, target: key, details: { title } }),
  attachmentAdded: (key: string, a: { id: number; name: string; size: number; type: string; sha256: string }) =>
    input({
      action: 'attachment.add',
      targetType: TICKET_TARGET_TYPE,
      target: key,
      details: { id: a.id, name: a.name, size: a.size, type: a.type, sha256: a.sha256 },
    }),
  attachmentDeleted: (key: string, a: { id: number; name: string; size: number; uploader: { email: string } }) =>
    input({
      action: 'attachment.delete',
      targetType: TICKET_TARGET_TYPE,
      target: key,
      details: { id: a.id, name: a.name, size: a.size, uploader: a.uploader.email },
    }),
  attachmentQuotaSet: (slug: string, from: number | null, to: number | null) =>
    input({ action: 'org.attachment-quota', targetType: 'org', target: slug, details: { from, to } }),
  orgImported: (slug: string, details: { from: string; format: number; tickets: number; attachments: number; events: number }) =>
    input({ action: 'org.import', targetType: 'org', target: slug, details }),
  ticketsImported: (first: string, last: string, firstNumber: number, lastNumber: number) =>
    input({
      action: 'ticket.import',
      targetType: IMPORT_TARGET_TYPE,
      target: `${first}…${last}`,
      details: { count: lastNumber - firstNumber + 1, first, last, firstNumber, lastNumber },
    }),
  statusAdded: (s: { code: string; name: string; category: StatusCategory }, position: number, isDefault: boolean) =>
    input({
      action: 'workflow.status.add',
      targetType: 'status',
      target: s.code,
      details: { name: s.name, category: s.category, position, ...(isDefault ? { default: true as const } : {}) },
    }),
  statusRenamed: (code: string, name: FromTo<string> | undefined, isDefault: boolean) =>
    input({
      action: 'workflow.status.rename',
      targetType: 'status',
      target: code,
      details: { ...(name ? { name } : {}), ...(isDefault ? { default: true as const } : {}) },
    }),
  statusRemoved: (s: { code: string; name: string; category: StatusCategory }, movedTo: { code: string; name: string } | null, moved: number) =>
    input({
      action: 'workflow.status.remove',
      targetType: 'status',
      target: s.code,
      details: { name: s.name, category: s.category, movedTo: movedTo?.code ?? null, movedToName: movedTo?.name ?? null, moved },
    }),
  statusesReordered: (from: string[], to: string[]) =>
    input({ action: 'workflow.status.reorder', targetType: 'workflow', target: 'statuses', details: { from, to } }),
  transitionSet: (from: { code: string; name: string }, to: { code: string; name: string }, allowed: boolean, previous: boolean | null) =>
    input({
      action: allowed ? 'workflow.transition.allow' : 'workflow.transition.deny',
      targetType: 'transition',
      target: `${from.code}->${to.code}`,
      details: {
        from: from.code,
        to: to.code,
        fromName: from.name,
        toName: to.name,
        previous: previous === null ? null : previous ? 'allowed' : 'denied',
      },
    }),
  workflowReset: (statuses: string[], transitions: number, moved: number) =>
    input({ action: 'workflow.reset', targetType: 'workflow', target: 'statuses', details: { statuses, transitions, moved } }),
};

// ---- how events are shown ----

function isKnown(record: { action: string }): boolean {
  return (AUDIT_ACTIONS as readonly string[]).includes(record.action);
}

/** One line for a ticket's history (`ticket view`); an action this version does not know is shown as is. */
export function describeEvent(record: AuditEventRecord): string {
  if (!isKnown(record)) return record.action;
  const e = record as unknown as AuditEvent;
  switch (e.action) {
    case 'ticket.create':
      return 'created it';
    case 'ticket.import':
      return 'imported it';
    case 'ticket.edit': {
      const d = e.details;
      const parts: string[] = [];
      if (d.title) parts.push('title');
      if (d.body) parts.push('description');
      if (d.priority) parts.push(`priority ${d.priority.from} → ${d.priority.to}`);
      const labels = [...(d.addedLabels ?? []).map((l) => `+${l}`), ...(d.removedLabels ?? []).map((l) => `-${l}`)];
      if (labels.length > 0) parts.push(`labels ${labels.join(' ')}`);
      return `edited ${parts.join(', ')}`;
    }
    case 'ticket.assign':
      return `assigned it to ${String(e.details.assignee)}`;
    case 'ticket.unassign':
      return `unassigned ${String(e.details.previous)}`;
    case 'ticket.move': {
      const d = e.details;
      const why = d.forced ? ' (forced past the workflow rules)' : d.via === 'workflow.status.remove' ? ` (status ${d.from} was removed)` : d.via === 'workflow.reset' ? ' (the workflow was reset)' : '';
      return `moved it ${statusLabel(d.from, d.fromName)} → ${statusLabel(d.to, d.toName)}${why}`;
    }
    case 'ticket.comment':
      return 'commented';
    case 'ticket.delete':
      return 'deleted it';
    case 'attachment.add':
      return `attached ${e.details.name} (#${e.details.id}, ${e.details.size} bytes)`;
    case 'attachment.delete':
      return `removed the attachment ${e.details.name} (#${e.details.id})`;
    case 'org.attachment-quota':
      return `set the attachment quota ${e.details.from ?? 'default'} → ${e.details.to ?? 'default'}`;
    case 'org.import':
      return `imported the organization from an archive of ${e.details.from}`;
    case 'org.create':
      return `created the organization ${e.target}`;
    case 'org.rename':
      return `renamed the organization ${e.details.from} → ${e.details.to}`;
    case 'org.transfer':
      return `handed ownership to ${e.target}`;
    case 'member.role':
      return `changed the role of ${e.target} ${e.details.from} → ${e.details.to}`;
    case 'member.remove':
      return `removed ${e.target}`;
    case 'member.leave':
      return 'left the organization';
    case 'role.create':
      return `created the role ${e.target}`;
    case 'role.edit':
      return `edited the role ${e.target}`;
    case 'role.delete':
      return `deleted the role ${e.target}`;
    case 'invite.create':
      return `invited ${e.details.email}`;
    case 'invite.revoke':
      return `revoked the invitation of ${e.details.email}`;
    case 'invite.void':
      return `voided the invitation of ${e.details.email}`;
    case 'invite.accept':
      return `joined as ${e.details.role}`;
    case 'workflow.status.add':
      return `added the status ${e.target} (${e.details.category})`;
    case 'workflow.status.rename':
      return e.details.name ? `renamed the status ${e.target} ${e.details.name.from} → ${e.details.name.to}` : `made ${e.target} the status of new tickets`;
    case 'workflow.status.remove':
      return `removed the status ${e.target}${e.details.movedTo !== null ? `, moving ${e.details.moved} ticket(s) to ${e.details.movedTo}` : ''}`;
    case 'workflow.status.reorder':
      return `reordered the statuses: ${e.details.to.join(', ')}`;
    case 'workflow.transition.allow':
      return `allowed moves ${e.details.from} → ${e.details.to}`;
    case 'workflow.transition.deny':
      return `denied moves ${e.details.from} → ${e.details.to}`;
    case 'workflow.reset':
      return 'reset the workflow to the default statuses';
  }
}

/** A status as an event recorded it: its name then (events before workflows had none), its code when it differs. */
function statusLabel(code: unknown, name: unknown): string {
  if (typeof name !== 'string' || name === '') return String(code);
  return name.toLowerCase().replace(/ /g, '_') === code ? name : `${name} (${String(code)})`;
}

/** An event's details as `audit list` shows them: key=value pairs, JSON for anything not a string. */
export function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
