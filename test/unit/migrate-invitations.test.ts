// Migration 0006_invitations_role_id on a store written by the previous schema (0000 + 0001), with
// invitations in every state: each code is resolved to its role's id, and a pending invitation
// whose role no longer exists becomes void (role-deleted), audited; nothing else changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { sqliteStoreBefore } from '../support/old-store.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-migrate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HOUR = 3_600_000;


describe('migration 0006_invitations_role_id', () => {
  it('resolves role codes to ids; a pending invitation whose role is gone becomes void, audited', async () => {
    const file = path.join(tmp, 'old.db');
    const db = sqliteStoreBefore(file, '0006_invitations_role_id');
    const now = Date.now();
    db.exec(`
      INSERT INTO users (id, email, name, password_hash, created_at) VALUES (1, 'olivia@example.com', 'Olivia', 'x', 0), (2, 'bob@example.com', 'Bob', 'x', 0);
      INSERT INTO organizations (id, slug, name, ticket_key, created_at, next_invite_number, next_audit_number) VALUES (1, 'acme', 'Acme', 'ACME', 0, 8, 5), (2, 'globex', 'Globex', 'GLOB', 0, 8, 1);
      INSERT INTO roles (id, organization_id, code, name, permissions, is_system, created_at) VALUES
        (1, 1, 'owner', 'Owner', '*', 1, 0), (2, 1, 'member', 'Member', 'ticket:read', 1, 0),
        (3, 2, 'owner', 'Owner', '*', 1, 0), (4, 2, 'triage', 'Triage', 'ticket:read', 0, 0);
      INSERT INTO memberships (organization_id, user_id, role_id, created_at) VALUES (1, 1, 1, 0), (2, 1, 3, 0), (1, 2, 2, 0);
    `);
    const insert = db.prepare(
      'INSERT INTO invitations (id, number, organization_id, email, role_code, token_hash, inviter_id, created_at, expires_at, accepted_at, accepted_by, revoked_at, void_reason) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)',
    );
    const rows: Array<[number, number, string, string, number | null, number | null, number | null, string | null, number]> = [
      // id, org, email, code, accepted_at, accepted_by, revoked_at, void_reason, expires_at
      [1, 1, 'p@example.com', 'member', null, null, null, null, now + HOUR], // pending, role exists
      [2, 1, 'bob@example.com', 'member', now - HOUR, 2, null, null, now + HOUR], // used
      [3, 1, 'gone@example.com', 'triage', null, null, null, null, now + HOUR], // pending, acme has no triage: void
      [4, 1, 'old@example.com', 'triage', null, null, null, null, now - HOUR], // expired, role gone: stays expired
      [5, 1, 'rev@example.com', 'triage', null, null, now - HOUR, null, now + HOUR], // revoked, role gone
      [6, 1, 'was@example.com', 'lead', null, null, null, 'inviter-left', now + HOUR], // void already
      [7, 2, 'g@example.com', 'triage', null, null, null, null, now + HOUR], // globex's triage
    ];
    for (const [id, org, email, code, acc, by, rev, reason, exp] of rows) insert.run(id, id, org, email, code, `hash-${id}`, now - 2 * HOUR, exp, acc, by, rev, reason);
    db.close();
    fs.chmodSync(file, 0o600);

    const store = openSqliteStore({ path: file });
    const sqlite = store.conn.sqlite;
    const after = sqlite.prepare('SELECT id, role_id AS roleId, role_code AS code, void_reason AS reason, accepted_at AS acc, revoked_at AS rev FROM invitations ORDER BY id').all();
    expect(after).toEqual([
      { id: 1, roleId: 2, code: 'member', reason: null, acc: null, rev: null },
      { id: 2, roleId: 2, code: 'member', reason: null, acc: now - HOUR, rev: null },
      { id: 3, roleId: null, code: 'triage', reason: 'role-deleted', acc: null, rev: null },
      { id: 4, roleId: null, code: 'triage', reason: null, acc: null, rev: null },
      { id: 5, roleId: null, code: 'triage', reason: null, acc: null, rev: now - HOUR },
      { id: 6, roleId: null, code: 'lead', reason: 'inviter-left', acc: null, rev: null },
      { id: 7, roleId: 4, code: 'triage', reason: null, acc: null, rev: null },
    ]);
    const events = sqlite.prepare("SELECT organization_id AS org, number, actor_id AS actor, target, details FROM audit_events WHERE action = 'invite.void'").all();
    expect(events).toEqual([{ org: 1, number: 5, actor: 1, target: '3', details: JSON.stringify({ email: 'gone@example.com', role: 'triage', reason: 'role-deleted' }) }]);
    expect(sqlite.prepare('SELECT next_audit_number AS n FROM organizations ORDER BY id').all()).toEqual([{ n: 6 }, { n: 1 }]);
    expect((await store.admin.check()).filter((c) => !c.ok)).toEqual([]);
    // The token hashes survive the table swap: a migrated invitation is still found by its hash.
    expect(sqlite.prepare("SELECT id FROM invitations WHERE token_hash = 'hash-7'").get()).toEqual({ id: 7 });
    store.close();
  });
});
