import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import type { MigrationMeta } from 'drizzle-orm/migrator';
import { storeError } from '../../errors.js';
import builtJournal from '../../../migrations/meta/_journal.json' with { type: 'json' };

// The same bookkeeping table drizzle's own migrator uses, so drizzle-kit tooling understands it.
const TABLE = '__drizzle_migrations';

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

let cachedFolder: string | undefined;

/** migrations/ sits at the package root, both for the bundled CLI (dist/) and for src/ under test. */
export function migrationsFolder(): string {
  if (cachedFolder) return cachedFolder;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return (cachedFolder = candidate);
    dir = path.dirname(dir);
  }
  throw new Error('migrations folder not found next to the tkt package');
}

export function readJournal(): JournalEntry[] {
  const raw = fs.readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(raw) as { entries: JournalEntry[] }).entries;
}

/**
 * drizzle's reader of the migration files, loaded only to migrate or report: it loads
 * node:crypto (for the hashes), which would cost every command start-up time.
 */
export function readMigrations(): MigrationMeta[] {
  const { readMigrationFiles } = createRequire(import.meta.url)('drizzle-orm/migrator') as typeof import('drizzle-orm/migrator');
  return readMigrationFiles({ migrationsFolder: migrationsFolder() });
}

export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export function appliedMigrations(sqlite: Database.Database, exists = hasMigrationsTable(sqlite)): AppliedMigration[] {
  if (!exists) return [];
  return (
    sqlite.prepare(`SELECT hash, created_at AS createdAt FROM ${TABLE} ORDER BY created_at`).all() as Array<{
      hash: string;
      createdAt: number | string;
    }>
  ).map((row) => ({ hash: row.hash, createdAt: Number(row.createdAt) }));
}

function assertNotNewer(applied: AppliedMigration[], journal: JournalEntry[], file: string): void {
  const known = new Set(journal.map((e) => e.when));
  const unknown = applied.filter((a) => !known.has(a.createdAt));
  if (unknown.length > 0) {
    throw storeError(
      `the store ${file} has a newer schema than this version of tkt understands`,
      'upgrade tkt; nothing was changed',
    );
  }
}

function hasMigrationsTable(sqlite: Database.Database): boolean {
  return sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLE) !== undefined;
}

/**
 * A database with tables but no tkt migrations belongs to something else: refuse it before
 * anything is written to it (not even the WAL switch, which is recorded in the file). Returns
 * whether the store has its migrations table (false for a new, empty file).
 */
export function assertTktStore(sqlite: Database.Database, file: string): boolean {
  const tables = (
    sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>
  ).map((t) => t.name);
  if (tables.length > 0 && !tables.includes(TABLE)) {
    throw storeError(
      `${file} is not a tkt store (it is a SQLite database with other tables, such as ${tables[0]})`,
      'check --db / TKT_DB; nothing was changed',
    );
  }
  return tables.length > 0;
}

/**
 * Cheap on the common path: one read of the applied migrations, checked against the journal
 * built into tkt (no file is read unless there is something to migrate).
 */
/**
 * `historyProblems` tells, before an upgrade of a store that has a history, what differs between
 * its schema and the one its recorded migrations build: a row deleted from the history would
 * otherwise have its migration run again, which for a table rebuild even succeeds.
 */
export function ensureMigrated(
  sqlite: Database.Database,
  file: string,
  tracked = hasMigrationsTable(sqlite),
  historyProblems?: (sqlite: Database.Database) => string[],
): string[] {
  const known = builtJournal.entries;
  const latest = known[known.length - 1]?.when ?? 0;
  let applied = appliedMigrations(sqlite, tracked);
  assertNotNewer(applied, known, file);
  if ((applied[applied.length - 1]?.createdAt ?? 0) >= latest) return [];
  if (sqlite.readonly) throw storeError(`the store ${file} is read-only and needs a migration`);

  // BEGIN IMMEDIATE takes the write lock first, so two processes opening a new store at once
  // cannot both apply the same migration.
  const journal = readJournal();
  const migrations = readMigrations();
  const run = sqlite.transaction(() => {
    sqlite.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
    applied = appliedMigrations(sqlite);
    assertNotNewer(applied, journal, file);
    const done = new Set(applied.map((a) => a.createdAt));
    const problems = applied.length > 0 ? (historyProblems?.(sqlite) ?? []) : [];
    if (problems.length > 0) {
      throw storeError(
        `the store ${file} is damaged: its migration history is out of step with its schema (${problems[0]})`,
        'it was changed outside tkt: restore it from a backup; nothing was changed',
      );
    }
    const tags: string[] = [];
    migrations.forEach((migration: MigrationMeta, i: number) => {
      if (done.has(migration.folderMillis)) return;
      try {
        applyStatements(sqlite, migration);
      } catch (err) {
        // A migration that does not apply to a store that has its predecessors: the history table
        // says it is pending, the schema says otherwise (a row deleted from the history, say).
        if (!applied.length || !isSqliteError(err)) throw err;
        throw storeError(
          `the store ${file} is damaged: its migration history is out of step with its schema; migration ${journal[i]?.tag ?? migration.folderMillis} is not recorded as applied, and applying it fails (${(err as Error).message})`,
          'it was changed outside tkt: restore it from a backup; nothing was changed',
        );
      }
      sqlite
        .prepare(`INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`)
        .run(migration.hash, migration.folderMillis);
      tags.push(journal[i]?.tag ?? String(migration.folderMillis));
    });
    // Foreign keys are off while migrating (below): check them all once, before the commit.
    const broken = sqlite.prepare('PRAGMA foreign_key_check').all() as Array<{ table: string; parent: string }>;
    if (broken.length > 0) {
      throw storeError(
        `the store ${file} could not be migrated: ${broken.length} row(s) of ${broken[0]!.table} would point to no row of ${broken[0]!.parent}`,
        'nothing was changed',
      );
    }
    return tags;
  });
  // SQLite's way to rebuild a table that others reference (its "12 steps"): foreign keys off
  // OUTSIDE the transaction (PRAGMA foreign_keys is a no-op inside one), so dropping the old table
  // does not cascade into the rows that reference it, then foreign_key_check before the commit.
  const enforced = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) sqlite.pragma('foreign_keys = OFF');
  try {
    return run.immediate();
  } finally {
    if (enforced) sqlite.pragma('foreign_keys = ON');
  }
}

export function applyStatements(sqlite: Database.Database, migration: MigrationMeta): void {
  for (const statement of migration.sql) {
    if (statement.trim()) sqlite.exec(statement);
  }
}

function isSqliteError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_ERROR';
}
