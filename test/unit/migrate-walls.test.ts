// Migrations 0002-0005 (issue 11, items 2 and 9) on a store created at the previous schema (0001),
// holding two orgs' data written in turns: the data stays, the search index is rebuilt with
// org-qualified terms and still finds it, and the ids people see are renumbered per org.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { searchWords } from '../../src/domain/tickets/search.js';
import { ftsQuery } from '../../src/store/sqlite/search-index.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { sqliteStoreBefore } from '../support/old-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A store file at migration 0001, as the released tkt left it. */
function storeAt0001(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-migrate-'));
  dirs.push(dir);
  const file = path.join(dir, 'store.db');
  sqliteStoreBefore(file, '0002_ticket_search_org_terms').close();
  return file;
}

function seed(file: string): { acme: number; globex: number } {
  const db = new Database(file);
  const run = (sql: string, ...params: unknown[]) => Number(db.prepare(sql).run(...params).lastInsertRowid);
  const user = run(`INSERT INTO users (email, name, password_hash, created_at) VALUES ('u@example.com', 'U', 'h', 1)`);
  const org = (slug: string, key: string) =>
    run(`INSERT INTO organizations (slug, name, ticket_key, next_ticket_number, created_at) VALUES (?, ?, ?, 2, 1)`, slug, slug, key);
  const acme = org('acme', 'ACME');
  const globex = org('globex', 'GLOBEX');
  const ticket = (o: number, title: string, body: string) =>
    run(`INSERT INTO tickets (organization_id, number, title, body, reporter_id, created_at, updated_at) VALUES (?, 1, ?, ?, ?, 1, 1)`, o, title, body, user);
  const audit = (o: number, action: string, type: string, target: string, details: object) =>
    run(
      `INSERT INTO audit_events (organization_id, actor_id, action, target_type, target, details, created_at) VALUES (?, ?, ?, ?, ?, ?, 1)`,
      o, user, action, type, target, JSON.stringify(details),
    );
  const comment = (o: number, t: number, body: string) => {
    const id = run(`INSERT INTO comments (organization_id, ticket_id, author_id, body, created_at) VALUES (?, ?, ?, ?, 1)`, o, t, user, body);
    audit(o, 'ticket.comment', 'ticket', 'X-1', { commentId: id });
  };
  let id0 = 0;
  const invite = (o: number, email: string) => {
    const id = run(
      `INSERT INTO invitations (organization_id, email, role_code, token_hash, inviter_id, created_at, expires_at) VALUES (?, ?, 'member', ?, ?, 1, 9)`,
      o, email, `hash-${o}-${id0++}`, user,
    );
    audit(o, 'invite.create', 'invitation', String(id), { email, role: 'member', expiresAt: 'x' });
    return id;
  };
  const g = ticket(globex, 'Zebra crossing', 'globex body');
  const a = ticket(acme, 'Zébra Login', 'Safari fails');
  comment(globex, g, 'first globex');
  comment(globex, g, 'second globex');
  comment(acme, a, 'the acme comment mentions Gnu');
  invite(globex, 'g1@example.com');
  const replaced = invite(acme, 'a1@example.com');
  invite(globex, 'g2@example.com');
  const replacing = invite(acme, 'a1@example.com');
  audit(acme, 'invite.revoke', 'invitation', String(replaced), { email: 'a1@example.com', reason: 'replaced', replacedBy: replacing });
  comment(acme, a, 'another one');
  db.close();
  return { acme, globex };
}

describe('migrating a 0001 store', () => {
  it('keeps the data, rebuilds the search index per org and numbers ids per org', () => {
    const file = storeAt0001();
    const { acme, globex } = seed(file);
    const store = openSqliteStore({ path: file });
    try {
      const db = store.conn.sqlite;
      const rows = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as any[];
      const search = (org: number, text: string) =>
        rows('SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?', ftsQuery(org, searchWords(text))).map((r) => r.rowid);
      const ticketOf = (org: number) => (db.prepare('SELECT id FROM tickets WHERE organization_id = ?').get(org) as { id: number }).id;

      expect(search(acme, 'zebra login saf*')).toEqual([ticketOf(acme)]);
      expect(search(acme, 'gnu')).toEqual([ticketOf(acme)]);
      expect(search(globex, 'zeb* SECOND')).toEqual([ticketOf(globex)]);
      expect(search(acme, 'second')).toEqual([]);

      const numbers = (table: string, org: number) =>
        rows(`SELECT number FROM ${table} WHERE organization_id = ? ORDER BY id`, org).map((r) => r.number);
      expect(numbers('comments', acme)).toEqual([1, 2]);
      expect(numbers('comments', globex)).toEqual([1, 2]);
      expect(numbers('invitations', acme)).toEqual([1, 2]);
      expect(numbers('invitations', globex)).toEqual([1, 2]);
      expect(numbers('audit_events', acme)).toEqual([1, 2, 3, 4, 5]);
      expect(numbers('audit_events', globex)).toEqual([1, 2, 3, 4]);
      const counters = (org: number) =>
        db.prepare('SELECT next_comment_number AS c, next_audit_number AS a, next_invite_number AS i FROM organizations WHERE id = ?').get(org);
      expect(counters(acme)).toEqual({ c: 3, a: 6, i: 3 });
      expect(counters(globex)).toEqual({ c: 3, a: 5, i: 3 });

      const acmeEvents = rows('SELECT action, target, details FROM audit_events WHERE organization_id = ? ORDER BY id', acme).map(
        (e) => `${e.action} ${e.target} ${e.details}`,
      );
      expect(acmeEvents).toEqual([
        'ticket.comment X-1 {"commentId":1}',
        'invite.create 1 {"email":"a1@example.com","role":"member","expiresAt":"x"}',
        'invite.create 2 {"email":"a1@example.com","role":"member","expiresAt":"x"}',
        'invite.revoke 1 {"email":"a1@example.com","reason":"replaced","replacedBy":2}',
        'ticket.comment X-1 {"commentId":2}',
      ]);
    } finally {
      store.close();
    }
  });
});
