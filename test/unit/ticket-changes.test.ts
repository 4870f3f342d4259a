// The pure decisions a store runs inside its ticket transactions: what an edit changes, whether a
// move or an assignment is a no-op, the import's event and its key range.
import { describe, expect, it } from 'vitest';
import { planAssignment, planEdit, planImport, planMove } from '../../src/domain/tickets/changes.js';
import { compareRoles } from '../../src/domain/permissions.js';
import { DEFAULT_STATUSES, DEFAULT_WORKFLOW } from '../../src/domain/workflow-rules.js';
import type { OrgRecord } from '../../src/store/ports/common.js';
import type { TicketRecord } from '../../src/store/ports/tickets.js';

const org: OrgRecord = { id: 1, slug: 'acme', name: 'Acme', ticketKey: 'ACME', createdAt: 0 };
const ticket: TicketRecord = {
  id: 10,
  number: 4,
  key: 'ACME-4',
  title: 'Old',
  body: 'text',
  status: 'open',
  statusCategory: 'unstarted',
  priority: 'low',
  assignee: { email: 'bob@x.test', name: 'Bob' },
  reporter: { email: 'alice@x.test', name: 'Alice' },
  labels: ['bug', 'ui'],
  createdAt: 0,
  updatedAt: 0,
  external: null,
};

describe('ticket change planning', () => {
  it('an edit records only what differs, from → to; the same values are a no-op', () => {
    expect(planEdit(ticket, { title: 'Old', body: 'text', priority: 'low', addLabels: ['bug'], removeLabels: ['docs'] })).toBeNull();
    expect(planEdit(ticket, { title: 'New', addLabels: ['ui', 'api'], removeLabels: ['bug'] })).toEqual({
      set: { title: 'New' },
      addLabels: ['api'],
      removeLabels: ['bug'],
      audit: {
        action: 'ticket.edit',
        targetType: 'ticket',
        target: 'ACME-4',
        details: { title: { from: 'Old', to: 'New' }, addedLabels: ['api'], removedLabels: ['bug'] },
      },
    });
  });

  it('a move to the current status, or to no status, changes nothing; the rules refuse a forbidden move unless forced', () => {
    const wf = { ...DEFAULT_WORKFLOW, transitions: [{ from: 'open', to: 'in_progress', allowed: true }] };
    const [open, , done] = DEFAULT_STATUSES;
    expect(planMove(ticket, wf, open!)).toBeNull();
    expect(planMove(ticket, wf, null)).toBeNull();
    expect(planMove({ ...ticket, status: 'done' }, wf, open!)?.audit.details).toEqual({ from: 'done', to: 'open', fromName: 'Done', toName: 'Open' });
    expect(() => planMove(ticket, wf, done!)).toThrow('the workflow does not allow moving ACME-4 from open to done (allowed from open: in_progress)');
    expect(planMove(ticket, wf, done!, true)?.audit.details).toMatchObject({ from: 'open', to: 'done', forced: true });
  });

  it('assigning the current assignee is a no-op; a non-member is refused', () => {
    expect(planAssignment('bob@x.test', org, { ticket, nonMembers: [] })).toBeNull();
    expect(planAssignment(null, org, { ticket, nonMembers: [] })?.details).toEqual({ previous: 'bob@x.test' });
    expect(() => planAssignment('eve@x.test', org, { ticket, nonMembers: ['eve@x.test'] })).toThrow('eve@x.test is not a member of acme');
  });

  it('an import is one event over the key range it numbered', () => {
    expect(() => planImport(org, { count: 3, nonMembers: [], unknownStatuses: ['triage'] })).toThrow('status triage is no longer in the workflow of acme');
    expect(planImport(org, { count: 3, nonMembers: [], unknownStatuses: [] })(5)).toEqual({
      action: 'ticket.import',
      targetType: 'tickets',
      target: 'ACME-5…ACME-7',
      details: { count: 3, first: 'ACME-5', last: 'ACME-7', firstNumber: 5, lastNumber: 7 },
    });
  });

  it('roles are listed system first in their fixed order, then custom ones by code', () => {
    const roles = ['viewer', 'zeta', 'owner', 'alpha', 'member', 'admin'].map((code) => ({
      code,
      isSystem: ['owner', 'admin', 'member', 'viewer'].includes(code),
    }));
    expect(roles.sort(compareRoles).map((r) => r.code)).toEqual(['owner', 'admin', 'member', 'viewer', 'alpha', 'zeta']);
  });
});
