// Migrations 0011-0014 on a store written by the previous schema (0000-0010), with tickets in
// every status, comments and labels: every org gets exactly the four default statuses and no
// rules; tickets keep their statuses, comments, labels and search; admin gains workflow:manage;
// tickets.status now references the org's own statuses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { sqliteStoreBefore } from '../support/old-store.js';
import { isForeignKeyViolation } from '../../src/store/sqlite/connection.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-migrate-wf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));


describe('the workflow migrations', () => {
  it('give every org the four defaults and keep every ticket, comment, label and search row', () => {
    const file = path.join(tmp, 'old.db');
    const db = sqliteStoreBefore(file, '0011_workflow_tables');
    db.exec(`
      INSERT INTO users (id, email, name, password_hash, created_at) VALUES (1, 'olivia@example.com', 'Olivia', 'x', 0);
      INSERT INTO organizations (id, slug, name, ticket_key, created_at, next_ticket_number, next_comment_number) VALUES (1, 'acme', 'Acme', 'ACME', 5, 5, 2), (2, 'globex', 'Globex', 'GLOB', 7, 2, 1);
      INSERT INTO roles (id, organization_id, code, name, permissions, is_system, created_at) VALUES
        (1, 1, 'owner', 'Owner', '*', 1, 0),
        (2, 1, 'admin', 'Admin', 'org:update,member:read,ticket:read,audit:read', 1, 0),
        (3, 2, 'owner', 'Owner', '*', 1, 0),
        (4, 2, 'admin', 'Admin', 'org:update,ticket:read', 1, 0),
        (5, 2, 'lead', 'Lead', 'ticket:*', 0, 0);
      INSERT INTO memberships (organization_id, user_id, role_id, created_at) VALUES (1, 1, 1, 0), (2, 1, 3, 0);
      INSERT INTO tickets (id, organization_id, number, title, body, status, priority, reporter_id, created_at, updated_at) VALUES
        (1, 1, 1, 'Login crash', 'on safari', 'open', 'high', 1, 0, 0),
        (2, 1, 2, 'Slow export', '', 'in_progress', 'none', 1, 0, 0),
        (3, 1, 3, 'Typo', '', 'done', 'low', 1, 0, 0),
        (4, 1, 4, 'Dup', '', 'canceled', 'none', 1, 0, 0),
        (5, 2, 1, 'Invoice', '', 'open', 'none', 1, 0, 0);
      INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at) VALUES (1, 1, 1, 1, 'still broken', 0);
      INSERT INTO labels (id, organization_id, name) VALUES (1, 1, 'bug');
      INSERT INTO ticket_labels (organization_id, ticket_id, label_id) VALUES (1, 1, 1);
    `);
    db.close();

    const store = openSqliteStore({ path: file });
    const sqlite = store.conn.sqlite;
    const all = (q: string) => sqlite.prepare(q).all();
    expect(all('SELECT organization_id AS org, code, name, category, position, is_default AS d FROM workflow_statuses ORDER BY organization_id, position')).toEqual(
      [1, 2].flatMap((org) => [
        { org, code: 'open', name: 'Open', category: 'unstarted', position: 1, d: 0 },
        { org, code: 'in_progress', name: 'In progress', category: 'started', position: 2, d: 0 },
        { org, code: 'done', name: 'Done', category: 'completed', position: 3, d: 0 },
        { org, code: 'canceled', name: 'Canceled', category: 'canceled', position: 4, d: 0 },
      ]),
    );
    expect(all('SELECT * FROM workflow_transitions')).toEqual([]);
    expect(all('SELECT id, organization_id AS org, status FROM tickets ORDER BY id').map((r: any) => `${r.id}:${r.org}:${r.status}`)).toEqual([
      '1:1:open',
      '2:1:in_progress',
      '3:1:done',
      '4:1:canceled',
      '5:2:open',
    ]);
    // The table swap kept what references tickets (foreign keys were off while it ran).
    expect(all('SELECT ticket_id FROM comments')).toEqual([{ ticket_id: 1 }]);
    expect(all('SELECT ticket_id FROM ticket_labels')).toEqual([{ ticket_id: 1 }]);
    expect(all('SELECT rowid FROM ticket_search ORDER BY rowid').length).toBe(5);
    expect(all("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").map((r: any) => r.name)).toEqual([
      'attachments_blob_gc',
      'comments_search_insert',
      'tickets_search_ad',
      'tickets_search_insert',
      'tickets_search_update',
    ]);
    expect(all('PRAGMA foreign_key_check')).toEqual([]);
    // Admins gain workflow:manage, once; custom roles and owners are unchanged.
    expect(all('SELECT code, permissions FROM roles ORDER BY id').map((r: any) => `${r.code}=${r.permissions}`)).toEqual([
      'owner=*',
      'admin=org:update,member:read,ticket:read,audit:read,workflow:manage',
      'owner=*',
      'admin=org:update,ticket:read,workflow:manage',
      'lead=ticket:*',
    ]);
    // tickets.status now references the org's own statuses.
    const fk = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return isForeignKeyViolation(err);
      }
      return false;
    };
    expect(fk(() => sqlite.prepare(`UPDATE tickets SET status = 'blocked' WHERE id = 1`).run())).toBe(true);
    // A new ticket is still indexed for search (the triggers came back).
    sqlite.prepare(`INSERT INTO tickets (organization_id, number, title, status, reporter_id, created_at, updated_at) VALUES (1, 5, 'Zebra', 'open', 1, 0, 0)`).run();
    expect(all('SELECT count(*) AS n FROM ticket_search').at(0)).toEqual({ n: 6 });
    store.close();
  });
});
