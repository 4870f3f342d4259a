// The demo's tickets: a few in each org, made through the same use cases as the commands, by the
// people the demo signs up (labels, an assignee, a comment, a status change each).
import type { DemoSeeder } from '../demo.js';
import type { Tenant } from '../guard.js';
import * as tickets from './index.js';

interface DemoTicket {
  title: string;
  body: string;
  priority: string;
  labels: string[];
  assignee?: string;
  status?: string;
  comment?: { by: string; body: string };
}

const PLAN: Record<string, { reporter: string; tickets: DemoTicket[] }> = {
  'acme-corp': {
    reporter: 'alice@acme.test',
    tickets: [
      {
        title: 'Login page rejects valid passwords',
        body: 'Steps:\n1. Sign up with a password containing a space\n2. Log out and log in again\n\nExpected: logged in. Actual: "wrong password".',
        priority: 'high',
        labels: ['auth', 'bug'],
        assignee: 'bob@acme.test',
        status: 'in_progress',
        comment: { by: 'bob@acme.test', body: 'I can reproduce it: the form trims the password before sending it.' },
      },
      { title: 'Add a dark theme', body: 'Many of us work late.', priority: 'low', labels: ['feature', 'ui'] },
      {
        title: 'Quarterly security review',
        body: 'Rotate the API tokens and review who has admin.',
        priority: 'medium',
        labels: ['security'],
        assignee: 'alice@acme.test',
        status: 'done',
      },
    ],
  },
  globex: {
    reporter: 'carol@globex.test',
    tickets: [
      {
        title: 'Invoice totals are off by one cent',
        body: 'Rounding happens per line instead of on the total.',
        priority: 'urgent',
        labels: ['billing', 'bug'],
        assignee: 'carol@globex.test',
        comment: { by: 'carol@globex.test', body: 'Finance noticed it on 3 invoices this month.' },
      },
      { title: 'Move to the new payment provider', body: '', priority: 'medium', labels: ['project'] },
    ],
  },
};

export const seedDemoTickets: DemoSeeder = async ({ tenants }) => {
  const notes: string[] = [];
  for (const [slug, plan] of Object.entries(PLAN)) {
    const people = tenants.get(slug);
    const reporter = people?.get(plan.reporter);
    if (!people || !reporter) continue;
    const as = (email: string): Tenant => people.get(email) ?? reporter;
    const keys: string[] = [];
    for (const t of plan.tickets) {
      const created = await tickets.createTicket(reporter, {
        title: t.title,
        body: t.body,
        priority: t.priority,
        labels: t.labels,
        ...(t.assignee && people.has(t.assignee) ? { assignee: t.assignee } : {}),
      });
      if (t.comment) await tickets.commentOnTicket(as(t.comment.by), created.key, t.comment.body);
      if (t.status) await tickets.moveTicket(reporter, created.key, t.status);
      keys.push(created.key);
    }
    notes.push(`${slug} tickets: ${keys.join(', ')}`);
  }
  return notes;
};
