// `ticket import` on PostgreSQL, where it is sent in batches of IMPORT_BATCH tickets (one statement
// each, tickets and labels together; comments after) and the search rows are made per statement
// (migrations/pg/0019): a batch boundary, a failure in the second batch, and the search rows of
// imported tickets equal to what the per-ticket re-index (tkt_reindex_ticket) writes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_BATCH } from '../../src/store/pg/tickets.js';
import { Sandbox, type Person } from '../support/cli.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());
let alice: Person;

const file = (name: string, records: unknown[]) => {
  const p = path.join(sb.dir, name);
  fs.writeFileSync(p, JSON.stringify(records));
  return p;
};
const one = (sql: string, ...params: unknown[]) => withStore(sb, (db) => db.prepare(sql).get(...params));
const orgId = (slug: string) => (one('SELECT id FROM organizations WHERE slug = ?', slug) as { id: number }).id;
const state = (slug: string) =>
  one(
    `SELECT (SELECT count(*) FROM tickets WHERE organization_id = o.id) AS tickets, (SELECT count(*) FROM ticket_labels WHERE organization_id = o.id) AS links,
       (SELECT count(*) FROM comments WHERE organization_id = o.id) AS comments, (SELECT count(*) FROM ticket_search WHERE organization_id = o.id) AS search,
       (SELECT count(*) FROM audit_events WHERE organization_id = o.id) AS audit, (SELECT count(*) FROM labels WHERE organization_id = o.id) AS labels,
       o.next_ticket_number AS next, o.next_comment_number AS next_comment
     FROM organizations o WHERE o.slug = ?`,
    slug,
  );

beforeAll(async () => {
  alice = await sb.person('alice@example.com', 'Alice');
  for (const [name, key] of [['Batch', 'BA'], ['Broken', 'BR'], ['Words', 'WO']] as const) {
    expect((await alice.run(['org', 'create', name, '--key', key])).code).toBe(0);
  }
});

describe('ticket import on PostgreSQL, batch by batch', () => {
  it(`imports ${IMPORT_BATCH} + 1 tickets: labels, comments and search rows on both sides of the batch boundary`, async () => {
    const n = IMPORT_BATCH + 1;
    const records = Array.from({ length: n }, (_, i) => ({
      title: `Ticket ${i + 1} ${i === n - 1 ? 'lastword' : i === IMPORT_BATCH - 1 ? 'edgeword' : 'filler'}`,
      labels: i % 2 === 0 ? ['even', 'all'] : ['all'],
      ...(i >= IMPORT_BATCH - 1 ? { comments: [{ author: 'alice@example.com', body: `comment on ${i + 1} commentword${i + 1}` }] } : {}),
    }));
    const r = await alice.run(['--org', 'batch', 'ticket', 'import', file('batch.json', records), '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines().length).toBe(n);
    expect(r.lines().slice(-2)).toEqual([`BA-${IMPORT_BATCH}`, `BA-${n}`]);
    expect(state('batch')).toMatchObject({ tickets: n, links: n + Math.ceil(n / 2), comments: 2, search: n, labels: 2, next: n + 1, next_comment: 3 });
    // The numbers are gapless and each ticket has the labels of its own record.
    expect(one('SELECT min(number) AS lo, max(number) AS hi, count(DISTINCT number) AS n FROM tickets WHERE organization_id = ?', orgId('batch'))).toEqual({ lo: 1, hi: n, n });
    const labelsOf = async (key: string) => (await alice.run(['--org', 'batch', 'ticket', 'view', key, '--json'])).json<{ labels: string[] }>().labels;
    expect(await labelsOf(`BA-${IMPORT_BATCH}`)).toEqual(['all']);
    expect(await labelsOf(`BA-${n}`)).toEqual(['all', 'even']);
    // Search finds words of the last ticket of batch 1 and of the only ticket of batch 2, and their comments.
    for (const [word, key] of [
      ['edgeword', `BA-${IMPORT_BATCH}`],
      ['lastword', `BA-${n}`],
      [`commentword${IMPORT_BATCH}`, `BA-${IMPORT_BATCH}`],
      [`commentword${n}`, `BA-${n}`],
    ]) {
      const s = await alice.run(['--org', 'batch', 'ticket', 'list', '--status', 'all', '-q', '--search', word!]);
      expect([word, s.stdout]).toEqual([word, `${key}\n`]);
    }
  });

  it('an import whose second batch fails writes nothing (no tickets, labels, search rows, numbers or audit)', async () => {
    // A fault only the database sees: the owner's trigger refuses one title, in the second batch.
    withStore(sb, (db) => {
      db.prepare(
        `CREATE FUNCTION test_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           IF NEW.title = 'boom' THEN RAISE EXCEPTION 'boom refused' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$`,
      ).run();
      db.prepare('CREATE TRIGGER test_refuse_boom BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION test_refuse_boom()').run();
    });
    try {
      const before = state('broken');
      const records = Array.from({ length: IMPORT_BATCH + 2 }, (_, i) => ({
        title: i === IMPORT_BATCH + 1 ? 'boom' : `Ticket ${i + 1}`,
        labels: ['new-label'],
        ...(i === 0 ? { comments: [{ author: 'alice@example.com', body: 'a comment' }] } : {}),
      }));
      const r = await alice.run(['--org', 'broken', 'ticket', 'import', file('broken.json', records), '-q']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('boom refused');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(state('broken')).toEqual(before);
      // The same file without the fault imports whole, numbered from 1.
      records[IMPORT_BATCH + 1]!.title = 'not boom';
      const ok = await alice.run(['--org', 'broken', 'ticket', 'import', file('fixed.json', records), '-q']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(state('broken')).toMatchObject({ tickets: IMPORT_BATCH + 2, links: IMPORT_BATCH + 2, comments: 1, search: IMPORT_BATCH + 2, next: IMPORT_BATCH + 3 });
    } finally {
      withStore(sb, (db) => db.prepare('DROP FUNCTION test_refuse_boom() CASCADE').run());
    }
  });

  it("imported tickets' search rows hold the same terms as the per-ticket re-index writes", async () => {
    const texts = [
      { title: 'Ça marche, naïve café', body: 'ÜBER straße — ÉTÉ', external: 'jira#12' },
      { title: '日本語のタイトル', body: 'mixed 中文 text and ASCII', labels: ['i18n'] },
      { title: 'Thai ภาษาไทย and 한국어', body: '' },
      { title: 'plain', body: 'dots.and-dashes_and/slashes 42', comments: [{ author: 'alice@example.com', body: 'Comment with 漢字 and accents é' }, { author: 'alice@example.com', body: 'second' }] },
      { title: 'only ascii', body: 'x', external: 'github#7', comments: [{ author: 'alice@example.com', body: 'plain comment' }] },
      { title: '--Edge-- CASE!!', body: '(x) [y]\t{z}\n_under_score_ 0xFF' },
      { title: 'ASCII title', body: 'then ünïcode body', comments: [{ author: 'alice@example.com', body: '...' }] },
    ];
    const r = await alice.run(['--org', 'words', 'ticket', 'import', file('words.json', texts), '-q']);
    expect(r.code, r.stderr).toBe(0);
    const org = orgId('words');
    const documents = () =>
      withStore(sb, (db) => db.prepare('SELECT ticket_id, to_tsvector(\'simple\', document)::text AS v FROM ticket_search WHERE organization_id = ? ORDER BY ticket_id').all(org));
    const imported = documents();
    expect(imported.length).toBe(texts.length);
    expect(imported.every((d: { v: string }) => d.v.includes(`'o${org}x`))).toBe(true);
    withStore(sb, (db) => db.prepare('SELECT count(tkt_reindex_ticket(organization_id, id)) FROM tickets WHERE organization_id = ?').get(org));
    expect(documents()).toEqual(imported);
    // And a comment added later (one row, the same statement trigger) keeps them equal.
    expect((await alice.run(['--org', 'words', 'ticket', 'comment', 'WO-1', '--body', 'later Ünïcödé 語'])).code).toBe(0);
    const commented = documents();
    expect(commented).not.toEqual(imported);
    withStore(sb, (db) => db.prepare('SELECT count(tkt_reindex_ticket(organization_id, id)) FROM tickets WHERE organization_id = ?').get(org));
    expect(documents()).toEqual(commented);
  });
});
