import fs from 'node:fs';
import type { AdminStore, CheckResult, MigrationState, StoreStatus } from '../ports/admin.js';
import { attachmentChecks } from './attachments.js';
import { SqliteRepo } from './base.js';
import type Database from 'better-sqlite3';
import type { MigrationMeta } from 'drizzle-orm/migrator';
import { storeError } from '../../errors.js';
import { memoryDatabase, translateSqliteError } from './connection.js';
import { fileFacts, permissionProblems } from './file-access.js';
import { appliedMigrations, ensureMigrated, readJournal, readMigrations } from './migrate.js';
import { damaged, schemaProblems } from './schema-shape.js';

/**
 * Tenant-consistency queries: each returns the rows that break the rule that a row's references
 * stay inside its organization. The composite foreign keys already forbid these; this finds
 * damage done by anything that wrote the file with foreign keys off.
 */
const TENANT_RULES: Array<{ name: string; sql: string }> = [
  {
    name: 'membership role belongs to the same org',
    sql: `SELECT m.organization_id, m.user_id FROM memberships m
          LEFT JOIN roles r ON r.id = m.role_id AND r.organization_id = m.organization_id
          WHERE r.id IS NULL`,
  },
  {
    name: 'invitation role belongs to the same org',
    sql: `SELECT i.organization_id, i.id FROM invitations i
          LEFT JOIN roles r ON r.id = i.role_id AND r.organization_id = i.organization_id
          WHERE i.role_id IS NOT NULL AND r.id IS NULL`,
  },
  {
    name: 'ticket assignee is a member of the ticket org',
    sql: `SELECT t.organization_id, t.number FROM tickets t
          LEFT JOIN memberships m ON m.organization_id = t.organization_id AND m.user_id = t.assignee_id
          WHERE t.assignee_id IS NOT NULL AND m.user_id IS NULL`,
  },
  {
    name: 'comment belongs to a ticket of the same org',
    sql: `SELECT c.organization_id, c.id FROM comments c
          LEFT JOIN tickets t ON t.id = c.ticket_id AND t.organization_id = c.organization_id
          WHERE t.id IS NULL`,
  },
  {
    name: 'ticket label links stay inside one org',
    sql: `SELECT tl.organization_id, tl.ticket_id FROM ticket_labels tl
          LEFT JOIN tickets t ON t.id = tl.ticket_id AND t.organization_id = tl.organization_id
          LEFT JOIN labels l ON l.id = tl.label_id AND l.organization_id = tl.organization_id
          WHERE t.id IS NULL OR l.id IS NULL`,
  },
  {
    name: 'ticket numbers are below the org counter',
    sql: `SELECT t.organization_id, t.number FROM tickets t
          JOIN organizations o ON o.id = t.organization_id
          WHERE t.number < 1 OR t.number >= o.next_ticket_number`,
  },
  {
    name: 'comment, audit event and invitation ids are below the org counters',
    sql: `SELECT c.organization_id, c.number FROM comments c JOIN organizations o ON o.id = c.organization_id
          WHERE c.number < 1 OR c.number >= o.next_comment_number
          UNION ALL
          SELECT a.organization_id, a.number FROM audit_events a JOIN organizations o ON o.id = a.organization_id
          WHERE a.number < 1 OR a.number >= o.next_audit_number
          UNION ALL
          SELECT i.organization_id, i.number FROM invitations i JOIN organizations o ON o.id = i.organization_id
          WHERE i.number < 1 OR i.number >= o.next_invite_number`,
  },
  {
    name: 'search index rows match their ticket and org',
    sql: `SELECT t.organization_id, t.id FROM tickets t
          LEFT JOIN ticket_search s ON s.rowid = t.id
          WHERE s.rowid IS NULL OR s.organization_id <> 'o' || t.organization_id
          UNION ALL
          SELECT NULL, s.rowid FROM ticket_search s
          LEFT JOIN tickets t ON t.id = s.rowid WHERE t.id IS NULL`,
  },
  {
    name: "ticket status is one of its org's statuses",
    sql: `SELECT t.organization_id, t.number FROM tickets t
          LEFT JOIN workflow_statuses s ON s.organization_id = t.organization_id AND s.code = t.status
          WHERE s.code IS NULL`,
  },
  {
    name: 'workflow transitions stay inside one org',
    sql: `SELECT w.organization_id, w.from_status, w.to_status FROM workflow_transitions w
          LEFT JOIN workflow_statuses a ON a.organization_id = w.organization_id AND a.code = w.from_status
          LEFT JOIN workflow_statuses b ON b.organization_id = w.organization_id AND b.code = w.to_status
          WHERE a.code IS NULL OR b.code IS NULL`,
  },
  {
    name: 'every org has a status for new tickets',
    sql: `SELECT o.id, o.slug FROM organizations o
          WHERE NOT EXISTS (SELECT 1 FROM workflow_statuses s
            WHERE s.organization_id = o.id AND (s.category = 'unstarted' OR s.is_default = 1))`,
  },
  {
    name: 'every org has an owner',
    sql: `SELECT o.id, o.slug FROM organizations o
          WHERE NOT EXISTS (SELECT 1 FROM memberships m JOIN roles r
            ON r.id = m.role_id AND r.organization_id = m.organization_id
            WHERE m.organization_id = o.id AND r.code = 'owner')`,
  },
];

export class SqliteAdminStore extends SqliteRepo implements AdminStore {
  private migrationStates(): MigrationState[] {
    const journal = readJournal();
    const files = readMigrations();
    const appliedByTime = new Map(appliedMigrations(this.conn.sqlite).map((a) => [a.createdAt, a]));
    return journal.map((entry, i) => {
      const record = appliedByTime.get(entry.when);
      return {
        tag: entry.tag,
        appliedAt: record ? entry.when : null,
        modified: record !== undefined && record.hash !== files[i]?.hash,
      };
    });
  }

  async status(): Promise<StoreStatus> {
    try {
      const sqlite = this.conn.sqlite;
      const migrations = this.migrationStates();
      const lastApplied = migrations.filter((m) => m.appliedAt !== null).at(-1);
      // A status that reads fine from a damaged store would mislead: it says what is wrong instead.
      const quick = (sqlite.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check).filter((m) => m !== 'ok');
      if (quick.length > 0) throw damaged(this.conn.path, [`SQLite finds corrupt pages in it (${quick[0]})`]);
      const schema = schemaProblems(sqlite, memoryDatabase);
      if (schema.length > 0) throw damaged(this.conn.path, schema);
      return {
        store: this.conn.path,
        schemaVersion: lastApplied?.tag ?? null,
        latestVersion: migrations.at(-1)?.tag ?? '',
        pending: migrations.filter((m) => m.appliedAt === null).map((m) => m.tag),
        migrations,
        sqlite: {
          path: this.conn.path,
          journalMode: String(sqlite.pragma('journal_mode', { simple: true })),
          sizeBytes: this.conn.path === ':memory:' ? 0 : fs.statSync(this.conn.path).size,
          file: this.conn.path === ':memory:' ? null : (fileFacts(this.conn.path) ?? null),
        },
      };
    } catch (err) {
      throw translateSqliteError(err, this.conn.path);
    }
  }

  async isEmpty(): Promise<boolean> {
    return this.read(() => this.conn.sqlite.prepare('SELECT 1 FROM users LIMIT 1').get() === undefined);
  }

  async migrate(): Promise<string[]> {
    try {
      return ensureMigrated(this.conn.sqlite, this.conn.path, undefined, (db) => schemaProblems(db, memoryDatabase));
    } catch (err) {
      throw translateSqliteError(err, this.conn.path);
    }
  }

  async check(options: { quick?: boolean } = {}): Promise<CheckResult[]> {
    try {
      const sqlite = this.conn.sqlite;
      const results: CheckResult[] = [];
      const integrity = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
      const integrityProblems = integrity.map((r) => r.integrity_check).filter((m) => m !== 'ok');
      results.push({ name: 'integrity', ok: integrityProblems.length === 0, problems: integrityProblems });
      const fk = sqlite.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
      results.push({
        name: 'foreign keys',
        ok: fk.length === 0,
        problems: fk.map((r) => `${r.table} row ${r.rowid} references a missing ${r.parent} row`),
      });
      const schema = schemaProblems(sqlite, memoryDatabase);
      results.push({ name: 'schema matches the applied migrations', ok: schema.length === 0, problems: schema });
      for (const rule of TENANT_RULES) {
        let rows: unknown[][];
        try {
          rows = sqlite.prepare(rule.sql).raw().all() as unknown[][];
        } catch (err) {
          // A table it reads is gone: the schema check above says which.
          if (schema.length === 0) throw err;
          results.push({ name: rule.name, ok: false, problems: [`cannot be checked: ${(err as Error).message}`] });
          continue;
        }
        results.push({
          name: rule.name,
          ok: rows.length === 0,
          problems: rows.slice(0, 20).map((r) => `offending row: ${r.map(String).join(' ')}`),
        });
      }
      if (schema.length === 0) results.push(...attachmentChecks(sqlite, options.quick === true));
      if (this.conn.path !== ':memory:') {
        const problems = permissionProblems(this.conn.path);
        results.push({ name: 'store file permissions', ok: problems.length === 0, problems });
      }
      const modified = this.migrationStates().filter((m) => m.modified).map((m) => m.tag);
      results.push({
        name: 'applied migrations unchanged',
        ok: modified.length === 0,
        problems: modified.map((tag) => `${tag} was edited after it was applied`),
      });
      return results;
    } catch (err) {
      throw translateSqliteError(err, this.conn.path);
    }
  }
}
