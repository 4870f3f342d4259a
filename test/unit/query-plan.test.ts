// The ticket queries use the composite (organization_id, …) indexes: the SQL the repository really
// runs is captured and handed to EXPLAIN QUERY PLAN, so a change that drops to a full scan fails.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/domain/guard.js';
import * as tickets from '../../src/domain/tickets/index.js';
import * as transfer from '../../src/domain/tickets/transfer.js';
import { createWorld, type World } from '../support/memory.js';
import { RecordingLogger } from '../support/sql-scope.js';

const logger = new RecordingLogger();
let world: World;
let acme: Tenant;

beforeAll(async () => {
  world = createWorld({ logger });
  const alice = await world.user('alice@example.com');
  acme = await world.org(alice, 'Acme');
  await world.org(await world.user('bob@example.com'), 'Globex');
  for (let i = 0; i < 5; i++) {
    await tickets.createTicket(acme, { title: `ticket ${i}`, labels: ['bug'], ...(i % 2 ? { assignee: '@me' } : {}) });
  }
});

/** The plan lines of every ticket-table statement `run` executes. */
async function plansOf(run: () => Promise<unknown>): Promise<string[][]> {
  logger.queries.length = 0;
  await run();
  return logger.queries
    .filter((q) => /"tickets"|"comments"/.test(q.sql))
    .map((q) =>
      (world.store.conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params as unknown[])) as Array<{ detail: string }>).map(
        (row) => row.detail,
      ),
    );
}

function noFullScans(plans: string[][]): void {
  for (const plan of plans) {
    expect(plan.filter((line) => /^SCAN (tickets|labels|ticket_labels|comments|users|memberships)\b/.test(line))).toEqual([]);
  }
}

describe('ticket query plans', () => {
  it('a key lookup is one probe of (organization_id, number)', async () => {
    const plans = await plansOf(() => tickets.getTicket(acme, 'ACME-3'));
    expect(plans).toHaveLength(1);
    expect(plans[0]![0]).toBe('SEARCH tickets USING INDEX tickets_org_number_uq (organization_id=? AND number=?)');
    expect(plans[0]!.join('\n')).toContain('USING COVERING INDEX sqlite_autoindex_ticket_labels_1 (organization_id=? AND ticket_id=?)');
    noFullScans(plans);
  });

  it('the default list walks (organization_id, number) in order: no sort, no scan', async () => {
    const [plan] = await plansOf(() => tickets.listTickets(acme, {}));
    expect(plan![0]).toBe('SEARCH tickets USING INDEX tickets_org_number_uq (organization_id=?)');
    expect(plan!.join('\n')).not.toContain('TEMP B-TREE');
  });

  it('filters and sorts use their composite indexes', async () => {
    const first = async (run: () => Promise<unknown>) => {
      const plans = await plansOf(run);
      noFullScans(plans);
      return plans.at(-1)![0];
    };
    expect(await first(() => tickets.listTickets(acme, { statuses: ['open'] }))).toBe(
      'SEARCH tickets USING INDEX tickets_org_status_idx (organization_id=? AND status=?)',
    );
    expect(await first(() => tickets.listTickets(acme, { assignee: '@me' }))).toBe(
      'SEARCH tickets USING INDEX tickets_org_assignee_idx (organization_id=? AND assignee_id=?)',
    );
    expect(await first(() => tickets.listTickets(acme, { assignee: 'none' }))).toBe(
      'SEARCH tickets USING INDEX tickets_org_assignee_idx (organization_id=? AND assignee_id=?)',
    );
    expect(await first(() => tickets.listTickets(acme, {}, { sort: 'updated' }))).toBe(
      'SEARCH tickets USING INDEX tickets_org_updated_idx (organization_id=?)',
    );
    expect(await first(() => tickets.listTickets(acme, {}, { sort: 'created' }))).toBe(
      'SEARCH tickets USING INDEX tickets_org_created_idx (organization_id=?)',
    );
    for (const run of [
      () => tickets.listTickets(acme, { labels: ['bug'], priorities: ['high', 'none'], statuses: ['open', 'done'] }),
      () => tickets.listTickets(acme, { search: 'ticket' }, { sort: 'priority' }),
    ]) {
      expect(await first(run)).toMatch(/^SEARCH tickets USING INDEX tickets_org_\w+ \(organization_id=\?/);
    }
  });

  it("a ticket's comments come from (organization_id, ticket_id)", async () => {
    const plans = await plansOf(() => tickets.viewTicket(acme, 'ACME-2'));
    expect(plans.flat()).toContain('SEARCH comments USING INDEX comments_org_ticket_idx (organization_id=? AND ticket_id=?)');
    noFullScans(plans);
  });
});

describe('audit query plans', () => {
  it("a ticket's history (its own events, and the import that created it) comes from (organization_id, target_type, target)", async () => {
    await transfer.importTickets(acme, JSON.stringify([{ title: 'imported one' }, { title: 'imported two' }]), 'json');
    await tickets.commentOnTicket(acme, 'ACME-7', 'a comment after the import');
    logger.queries.length = 0;
    const view = await tickets.viewTicket(acme, 'ACME-7');
    expect(view.history.map((e) => e.action)).toEqual(['ticket.import', 'ticket.comment']);
    const plans = logger.queries
      .filter((q) => /"audit_events"/.test(q.sql))
      .map((q) =>
        (world.store.conn.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params as unknown[])) as Array<{ detail: string }>).map(
          (row) => row.detail,
        ),
      );
    // Not a walk through all of the org's events in (organization_id, created_at) order.
    expect(plans.map((plan) => plan[0])).toEqual([
      'SEARCH audit_events USING INDEX audit_org_target_idx (organization_id=? AND target_type=? AND target=?)',
      'SEARCH audit_events USING INDEX audit_org_target_idx (organization_id=? AND target_type=?)',
    ]);
  });
});
