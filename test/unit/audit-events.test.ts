// The audit events as the domain builds them, and the text shown for them.
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditEvent, describeDetails, describeEvent } from '../../src/domain/audit-events.js';
import type { AuditEventRecord } from '../../src/store/ports/audit.js';
import type { AuditInput } from '../../src/store/ports/common.js';

const role = { id: 1, code: 'qa', name: 'QA', permissions: ['ticket:read'], isSystem: false };

/** One event of every builder. */
const built: AuditInput[] = [
  auditEvent.orgCreated({ slug: 'acme', name: 'Acme', ticketKey: 'ACME' }),
  auditEvent.orgRenamed('acme', 'Acme', 'Acme Corp'),
  auditEvent.orgTransferred({ email: 'bob@x.test', previousRole: 'member' }, 'alice@x.test', 'admin'),
  auditEvent.memberRoleChanged('bob@x.test', 'member', 'viewer'),
  auditEvent.memberRoleChanged('bob@x.test', 'qa', 'viewer', 'role qa deleted'),
  auditEvent.membershipEnded('member.remove', 'bob@x.test', 'member', ['ACME-1']),
  auditEvent.membershipEnded('member.leave', 'bob@x.test', 'member', []),
  auditEvent.roleCreated(role),
  auditEvent.roleEdited('qa', { name: { from: 'QA', to: 'Quality' } }),
  auditEvent.roleDeleted(role, { to: 'viewer', count: 2 }),
  auditEvent.inviteCreated(3, 'eve@x.test', 'member', '2026-12-01T00:00:00.000Z'),
  auditEvent.inviteRevoked(3, 'eve@x.test', 'member'),
  auditEvent.inviteReplaced(3, 'eve@x.test', 4),
  auditEvent.inviteVoided(4, 'eve@x.test', 'member', 'inviter-left'),
  auditEvent.inviteAccepted(4, 'eve@x.test', 'member'),
  auditEvent.ticketCreated('ACME-1', { title: 't', status: 'open', priority: 'none', assignee: null, labels: [] }),
  auditEvent.ticketEdited('ACME-1', { title: { from: 'a', to: 'b' }, body: 'changed', priority: { from: 'none', to: 'high' }, addedLabels: ['x'], removedLabels: ['y'] }),
  auditEvent.ticketAssigned('ACME-1', 'bob@x.test', null),
  auditEvent.ticketUnassigned('ACME-1', 'bob@x.test'),
  auditEvent.ticketMoved('ACME-1', { code: 'open', name: 'Open' }, { code: 'done', name: 'Done' }),
  auditEvent.ticketCommented('ACME-1', 7),
  auditEvent.ticketDeleted('ACME-1', 't'),
  auditEvent.ticketsImported('ACME-2', 'ACME-4', 2, 4),
  auditEvent.attachmentAdded('ACME-1', { id: 1, name: 'a.log', size: 3, type: 'text/plain', sha256: 'ab' }),
  auditEvent.attachmentDeleted('ACME-1', { id: 1, name: 'a.log', size: 3, uploader: { email: 'a@x.test' } }),
  auditEvent.attachmentQuotaSet('acme', null, 2048),
  auditEvent.orgImported('acme2', { from: 'acme', format: 1, tickets: 2, attachments: 1, events: 5 }),
  auditEvent.statusAdded({ code: 'in_review', name: 'In review', category: 'started' }, 3, false),
  auditEvent.statusRenamed('in_review', { from: 'In review', to: 'Review' }, false),
  auditEvent.statusRemoved({ code: 'in_review', name: 'Review', category: 'started' }, { code: 'in_progress', name: 'In progress' }, 2),
  auditEvent.statusesReordered(['open', 'done'], ['done', 'open']),
  auditEvent.transitionSet({ code: 'open', name: 'Open' }, { code: 'done', name: 'Done' }, true, null),
  auditEvent.transitionSet({ code: 'open', name: 'Open' }, { code: 'done', name: 'Done' }, false, true),
  auditEvent.workflowReset(['open', 'in_review'], 1, 2),
];

const record = (e: AuditInput): AuditEventRecord => ({ id: 1, actor: { email: 'a@x.test', name: 'A' }, createdAt: 0, ...e });

describe('audit events', () => {
  it('a builder for every action, and only the listed actions', () => {
    expect(new Set(built.map((e) => e.action))).toEqual(new Set(AUDIT_ACTIONS));
  });

  it('keeps the stored shape: key order, target types and targets', () => {
    expect(JSON.stringify(built[16]!.details)).toBe(
      '{"title":{"from":"a","to":"b"},"body":"changed","priority":{"from":"none","to":"high"},"addedLabels":["x"],"removedLabels":["y"]}',
    );
    expect(built[22]).toEqual({
      action: 'ticket.import',
      targetType: 'tickets',
      target: 'ACME-2…ACME-4',
      details: { count: 3, first: 'ACME-2', last: 'ACME-4', firstNumber: 2, lastNumber: 4 },
    });
    expect(JSON.stringify(built[9]!.details)).toBe('{"name":"QA","permissions":["ticket:read"],"reassignedTo":"viewer","reassigned":2}');
    expect(built[12]!.details).toEqual({ email: 'eve@x.test', reason: 'replaced', replacedBy: 4 });
  });

  it("describes every event for a ticket's history; an unknown action as itself", () => {
    for (const e of built) expect(describeEvent(record(e)), e.action).not.toBe('');
    expect(built.slice(15, 23).map((e) => describeEvent(record(e)))).toEqual([
      'created it',
      'edited title, description, priority none → high, labels +x -y',
      'assigned it to bob@x.test',
      'unassigned bob@x.test',
      'moved it Open → Done',
      'commented',
      'deleted it',
      'imported it',
    ]);
    // A ticket's history keeps the names a move had then, also after a rename or a removal.
    const renamedAway = auditEvent.ticketMoved('ACME-1', { code: 'in_review', name: 'Review' }, { code: 'in_progress', name: 'In progress' }, { via: 'workflow.status.remove' });
    expect(describeEvent(record(renamedAway))).toBe('moved it Review (in_review) → In progress (status in_review was removed)');
    const forced = auditEvent.ticketMoved('ACME-1', { code: 'open', name: 'Open' }, { code: 'done', name: 'Done' }, { forced: true });
    expect(forced.details).toEqual({ from: 'open', to: 'done', fromName: 'Open', toName: 'Done', forced: true });
    expect(describeEvent(record(forced))).toBe('moved it Open → Done (forced past the workflow rules)');
    // Events written before workflows had names.
    expect(describeEvent(record({ action: 'ticket.move', targetType: 'ticket', target: 'ACME-1', details: { from: 'open', to: 'done' } }))).toBe('moved it open → done');
    expect(describeEvent(record({ action: 'ticket.frobnicate', targetType: 'ticket', target: 'ACME-1', details: {} }))).toBe('ticket.frobnicate');
  });

  it('shows details as key=value pairs, JSON for what is not a string', () => {
    expect(describeDetails(built[3]!.details)).toBe('from=member to=viewer');
    expect(describeDetails(built[5]!.details)).toBe('role=member unassignedTickets=["ACME-1"]');
    expect(describeDetails({})).toBe('');
  });
});
