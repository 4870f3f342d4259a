// `ticket list --search` on PostgreSQL reaches the org's matching documents through the GIN index,
// under row-level security (migrations/pg/0018): the work it does does not grow with the number of
// documents of the org, nor with other orgs' documents holding the same words. Time is not measured
// (machine load would flake it); the work is counted instead, from PostgreSQL's own statistics
// (pg_stat_user_tables / pg_stat_user_indexes, flushed when the CLI's connection ends): the rows of
// ticket_search that the command read. Before 0018 a search, as the CLI's role, read every document
// of the org (thousands here) and tested each one.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { psql } from '../support/pg-server.js';
import { onPostgres } from '../support/stores.js';
import { SEARCH_JOIN_MAX } from '../../src/store/pg/tickets.js';

const FILLERS = 4000;

describe.runIf(onPostgres)('search work on PostgreSQL', () => {
  let sb: Sandbox;
  let alice: Person;
  const sql = (text: string) => psql(inject('pgCluster').psql, sb.ownerDb, text);

  /** ticket_search rows read (sequentially or through any index) and GIN scans, so far. */
  const counters = () => {
    sb.settle();
    const [tuples, gin] = sql(
      `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE relname = 'ticket_search';
       SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'ticket_search_document_idx';`,
    )
      .split('\n')
      .map(Number);
    return { tuples: tuples!, gin: gin! };
  };

  /** Bulk tickets as the owner, numbered from the org's counter (as bench/pg.mjs loads them). */
  const load = (slug: string, count: number, title: string) =>
    sql(`WITH o AS (UPDATE organizations SET next_ticket_number = next_ticket_number + ${count} WHERE slug = '${slug}' RETURNING id, next_ticket_number - ${count} AS first)
      INSERT INTO tickets (organization_id, number, title, body, status, priority, reporter_id, created_at, updated_at)
      SELECT o.id, o.first + g - 1, ${title}, 'body ' || g, 'open', 'none', (SELECT id FROM users WHERE email = 'alice@example.com'), 1700000000000 + g, 1700000000000 + g
      FROM o, generate_series(1, ${count}) g`);

  beforeAll(async () => {
    sb = new Sandbox();
    alice = await sb.person('alice@example.com', 'Alice');
    expect((await alice.run(['org', 'create', 'Globex', '--key', 'GLX'])).code).toBe(0);
    expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0); // the active one
    load('acme', FILLERS, `'filler ' || g`);
    for (const title of ['Zebra crossing', 'a zébra, again', 'zebrafish tank']) {
      expect((await alice.run(['ticket', 'create', '--title', title, '-q'])).code).toBe(0);
    }
    load('globex', FILLERS, `'zebra ' || g || ' zebrafish'`);
    sql('ANALYZE');
  }, 120_000);

  afterAll(() => sb?.cleanup());

  it('finds the org’s matches through the GIN index, reading only them', async () => {
    const before = counters();
    const found = await alice.run(['ticket', 'list', '--search', 'zebra', '--json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).map((t: { title: string }) => t.title)).toEqual(['a zébra, again', 'Zebra crossing']);
    const after = counters();
    expect(after.gin - before.gin).toBeGreaterThanOrEqual(1);
    expect(after.tuples - before.tuples).toBeLessThanOrEqual(10);
  });

  it('a prefix too', async () => {
    const before = counters();
    const found = await alice.run(['ticket', 'list', '--search', 'ZEB*', '--json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).map((t: { key: string }) => t.key)).toEqual(['ACME-4003', 'ACME-4002', 'ACME-4001']);
    const after = counters();
    expect(after.gin - before.gin).toBeGreaterThanOrEqual(1);
    expect(after.tuples - before.tuples).toBeLessThanOrEqual(10);
  });

  it('many hits (more than the store joins one by one): the same tickets, in order, paged, counted', async () => {
    expect(FILLERS).toBeGreaterThan(SEARCH_JOIN_MAX);
    const page = await alice.run(['ticket', 'list', '--search', 'filler', '--limit', '5', '--page', '2', '--json']);
    expect(page.code).toBe(0);
    expect(JSON.parse(page.stdout).map((t: { key: string }) => t.key)).toEqual(['ACME-3995', 'ACME-3994', 'ACME-3993', 'ACME-3992', 'ACME-3991']);
    const all = await alice.run(['ticket', 'list', '--search', 'fill*', '--limit', '0', '--sort', 'created', '--json']);
    expect(JSON.parse(all.stdout)).toHaveLength(FILLERS);
    const both = await alice.run(['ticket', 'list', '--search', 'filler 3999', '--json']);
    expect(JSON.parse(both.stdout).map((t: { key: string }) => t.key)).toEqual(['ACME-3999']);
  });
});
