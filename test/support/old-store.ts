// A SQLite store file as an older tkt left it: every migration before `tag` applied and recorded,
// as the migrator would have, so that a test can seed old-schema rows and then open it with the
// current store to watch the later migrations run.
import Database from 'better-sqlite3';
import { readJournal, readMigrations } from '../../src/store/sqlite/migrate.js';
import { registerSearchFunctions } from '../../src/store/sqlite/search-index.js';

export function sqliteStoreBefore(file: string, tag: string): Database.Database {
  const upTo = readJournal().findIndex((e) => e.tag === tag);
  if (upTo <= 0) throw new Error(`sqliteStoreBefore: no migration ${tag} after the first`);
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  registerSearchFunctions(db);
  db.exec('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)');
  for (const migration of readMigrations().slice(0, upTo)) {
    for (const statement of migration.sql) if (statement.trim()) db.exec(statement);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(migration.hash, migration.folderMillis);
  }
  return db;
}
