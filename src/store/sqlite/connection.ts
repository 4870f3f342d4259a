import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { Logger } from 'drizzle-orm/logger';
import { TktError, storeError } from '../../errors.js';
import { checkStoreAccess, exposureWarning, prepareStoreFile, readOnlyError } from './file-access.js';
import { journalModeFor } from './filesystem.js';
import { assertTktStore, ensureMigrated } from './migrate.js';
import { DAMAGED, schemaProblems } from './schema-shape.js';
import { registerSearchFunctions } from './search-index.js';

export type Db = BetterSQLite3Database;

export const BUSY_TIMEOUT_MS = 5000;


export interface OpenOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  /** Receives every SQL statement (used by the tenant-scoping test). */
  logger?: Logger;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** `db init --shared`: create the store (or make it) 0660 with its folder's group. */
  shared?: boolean;
  /**
   * Create the store when it is missing (default true here; the CLI passes false except for auth
   * signup, db init, db migrate and demo, see Runtime.store()).
   */
  create?: boolean;
  /** TKT_ALLOW_NETWORK_FS=1: open a store on a network filesystem, with a rollback journal. */
  allowNetworkFilesystem?: boolean;
  /** Receives a warning about the store (users outside its group may read it). */
  onWarning?: (message: string) => void;
}

export interface Connection {
  sqlite: Database.Database;
  db: Db;
  path: string;
}

/**
 * Opens (creating with mode 0600 when missing, see file-access.ts) and migrates a store. Pragmas:
 * WAL so readers never block the writer (a rollback journal on a network filesystem, see
 * filesystem.ts), foreign keys enforced, a busy timeout so concurrent writers queue instead of
 * failing, and synchronous=FULL so a committed ticket survives a power cut.
 */
export function openConnection(options: OpenOptions): Connection {
  const file = options.path;
  const memory = file === ':memory:';
  let journal = 'wal';
  let existing: fs.Stats | undefined;
  if (!memory) {
    journal = journalModeFor(file, options.allowNetworkFilesystem === true);
    existing = checkStoreAccess(file);
    prepareStoreFile(file, { shared: options.shared === true, create: options.create !== false }, existing);
  }
  let sqlite: Database.Database;
  try {
    const nativeBinding = sqliteAddon();
    sqlite = new Database(file, { timeout: BUSY_TIMEOUT_MS, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (err) {
    throw translateSqliteError(err, file);
  }
  try {
    // (The busy timeout is the constructor's `timeout`.)
    const tracked = assertTktStore(sqlite, file);
    if (!memory && !sqlite.readonly) {
      const mode = sqlite.pragma('journal_mode', { simple: true });
      if (mode !== journal) sqlite.pragma(`journal_mode = ${journal}`);
    } else {
      // Reading the schema now turns "not a database" into an error at open.
      sqlite.pragma('schema_version', { simple: true });
    }
    sqlite.exec('PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL');
    registerSearchFunctions(sqlite);
    const db = drizzle({ client: sqlite, ...(options.logger ? { logger: options.logger } : {}) });
    if (options.migrate !== false) ensureMigrated(sqlite, file, tracked, (db) => schemaProblems(db, memoryDatabase));
    // Only about a file that is a tkt store (not one that is refused anyway).
    const warning = existing?.isFile() && exposureWarning(file, existing);
    if (warning) options.onWarning?.(warning);
    return { sqlite, db, path: file };
  } catch (err) {
    sqlite.close();
    throw translateSqliteError(err, file);
  }
}

/** A bare in-memory database with tkt's SQL functions (the reference schema of `db check`). */
export function memoryDatabase(): Database.Database {
  const nativeBinding = sqliteAddon();
  const sqlite = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  registerSearchFunctions(sqlite);
  return sqlite;
}

let addon: string | null | undefined;
const ADDON = 'better-sqlite3/build/Release/better_sqlite3.node';

/**
 * better-sqlite3's native addon, from where its install puts it. Left to itself, better-sqlite3
 * finds it with the `bindings` package, which reads a stack trace and probes a dozen paths on every
 * start; the CLI bundle carries better-sqlite3's JavaScript, where that search would not work.
 * The node_modules folders above this module are tried first, as Node's resolution would, but
 * without its reading of package.json files (a millisecond or two of every start); then Node's
 * resolution itself; undefined (better-sqlite3's own search) when neither finds it.
 */
function sqliteAddon(): string | undefined {
  if (addon === undefined) {
    addon = null;
    for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', ADDON);
      if (fs.existsSync(candidate)) return (addon = candidate);
      if (path.dirname(dir) === dir) break;
    }
    try {
      addon = createRequire(import.meta.url).resolve(ADDON);
    } catch {
      // better-sqlite3 will look for itself
    }
  }
  return addon ?? undefined;
}

/** Maps SQLite failures that are about the store itself (not about the data) to exit 7. */
export function translateSqliteError(err: unknown, file: string): unknown {
  if (err instanceof TktError) return err;
  const cause = sqliteCause(err);
  const code = cause?.code ?? '';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code.startsWith('SQLITE_LOCKED')) {
    return storeError(
      `the store ${file} is locked by another process and stayed locked past ${BUSY_TIMEOUT_MS / 1000}s`,
      'try again; if it persists, look for a stuck tkt process',
    );
  }
  if (code === 'SQLITE_NOTADB') {
    return storeError(`${file} is not a tkt store (not a readable SQLite database)`, 'check --db / TKT_DB');
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return storeError(`the store ${file} is damaged: SQLite finds corrupt pages in it (${cause?.message ?? code})`, DAMAGED);
  }
  // The statements are tkt's own: a table or column they cannot find was removed from the file.
  if (code === 'SQLITE_ERROR' && /^no such (table|column|index)/.test(cause?.message ?? '')) {
    return storeError(`the store ${file} is damaged: ${cause!.message}`, DAMAGED);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return readOnlyError(file, code);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code.startsWith('SQLITE_PERM')) {
    return storeError(`cannot use the store ${file}: ${cause?.message ?? code}`);
  }
  return err;
}

export function sqliteCause(err: unknown): { code: string; message: string } | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' &&
      (e as { code: string }).code.startsWith('SQLITE_')) {
      return e as { code: string; message: string };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = sqliteCause(err)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  return sqliteCause(err)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
