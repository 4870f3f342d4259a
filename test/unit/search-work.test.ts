// Issue 11, item 2: a search must not take longer because another org holds matching words.
// Time is not measured here (machine load would flake it); the work is counted instead: the index
// entries (terms and the postings under them) that each term of the search's own MATCH expression
// reaches, read from an fts5vocab view of the index. The same search, in the same org with the
// same tickets, must reach exactly as many with and without a big other org full of the words.
//
// On PostgreSQL the expression is the search's tsquery (seen on the store's connection), and the
// index entries are counted with ts_stat over the documents the GIN index is built from (the words,
// and the documents under each): the same count of terms and postings, the same assertions.
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Tenant } from '../../src/domain/guard.js';
import * as tickets from '../../src/domain/tickets/index.js';
import { planImport } from '../../src/domain/tickets/changes.js';
import { MAX_SEARCH_TERMS } from '../../src/domain/tickets/search.js';
import type { NewTicket } from '../../src/store/ports/tickets.js';
import { RecordingLogger } from '../support/sql-scope.js';
import { onPostgres } from '../support/stores.js';
import { failure, openTestWorld, type TestWorld } from '../support/world.js';

const SEARCH = 'zeb* zebra Zébu* ZEBRA-crossing';

interface Setup {
  world: TestWorld;
  logger: RecordingLogger;
  acme: Tenant;
}

/** Acme's own tickets, always the same; Globex holds `others` tickets full of the searched words. */
async function setup(others: number): Promise<Setup> {
  const logger = new RecordingLogger();
  const world = await openTestWorld({ logger });
  const alice = await world.user('alice@example.com', 'Alice');
  const bob = await world.user('bob@example.com', 'Bob');
  const acme = await world.org(alice, 'Acme');
  if (world.onPostgres) recordStatements(acme, logger);
  const globex = await world.org(bob, 'Globex');
  await tickets.createTicket(acme, { title: 'zebra crossing broken', body: 'zebu and zebrafish' });
  const other = await tickets.createTicket(acme, { title: 'nothing here' });
  await tickets.commentOnTicket(acme, other.key, 'a Zébu was seen');
  await tickets.createTicket(acme, { title: 'zebra' });
  if (others > 0) {
    const draft = { status: 'open', priority: 'none', labels: [] as string[], assigneeEmail: null } as const;
    const rows: NewTicket[] = Array.from({ length: others }, (_, i) => ({
      ...draft,
      title: `zebra crossing zeb${i} zebu${i % 97}`,
      body: `Zebra zebrafish zébu zebra-crossing ${i}`,
    }));
    await globex.store.tickets.importMany(rows, (state) => planImport(globex.ctx.org, state));
    await tickets.commentOnTicket(globex, 'GLOBEX-1', 'zebra zebu zeb');
  }
  return { world, logger, acme };
}

/**
 * PostgreSQL: every statement the store sends on its connection (the one of the tenant repositories,
 * which the world's wrapper lets through), logged as drizzle's logger logs SQLite's.
 */
function recordStatements(tenant: Tenant, logger: RecordingLogger): void {
  const client = (tenant.store.tickets as unknown as { conn: { client: pg.Client } }).conn.client;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string') logger.logQuery(args[0], Array.isArray(args[1]) ? args[1] : []);
    return query(...args);
  };
}

/** The expression the store ran for the last search: SQLite's MATCH, or PostgreSQL's tsquery. */
function lastMatch(logger: RecordingLogger): string {
  const [statement, expression] = onPostgres ? [/to_tsquery\('simple'::regconfig, \$\d+\)/, (p: string) => /^\('o\d+x/.test(p)] : [/ticket_search MATCH/, (p: string) => p.startsWith('{')];
  const query = logger.queries.filter((q) => statement.test(q.sql)).at(-1);
  const match = query?.params.find((p): p is string => typeof p === 'string' && expression(p));
  if (!match) throw new Error('no search ran');
  return match;
}

/** Terms of the expression, `prefix` when it ends a phrase marked with `*` (`:*` in a tsquery). */
function terms(match: string): Array<{ term: string; prefix: boolean }> {
  const out: Array<{ term: string; prefix: boolean }> = [];
  if (onPostgres) {
    for (const [, term, star] of match.matchAll(/'([^']*)'(:\*)?/g)) out.push({ term: term!, prefix: star !== undefined });
    return out;
  }
  for (const [, phrase, star] of match.matchAll(/"([^"]*)"(\*?)/g)) {
    const parts = phrase!.split(' ');
    parts.forEach((term, i) => out.push({ term, prefix: star === '*' && i === parts.length - 1 }));
  }
  return out;
}

/** The index entries each term of `match` reaches: [terms in its range, postings under them]. */
function work(world: TestWorld, match: string): Array<[number, number]> {
  if (world.onPostgres) {
    // ts_stat: each word of the indexed documents (to_tsvector, as the GIN index has them) and ndoc,
    // the documents holding it. A term reaches the words it equals, or begins (a prefix).
    const range = world.db.prepare(`SELECT count(*) AS terms, coalesce(sum(ndoc), 0) AS postings
      FROM ts_stat('SELECT to_tsvector(''simple''::regconfig, document) FROM ticket_search')
      WHERE CASE WHEN ? THEN starts_with(word, ?) ELSE word = ? END`);
    return terms(match).map(({ term, prefix }) => {
      const row = range.get(prefix, term, term) as { terms: number; postings: number };
      return [Number(row.terms), Number(row.postings)];
    });
  }
  const sqlite = world.db as unknown as Database.Database;
  sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, 'ticket_search', 'row')`);
  const range = sqlite.prepare(`SELECT count(*) AS terms, coalesce(sum(cnt), 0) AS postings FROM temp.search_vocab
    WHERE term >= ? AND term < ?`);
  return terms(match).map(({ term, prefix }) => {
    // Every term starting with `term` sorts below `term` followed by U+10FFFF.
    const row = range.get(term, prefix ? `${term}\u{10FFFF}` : `${term}\u0000`) as { terms: number; postings: number };
    return [row.terms, row.postings];
  });
}

describe('the work of a search', () => {
  it('is the same with and without another org full of the searched words', async () => {
    const alone = await setup(0);
    const crowded = await setup(3000);
    const found = async (s: Setup) => (await tickets.listTickets(s.acme, { search: SEARCH })).map((t) => t.key);
    expect(await found(alone)).toEqual(['ACME-1']);
    expect(await found(crowded)).toEqual(['ACME-1']);
    const match = lastMatch(crowded.logger);
    expect(match).toBe(lastMatch(alone.logger));
    expect(terms(match).length).toBe(5);
    const before = work(alone.world, match);
    expect(before.every(([n]) => n > 0)).toBe(true);
    expect(work(crowded.world, match)).toEqual(before);
    // The count does see the other org: its own terms for the same words are in the index.
    const globexMatch = match.replace(/o\d+x/g, `o${crowded.acme.ctx.org.id + 1}x`);
    const globexWork = work(crowded.world, globexMatch);
    expect(globexWork.reduce((n, [, postings]) => n + postings, 0)).toBeGreaterThan(3000);
    await alone.world.close();
    await crowded.world.close();
  });

  it(`refuses more than ${MAX_SEARCH_TERMS} terms, counting each part of a word`, async () => {
    const { world, acme } = await setup(0);
    const words = (n: number) => Array.from({ length: n }, (_, i) => `zeb${i}*`).join(' ');
    await tickets.listTickets(acme, { search: words(MAX_SEARCH_TERMS) });
    const tooMany = await failure(tickets.listTickets(acme, { search: words(MAX_SEARCH_TERMS + 1) }));
    expect([tooMany.code, tooMany.message]).toEqual(['usage', '--search has 17 terms; at most 16 are allowed']);
    const joined = await failure(tickets.listTickets(acme, { search: Array.from({ length: 17 }, () => 'zeb').join('-') }));
    expect(joined.code).toBe('usage');
    await world.close();
  });
});
