// Ticket use cases against a real store (in-memory SQLite, or a PostgreSQL database as the CLI's
// role, row-level security applying): keys, field rules, org isolation at the domain and at the
// database level, audit events, cascades and the all-or-nothing import.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/domain/auth.js';
import type { Tenant } from '../../src/domain/guard.js';
import * as tickets from '../../src/domain/tickets/index.js';
import * as transfer from '../../src/domain/tickets/transfer.js';
import { toCsv } from '../../src/domain/tickets/csv.js';
import { planImport } from '../../src/domain/tickets/changes.js';
import type { ErrorCode } from '../../src/errors.js';
import type { NewTicket } from '../../src/store/ports/tickets.js';
import { isForeignKeyViolation } from '../../src/store/sqlite/connection.js';
import { searchWords } from '../../src/domain/tickets/search.js';
import { tsQuery } from '../../src/store/pg/tickets.js';
import { ftsQuery } from '../../src/store/sqlite/search-index.js';
import { seedMember } from '../support/members.js';
import { RecordingLogger, unscopedQueries } from '../support/sql-scope.js';
import { onPostgres, onSqlite } from '../support/stores.js';
import { failure, openTestWorld, type TestWorld } from '../support/world.js';

let world: TestWorld;
let alice: Principal;
let bob: Principal;
let acme: Tenant;
let globex: Tenant;

beforeEach(async () => {
  world = await openTestWorld();
  alice = await world.user('alice@example.com', 'Alice');
  bob = await world.user('bob@example.com', 'Bob');
  acme = await world.org(alice, 'Acme');
  globex = await world.org(bob, 'Globex');
});
afterEach(async () => world?.close());

/** A raw connection as the store's owner (on PostgreSQL: past row-level security, not past constraints and triggers). */
const sqlite = () => world.db;
const count = (table: string) => (sqlite().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('ticket keys', () => {
  it('accepts ACME-42, acme-42, 42 and #42, always in the tenant org', () => {
    for (const key of ['ACME-42', 'acme-42', '42', '#42', ' 42 ', 'ACME-042']) {
      expect(tickets.parseTicketKey(key, acme.ctx.org)).toBe(42);
    }
  });

  it('a non-numeric or malformed key is a usage error', async () => {
    for (const key of ['abc', 'ACME-', 'ACME42', '#', '', '4 2', '-1', 'X-1', 'ACME-1x', '1e3', 'ACME-99999999999999999']) {
      expect((await failure((async () => tickets.parseTicketKey(key, acme.ctx.org))())).code, key).toBe('usage');
    }
  });

  it("another org's key, ticket 0 and a missing number all read 'not found' alike", async () => {
    await tickets.createTicket(globex, { title: 'Globex secret' });
    const other = await failure(tickets.getTicket(acme, 'GLOBEX-1'));
    const missing = await failure(tickets.getTicket(acme, 'ACME-1'));
    expect(other.code).toBe('not-found');
    expect(missing.code).toBe('not-found');
    expect(other.message.replace('GLOBEX-1', 'K')).toBe(missing.message.replace('ACME-1', 'K'));
    expect((await failure(tickets.getTicket(acme, 'ACME-0'))).code).toBe('not-found');
  });

  it('numbers per org from 1 and never reuses a deleted number', async () => {
    const a1 = await tickets.createTicket(acme, { title: 'one' });
    const g1 = await tickets.createTicket(globex, { title: 'uno' });
    const a2 = await tickets.createTicket(acme, { title: 'two' });
    expect([a1.key, g1.key, a2.key]).toEqual(['ACME-1', 'GLOBEX-1', 'ACME-2']);
    await tickets.deleteTicket(acme, 'ACME-2', async () => true);
    expect((await tickets.createTicket(acme, { title: 'three' })).key).toBe('ACME-3');
    expect((await failure(tickets.getTicket(acme, '2'))).code).toBe('not-found');
  });
});

describe('field rules (exit 2, nothing written)', () => {
  const rejects = async (input: tickets.CreateInput, code: ErrorCode = 'usage') => {
    const before = count('tickets');
    expect((await failure(tickets.createTicket(acme, input))).code).toBe(code);
    expect(count('tickets')).toBe(before);
  };

  it('title: 1-200 characters after trimming, one line', async () => {
    await rejects({ title: '   ' });
    await rejects({ title: 'x'.repeat(201) });
    await rejects({ title: 'x'.repeat(1024 * 1024) });
    await rejects({ title: 'a\u0000b' });
    await rejects({ title: 'two\nlines' });
    await rejects({ title: 'lone \ud800 surrogate' });
    expect((await tickets.createTicket(acme, { title: `  ${'y'.repeat(200)}  ` })).title).toBe('y'.repeat(200));
  });

  it('body: any text up to 65,536 characters (not bytes), control and bidi characters kept, no NUL', async () => {
    await rejects({ title: 't', body: 'é'.repeat(65_537) });
    await rejects({ title: 't', body: 'nul \u0000 here' });
    await rejects({ title: 't', body: 'lone \ud800 surrogate' });
    const ok = await tickets.createTicket(acme, { title: 't', body: '# Heading\r\n\n\t- item\n\n```\ncode\n```\n\n' });
    expect(ok.body).toBe('# Heading\n\n\t- item\n\n```\ncode\n```');
    expect((await tickets.createTicket(acme, { title: 't', body: 'é'.repeat(65_536) })).body).toHaveLength(65_536);
    // 65,536 characters of 4 UTF-8 bytes each (256 KiB) and a family emoji of 7 code points each.
    expect((await tickets.createTicket(acme, { title: 't', body: '😀'.repeat(65_536) })).body).toHaveLength(131_072);
    expect((await tickets.createTicket(acme, { title: 't', body: '👨‍👩‍👧'.repeat(1000) })).body).toHaveLength(8000);
    const terminal = 'build \u001b[31mFAILED\u001b[0m\b\u0007 \u0085\u009b \ufffd \u202eevil\u202c \u2028 end';
    expect((await tickets.createTicket(acme, { title: 't', body: terminal })).body).toBe(terminal);
    const err = await failure(tickets.createTicket(acme, { title: 't', body: 'a\u0000' }));
    expect([err.message, err.hint]).toEqual(['body contains a NUL character (U+0000)', expect.stringContaining('end of the text')]);
  });

  it('status, priority and labels from their sets; assignee a member', async () => {
    await rejects({ title: 't', priority: 'critical' });
    // The ticket is looked up first (inside the write), then the status in the org's workflow.
    expect((await failure(tickets.moveTicket(acme, '1', 'blocked'))).code).toBe('not-found');
    await rejects({ title: 't', labels: ['a'.repeat(51)] });
    await rejects({ title: 't', labels: ['tab\there'] });
    await rejects({ title: 't', labels: [''] });
    await rejects({ title: 't', assignee: 'bob@example.com' }); // a user, but not of acme
    await rejects({ title: 't', assignee: 'nobody@example.com' });
    await rejects({ title: 't', assignee: 'not an email' });
    const t = await tickets.createTicket(acme, { title: 't', labels: ['ui,bug', 'bug', 'Ünïcode label'], assignee: '@me', priority: 'urgent' });
    expect(t).toMatchObject({ labels: ['bug', 'ui', 'Ünïcode label'], assignee: { email: 'alice@example.com' }, priority: 'urgent' });
    expect((await failure(tickets.moveTicket(acme, t.key, 'blocked'))).code).toBe('usage');
  });

  it('SQL-looking text is stored and found literally', async () => {
    const title = "Robert'); DROP TABLE tickets; --";
    const t = await tickets.createTicket(acme, { title, body: '" OR 1=1 --', labels: ["x'--"] });
    expect((await tickets.getTicket(acme, t.key)).title).toBe(title);
    expect((await tickets.listTickets(acme, { search: 'DROP TABLE' })).map((x) => x.key)).toEqual([t.key]);
    expect((await tickets.listTickets(acme, { labels: ["x'--"] })).map((x) => x.key)).toEqual([t.key]);
    expect(count('tickets')).toBe(1);
  });
});

describe('search', () => {
  it.runIf(onSqlite)('builds a literal FTS expression of org-qualified terms', () => {
    expect(ftsQuery(7, searchWords('Login "broken" pass* Sign-In Ça*'))).toBe(
      '{title body comments}: ("o7xlogin" "o7xbroken" "o7xpass"* "o7xsign o7xin" "o7xca"*)',
    );
    expect(ftsQuery(7, searchWords('" -- *'))).toBeNull();
    expect(ftsQuery(7, [])).toBeNull();
  });

  it.runIf(onPostgres)('builds a literal tsquery of org-qualified terms', () => {
    expect(tsQuery(7, searchWords('Login "broken" pass* Sign-In Ça* it\'s'))).toBe(
      "('o7xlogin') & ('o7xbroken') & ('o7xpass':*) & ('o7xsign' <-> 'o7xin') & ('o7xca':*) & ('o7xit' <-> 'o7xs')",
    );
    expect(tsQuery(7, searchWords('" -- *'))).toBeNull();
    expect(tsQuery(7, [])).toBeNull();
  });

  it('finds words in title, body and comments, only in the tenant org', async () => {
    const a = await tickets.createTicket(acme, { title: 'Login fails', body: 'on Safari' });
    const b = await tickets.createTicket(acme, { title: 'Other' });
    await tickets.commentOnTicket(acme, b.key, 'the Login button too');
    await tickets.createTicket(globex, { title: 'Login fails in Globex as well' });
    const keys = async (t: Tenant, search: string) => (await tickets.listTickets(t, { search })).map((x) => x.key);
    expect(await keys(acme, 'login')).toEqual([b.key, a.key]);
    expect(await keys(acme, 'safari')).toEqual([a.key]);
    expect(await keys(acme, 'log*')).toEqual([b.key, a.key]);
    expect(await keys(acme, 'login globex')).toEqual([]);
    expect(await keys(globex, 'login')).toEqual(['GLOBEX-1']);
    // search text that tries to reach the org column finds nothing extra
    expect(await keys(acme, `organization_id:o${globex.ctx.org.id}`)).toEqual([]);
    await tickets.editTicket(acme, a.key, { title: 'Sign-in fails' });
    expect(await keys(acme, 'sign')).toEqual([a.key]);
  });

  it('any text is searched without error and never leaves the org', async () => {
    await tickets.createTicket(acme, { title: 'alpha "beta" (gamma) NEAR OR AND NOT * : ^' });
    await tickets.createTicket(globex, { title: 'alpha beta gamma' });
    const pieces = ['alpha', '"', '*', ':', '(', ')', '-', '^', '{', '}', 'AND', 'OR', 'NOT', 'NEAR', 'NEAR(', "'", ';', ' ', 'title:', 'o1'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }), async (parts) => {
        const text = parts.join('');
        if (text.trim() === '') return;
        const found = await tickets.listTickets(acme, { search: text });
        expect(found.every((t) => t.key.startsWith('ACME-'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('listing', () => {
  beforeEach(() => seedMember(sqlite(), 'acme', 'bob@example.com', 'member'));

  it('filters by status, priority, assignee, label; sorts; limits', async () => {
    const t1 = await tickets.createTicket(acme, { title: 'one', priority: 'low', labels: ['bug'] });
    const t2 = await tickets.createTicket(acme, { title: 'two', priority: 'urgent', assignee: 'bob@example.com', labels: ['bug', 'ui'] });
    const t3 = await tickets.createTicket(acme, { title: 'three', priority: 'high', assignee: '@me' });
    await tickets.moveTicket(acme, t3.key, 'done');
    world.clock.advance(1000);
    await tickets.commentOnTicket(acme, t1.key, 'bump');
    const keys = async (f: tickets.TicketFilters, o?: { sort?: string; limit?: number }) =>
      (await tickets.listTickets(acme, f, o)).map((t) => t.key);
    expect(await keys({})).toEqual([t3.key, t2.key, t1.key]);
    expect(await keys({ statuses: ['open'] })).toEqual([t2.key, t1.key]);
    expect(await keys({ statuses: ['done', 'canceled'] })).toEqual([t3.key]);
    expect(await keys({ statuses: ['open,done'] })).toEqual([t3.key, t2.key, t1.key]);
    expect(await keys({ priorities: ['urgent', 'low'] })).toEqual([t2.key, t1.key]);
    expect(await keys({ assignee: '@me' })).toEqual([t3.key]);
    expect(await keys({ assignee: 'BOB@example.com' })).toEqual([t2.key]);
    expect(await keys({ assignee: 'none' })).toEqual([t1.key]);
    expect(await keys({ assignee: 'stranger@example.com' })).toEqual([]);
    expect(await keys({ labels: ['bug'] })).toEqual([t2.key, t1.key]);
    expect(await keys({ labels: ['bug', 'ui'] })).toEqual([t2.key]);
    expect(await keys({ labels: ['nope'] })).toEqual([]);
    expect(await keys({}, { sort: 'priority' })).toEqual([t2.key, t3.key, t1.key]);
    expect(await keys({}, { sort: 'updated' })).toEqual([t1.key, t3.key, t2.key]);
    expect(await keys({}, { sort: 'created' })).toEqual([t3.key, t2.key, t1.key]);
    expect(await keys({}, { limit: 2 })).toEqual([t3.key, t2.key]);
    expect((await failure(tickets.listTickets(acme, {}, { sort: 'title' }))).code).toBe('usage');
    expect((await failure(tickets.listTickets(acme, { statuses: ['finished'] }))).code).toBe('usage');
  });

  it("takes statuses of the org's workflow and priorities in any case, with in-progress and categories; suggests the nearest", async () => {
    for (const v of ['in_progress', 'In-Progress', 'in progress', ' IN_PROGRESS ']) expect(tickets.status(v)).toBe('in_progress');
    expect(tickets.priority('URGENT')).toBe('urgent');
    const t = await tickets.createTicket(acme, { title: 'one' });
    const typo = await failure(tickets.moveTicket(acme, t.key, 'opne'));
    expect([typo.code, typo.message, typo.hint]).toEqual([
      'usage',
      'acme has no status "opne"',
      'did you mean "open"? its statuses: open, in_progress, done, canceled (tkt workflow show)',
    ]);
    expect((await failure(Promise.resolve().then(() => tickets.priority('banana')))).hint).toBe('valid priority values: none, low, medium, high, urgent');
    await tickets.moveTicket(acme, t.key, 'Done');
    expect((await tickets.listTickets(acme, { statuses: ['all'] })).map((x) => x.status)).toEqual(['done']);
    expect((await tickets.listTickets(acme, { statuses: ['completed'] })).map((x) => x.statusCategory)).toEqual(['completed']);
    expect(await tickets.listTickets(acme, { statuses: ['open', 'In Progress'] })).toEqual([]);
  });

  it('filters by creation and update time, pages, and counts with the same filters in the org only', async () => {
    const old = await tickets.createTicket(acme, { title: 'old' });
    world.clock.advance(10 * 864e5);
    const recent = await tickets.createTicket(acme, { title: 'recent' });
    await tickets.createTicket(globex, { title: 'elsewhere' });
    const since = world.clock.now() - 864e5;
    expect((await tickets.listTickets(acme, { createdSince: since })).map((t) => t.key)).toEqual([recent.key]);
    await tickets.commentOnTicket(acme, old.key, 'bump');
    expect((await tickets.listTickets(acme, { updatedSince: since })).map((t) => t.key)).toEqual([recent.key, old.key]);
    const page2 = await tickets.listTicketPage(acme, {}, { limit: 1, page: 2 }, true);
    expect([page2.tickets.map((t) => t.key), page2.total]).toEqual([[old.key], 2]);
    expect((await tickets.listTicketPage(acme, { createdSince: since }, { limit: 1 }, true)).total).toBe(1);
    expect((await tickets.listTicketPage(acme, {}, { limit: 1 }, false)).total).toBeUndefined();
  });

  it('finds an assignee by name or a unique email prefix among the members only', async () => {
    const t2 = await tickets.createTicket(acme, { title: 'for bob', assignee: 'bob' });
    expect(t2.assignee?.email).toBe('bob@example.com');
    expect((await tickets.listTickets(acme, { assignee: 'Bob' })).map((t) => t.key)).toEqual([t2.key]);
    const carol = await world.user('carol@example.com', 'Carol');
    await world.user('boris@example.com', 'Boris'); // not a member of acme: never a candidate
    seedMember(sqlite(), 'acme', carol.user.email, 'member');
    expect((await tickets.assignTicket(acme, t2.key, 'car')).after.assignee?.email).toBe('carol@example.com');
    const none = await failure(tickets.assignTicket(acme, t2.key, 'boris'));
    expect([none.code, none.message]).toEqual(['usage', 'no member of acme matches "boris"']);
    await world.user('carl@example.com', 'Carl');
    seedMember(sqlite(), 'acme', 'carl@example.com', 'member');
    const two = await failure(tickets.assignTicket(acme, t2.key, 'car'));
    expect([two.code, two.message]).toEqual(['usage', '"car" matches 2 members of acme: Carl <carl@example.com>, Carol <carol@example.com>']);
  });

  it('matchMembers: an exact name or local part wins, else every prefix of an email or a name', () => {
    const people = [
      { email: 'bob@example.com', name: 'Bob' },
      { email: 'bobby@example.com', name: 'Robert' },
      { email: 'alice@example.com', name: 'Alice Smith' },
    ];
    expect(tickets.matchMembers('bob', people).map((p) => p.email)).toEqual(['bob@example.com']);
    expect(tickets.matchMembers('bo', people).map((p) => p.email)).toEqual(['bob@example.com', 'bobby@example.com']);
    expect(tickets.matchMembers('ROB', people).map((p) => p.email)).toEqual(['bobby@example.com']);
    expect(tickets.matchMembers('alice s', people).map((p) => p.email)).toEqual(['alice@example.com']);
    expect(tickets.matchMembers('zed', people)).toEqual([]);
  });

  it('lists 30 by default, all with limit 0', async () => {
    await transfer.importTickets(acme, JSON.stringify(Array.from({ length: 35 }, (_, i) => ({ title: `t${i}` }))), 'json');
    expect(await tickets.listTickets(acme, {})).toHaveLength(30);
    expect(await tickets.listTickets(acme, {}, { limit: 0 })).toHaveLength(35);
  });
});

describe('changes and their audit trail', () => {
  beforeEach(() => seedMember(sqlite(), 'acme', 'bob@example.com', 'member'));

  it('every change is one audit event on the key; a no-op writes nothing', async () => {
    const t = await tickets.createTicket(acme, { title: 'first', labels: ['a'] });
    const bobAcme = await world.tenant(bob, 'acme');
    await tickets.editTicket(acme, t.key, { title: 'renamed', priority: 'high', addLabels: ['b'], removeLabels: ['a'] });
    await tickets.assignTicket(acme, t.key, 'bob@example.com');
    await tickets.assignTicket(acme, t.key, 'bob@example.com'); // no-op
    await tickets.moveTicket(bobAcme, t.key, 'in_progress');
    await tickets.moveTicket(bobAcme, t.key, 'in_progress'); // no-op
    expect((await tickets.reopenTicket(acme, t.key)).changed).toBe(false); // in progress stays
    await tickets.moveTicket(acme, t.key, 'done');
    expect((await tickets.reopenTicket(acme, t.key)).after.status).toBe('open');
    await tickets.commentOnTicket(bobAcme, t.key, 'on it');
    await tickets.unassignTicket(acme, t.key);
    expect((await tickets.unassignTicket(acme, t.key)).changed).toBe(false);
    expect((await tickets.editTicket(acme, t.key, { title: 'renamed' })).changed).toBe(false);
    expect((await failure(tickets.editTicket(acme, t.key, {}))).code).toBe('usage');
    expect((await failure(tickets.editTicket(acme, t.key, { addLabels: ['x'], removeLabels: ['x'] }))).code).toBe('usage');

    const view = await tickets.viewTicket(acme, t.key);
    expect(view.history.map((e) => `${e.actor.email} ${e.action}`)).toEqual([
      'alice@example.com ticket.create',
      'alice@example.com ticket.edit',
      'alice@example.com ticket.assign',
      'bob@example.com ticket.move',
      'alice@example.com ticket.move',
      'alice@example.com ticket.move',
      'bob@example.com ticket.comment',
      'alice@example.com ticket.unassign',
    ]);
    expect(view.history.every((e) => e.targetType === 'ticket' && e.target === 'ACME-1')).toBe(true);
    expect(view.history[1]!.details).toEqual({
      title: { from: 'first', to: 'renamed' },
      priority: { from: 'none', to: 'high' },
      addedLabels: ['b'],
      removedLabels: ['a'],
    });
    expect(view.ticket).toMatchObject({ title: 'renamed', labels: ['b'], status: 'open', assignee: null });
    expect(view.comments.map((c) => [c.author.email, c.body])).toEqual([['bob@example.com', 'on it']]);
  });

  it('checks permissions in the use case too (viewer reads, cannot write)', async () => {
    seedMember(sqlite(), 'acme', 'bob@example.com', 'viewer');
    const t = await tickets.createTicket(acme, { title: 'x' });
    const viewer = await world.tenant(bob, 'acme');
    expect((await tickets.getTicket(viewer, t.key)).title).toBe('x');
    expect((await failure(tickets.createTicket(viewer, { title: 'y' }))).code).toBe('forbidden');
    expect((await failure(tickets.commentOnTicket(viewer, t.key, 'hi'))).code).toBe('forbidden');
    expect((await failure(tickets.assignTicket(viewer, t.key, '@me'))).code).toBe('forbidden');
    expect((await failure(tickets.deleteTicket(viewer, t.key, async () => true))).code).toBe('forbidden');
    expect((await failure(transfer.importTickets(viewer, '[]', 'json'))).code).toBe('forbidden');
  });

  it('deleting a ticket removes its comments, label links and search row, and keeps its history', async () => {
    const t = await tickets.createTicket(acme, { title: 'doomed words', labels: ['x', 'y'] });
    const keep = await tickets.createTicket(acme, { title: 'kept', labels: ['x'] });
    await tickets.commentOnTicket(acme, t.key, 'first');
    await tickets.commentOnTicket(acme, keep.key, 'second');
    expect((await failure(tickets.deleteTicket(acme, t.key, async () => false))).code).toBe('usage');
    expect(count('comments')).toBe(2);
    await tickets.deleteTicket(acme, t.key, async () => true);
    expect(count('comments')).toBe(1);
    expect(count('ticket_labels')).toBe(1);
    expect(count('ticket_search')).toBe(1);
    expect(count('labels')).toBe(2);
    expect(await tickets.listTickets(acme, { search: 'doomed' })).toEqual([]);
    const events = await acme.store.audit.list({ target: { type: 'ticket', id: t.key }, limit: 0, chronological: true });
    expect(events.map((e) => e.action)).toEqual(['ticket.create', 'ticket.comment', 'ticket.delete']);
    expect((await failure(tickets.deleteTicket(acme, t.key, async () => true))).code).toBe('not-found');
  });
});

describe('the database keeps tickets inside their org (below the domain)', () => {
  /**
   * Runs `insert` with the next number of the org's `counter`, which moves past it in the same
   * transaction (PostgreSQL refuses a number the counter did not allocate, and a counter with a gap).
   */
  const numbered = (orgId: number, counter: 'next_ticket_number' | 'next_comment_number', insert: (n: number) => void) => {
    const db = sqlite();
    const { n } = db.prepare(`SELECT ${counter} AS n FROM organizations WHERE id = ?`).get(orgId) as { n: number };
    const write = () => {
      db.prepare(`UPDATE organizations SET ${counter} = ? WHERE id = ?`).run(n + 1, orgId);
      insert(n);
    };
    if (!world.onPostgres) return db.transaction(write)();
    // world.db on PostgreSQL is one connection, statement by statement: the transaction spelled out.
    db.prepare('BEGIN').run();
    try {
      write();
      db.prepare('COMMIT').run();
    } catch (err) {
      db.prepare('ROLLBACK').run();
      throw err;
    }
  };
  const insertTicket = (orgId: number, assignee: number | null, status = 'open') =>
    numbered(orgId, 'next_ticket_number', (n) =>
      sqlite()
        .prepare(
          `INSERT INTO tickets (organization_id, number, title, status, reporter_id, assignee_id, created_at, updated_at)
           VALUES (?, ?, 'raw', ?, ?, ?, 0, 0)`,
        )
        .run(orgId, n, status, alice.user.id, assignee),
    );
  const fkError = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return world.onPostgres ? /violates foreign key constraint/.test((err as Error).message) : isForeignKeyViolation(err);
    }
    return false;
  };

  it('refuses an assignee who is not a member of the ticket org', async () => {
    const t = await tickets.createTicket(acme, { title: 'mine' });
    expect(fkError(() => sqlite().prepare('UPDATE tickets SET assignee_id = ? WHERE id = ?').run(bob.user.id, t.id))).toBe(true);
    expect(fkError(() => insertTicket(acme.ctx.org.id, bob.user.id))).toBe(true);
    expect(fkError(() => insertTicket(globex.ctx.org.id, alice.user.id))).toBe(true);
    expect(count('tickets')).toBe(1);
  });

  it("refuses a status of another org's workflow", async () => {
    sqlite()
      .prepare(`INSERT INTO workflow_statuses (organization_id, code, name, category, position, created_at) VALUES (?, 'triage', 'Triage', 'unstarted', 9, 0)`)
      .run(globex.ctx.org.id);
    expect(fkError(() => insertTicket(acme.ctx.org.id, null, 'triage'))).toBe(true);
    insertTicket(globex.ctx.org.id, null, 'triage');
    expect(count('tickets')).toBe(1);
    const t = await tickets.createTicket(acme, { title: 'mine' });
    expect(fkError(() => sqlite().prepare(`UPDATE tickets SET status = 'triage' WHERE id = ?`).run(t.id))).toBe(true);
  });

  it("refuses a comment or label link that points at another org's ticket", async () => {
    const t = await tickets.createTicket(acme, { title: 'acme ticket', labels: ['acme-label'] });
    await tickets.createTicket(globex, { title: 'globex ticket', labels: ['globex-label'] });
    const globexLabel = (sqlite().prepare("SELECT id FROM labels WHERE name = 'globex-label'").get() as { id: number }).id;
    expect(
      fkError(() =>
        numbered(globex.ctx.org.id, 'next_comment_number', (n) =>
          sqlite()
            .prepare('INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, 0)')
            .run(globex.ctx.org.id, n, t.id, bob.user.id, 'sneaky'),
        ),
      ),
    ).toBe(true);
    expect(
      fkError(() =>
        sqlite().prepare('INSERT INTO ticket_labels (organization_id, ticket_id, label_id) VALUES (?, ?, ?)').run(acme.ctx.org.id, t.id, globexLabel),
      ),
    ).toBe(true);
    expect(count('comments') + count('ticket_labels')).toBe(2);
  });
});

describe('import is all or nothing', () => {
  it('a bad record anywhere writes nothing and takes no numbers', async () => {
    const records = [{ title: 'ok 1' }, { title: 'ok 2' }, { title: 'bad', status: 'blocked' }];
    const events = count('audit_events');
    const err = await failure(transfer.importTickets(acme, JSON.stringify(records), 'json'));
    expect(err).toMatchObject({ code: 'usage', message: 'record 3: status "blocked" is not a status of acme' });
    expect(count('tickets')).toBe(0);
    expect(count('audit_events')).toBe(events);
    expect((await tickets.createTicket(acme, { title: 'next' })).key).toBe('ACME-1');
  });

  it('an assignee who stopped being a member is refused inside the transaction', async () => {
    // Straight to the repository, past the domain's friendlier check.
    const draft: Omit<NewTicket, 'assigneeEmail'> = { title: 't', body: '', status: 'open', priority: 'none', labels: ['new-label'] };
    const err = await failure(
      acme.store.tickets.importMany(
        [
          { ...draft, assigneeEmail: null },
          { ...draft, assigneeEmail: 'bob@example.com' },
        ],
        (state) => planImport(acme.ctx.org, state),
      ),
    );
    expect(err.code).toBe('usage');
    expect(count('tickets') + count('labels')).toBe(0);
  });

  it('numbers imported tickets after the existing ones, in file order, with an audit event each', async () => {
    await tickets.createTicket(acme, { title: 'existing' });
    const created = await transfer.importTickets(
      acme,
      JSON.stringify([{ key: 'X-9', number: 9, org: 'x', title: 'a', labels: ['l1'] }, { title: 'b', assignee: { email: 'alice@example.com', name: 'A' } }]),
      'json',
    );
    expect(created.created).toEqual([
      { key: 'ACME-2', title: 'a' },
      { key: 'ACME-3', title: 'b' },
    ]);
    expect((await tickets.getTicket(acme, 'ACME-3')).assignee?.email).toBe('alice@example.com');
    const { history } = await tickets.viewTicket(acme, 'ACME-2');
    expect(history.map((e) => e.action)).toEqual(['ticket.import']);
  });
});

// The SQL-scoping check reads the SQLite repositories' statements; on PostgreSQL row-level security
// scopes every statement instead (the model test, test/unit/model.test.ts, and the attack test).
describe.runIf(onSqlite)('tenant scoping of every ticket statement', () => {
  it('each SQL statement the ticket use cases run is bound to one org', async () => {
    const logger = new RecordingLogger();
    await world.close();
    world = await openTestWorld({ logger });
    alice = await world.user('alice@example.com');
    acme = await world.org(alice, 'Acme');
    const t = await tickets.createTicket(acme, { title: 'scoped', labels: ['a'], assignee: '@me' });
    await tickets.editTicket(acme, t.key, { body: 'b', addLabels: ['c'], removeLabels: ['a'] });
    await tickets.assignTicket(acme, t.key, '@me');
    await tickets.unassignTicket(acme, t.key);
    await tickets.moveTicket(acme, t.key, 'done');
    await tickets.reopenTicket(acme, t.key);
    await tickets.commentOnTicket(acme, t.key, 'c');
    await tickets.viewTicket(acme, t.key);
    for (const sort of tickets.TICKET_SORTS) {
      await tickets.listTickets(acme, { statuses: ['open'], priorities: ['none'], labels: ['c'], assignee: 'none', search: 'scoped' }, { sort });
    }
    await tickets.listTickets(acme, { assignee: '@me' });
    const exported = await transfer.exportTickets(acme, {});
    await transfer.importTickets(acme, JSON.stringify(exported), 'json');
    await transfer.importTickets(acme, await toCsv(exported), 'csv');
    await tickets.deleteTicket(acme, t.key, async () => true);
    expect(logger.queries.length).toBeGreaterThan(40);
    expect(unscopedQueries(logger.queries)).toEqual([]);
  });
});
