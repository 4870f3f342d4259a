// Test seeding for memberships and tickets, straight into a store's tables: the commands that
// normally create them (invite accept, ticket create) have their own tests, and the member and
// role tests must not depend on them.
import type Database from 'better-sqlite3';
import type { RawDb } from './raw-store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';

/** Makes `email` a member of `orgSlug` with the role `roleCode` (or changes their role). */
export function seedMember(sqlite: RawDb, orgSlug: string, email: string, roleCode: string): void {
  const result = sqlite
    .prepare(
      `INSERT INTO memberships (organization_id, user_id, role_id, created_at)
       SELECT o.id, u.id, r.id, ? FROM organizations o
       JOIN users u ON u.email = ? JOIN roles r ON r.organization_id = o.id AND r.code = ?
       WHERE o.slug = ?
       ON CONFLICT (organization_id, user_id) DO UPDATE SET role_id = excluded.role_id`,
    )
    .run(Date.now(), email, roleCode, orgSlug);
  if (result.changes !== 1) throw new Error(`seedMember: no org ${orgSlug}, user ${email} or role ${roleCode}`);
}

/**
 * Adds a ticket (numbered like the store does: the number is taken from the org's counter first,
 * which PostgreSQL's number guard insists on) assigned to `assignee`; returns its key.
 */
export function seedTicket(sqlite: RawDb, orgSlug: string, title: string, reporter: string, assignee: string | null): string {
  return sqlite.transaction(() => {
    const org = sqlite.prepare('SELECT id, ticket_key AS key, next_ticket_number AS n FROM organizations WHERE slug = ?').get(orgSlug) as
      | { id: number; key: string; n: number }
      | undefined;
    if (!org) throw new Error(`seedTicket: no org ${orgSlug}`);
    const userId = (email: string) => (sqlite.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
    sqlite.prepare('UPDATE organizations SET next_ticket_number = ? WHERE id = ?').run(org.n + 1, org.id);
    sqlite
      .prepare(
        `INSERT INTO tickets (organization_id, number, title, status, reporter_id, assignee_id, created_at, updated_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?, ?)`,
      )
      .run(org.id, org.n, title, userId(reporter), assignee ? userId(assignee) : null, 1, 1);
    return `${org.key}-${org.n}`;
  })();
}

/** Takes the next number of one of an org's counters (next_comment_number, next_invite_number, …). */
export function takeNumber(sqlite: RawDb, orgId: number, counter: 'next_comment_number' | 'next_invite_number' | 'next_audit_number'): number {
  const { n } = sqlite.prepare(`SELECT ${counter} AS n FROM organizations WHERE id = ?`).get(orgId) as { n: number };
  sqlite.prepare(`UPDATE organizations SET ${counter} = ? WHERE id = ?`).run(n + 1, orgId);
  return n;
}

/** Runs `fn` against the store file at `dbPath` (for end-to-end tests), then closes it. */
export function withStoreFile<T>(dbPath: string, fn: (sqlite: Database.Database) => T): T {
  const store = openSqliteStore({ path: dbPath });
  try {
    return fn(store.conn.sqlite);
  } finally {
    store.close();
  }
}
