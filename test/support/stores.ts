// Which store a test run is for, and which test files run on which store.
//
// The suite runs twice (vitest.config.ts): project `sqlite` and project `postgres`; each test file
// is written once. TKT_TEST_STORE (set by the project) says which store this worker tests; the
// Sandbox (test/support/cli.ts) then gives each test a SQLite file or a fresh PostgreSQL database.
//
// A file listed here does not run on PostgreSQL, with the reason. SQLITE_ONLY: what it tests does
// not exist on a server (a store file's permissions, WAL, one shared file on one host, network
// filesystems, SQLite migrations of old files, SQLite query plans). PG_PENDING: it should run on
// both, but still reaches the store with raw SQLite (withStoreFile, seedMember, better-sqlite3, the
// in-memory SQLite world of test/support/memory.ts) and needs a store-neutral helper first
// (test/support/world.ts for domain-level tests, test/support/raw-store.ts for raw SQL).
// STORE_FREE files touch no store and run once. Everything else runs on both stores. POSTGRES_ONLY runs only in the postgres project.

export type TestStore = 'sqlite' | 'postgres';

export const TEST_STORE: TestStore = process.env.TKT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_STORE === 'postgres';
export const onSqlite = TEST_STORE === 'sqlite';

export const SQLITE_ONLY: Record<string, string> = {
  'test/e2e/store-hygiene.test.ts': 'the store file: its mode, owner, WAL and journal files',
  'test/e2e/shared-store.test.ts': 'one SQLite file shared by a Unix group on one host',
  'test/e2e/project-file.test.ts': 'file ownership rules of .tkt.json naming a store file (Unix users)',
  'test/e2e/store-locator.test.ts': 'store file paths: relative paths, ~, missing folders, network filesystems',
  'test/unit/filesystem.test.ts': 'network-filesystem detection for a SQLite file',
  'test/unit/migrate-invitations.test.ts': 'SQLite migrations of old store files',
  'test/unit/migrate-walls.test.ts': 'SQLite migrations of old store files',
  'test/unit/migrate-workflow.test.ts': 'SQLite migrations of old store files',
  'test/unit/query-plan.test.ts': "SQLite's query plans (EXPLAIN QUERY PLAN); PostgreSQL's are in docs/scale-out.md",
  'test/unit/sql-scope.test.ts': 'the SQLite repositories\' SQL text',
  'test/unit/store.test.ts': 'the SQLite store implementation (connection, pragmas, migrations)',
};

/** Empty: every file that should run on both stores does. A file added here must say why, and is a debt. */
export const PG_PENDING: Record<string, string> = {};

/**
 * Unit tests that touch no store at all (rendering, parsing, validation, the command tree, the
 * domain's pure planning): they run once, in the sqlite project; a second run would test nothing new.
 */
export const STORE_FREE = [
  'test/unit/architecture.test.ts',
  'test/unit/locator.test.ts',
  'test/unit/audit-events.test.ts',
  'test/unit/command-tree.test.ts',
  'test/unit/completion.test.ts',
  'test/unit/import-json.test.ts',
  'test/unit/listing.test.ts',
  'test/unit/naming-org.test.ts',
  'test/unit/permissions.test.ts',
  'test/unit/progress.test.ts',
  'test/unit/render.test.ts',
  'test/unit/settings.test.ts',
  'test/unit/sha256.test.ts',
  'test/unit/suggest.test.ts',
  'test/unit/summary.test.ts',
  'test/unit/terminal.test.ts',
  'test/unit/ticket-changes.test.ts',
  'test/unit/validate.test.ts',
  'test/unit/commands/**',
];

/** Tests of the PostgreSQL store and its test server only: files named pg-*.test.ts. */
export const POSTGRES_ONLY = ['test/**/pg-*.test.ts'];

/**
 * Tests that run on PostgreSQL but fail there today because of the PostgreSQL store (not the test):
 * skipped on PostgreSQL only, each marked at the test with pgKnownFailure(<key>). Remove the entry
 * when the store is fixed; TKT_TEST_PG_KNOWN_FAILURES=run runs them anyway.
 */
export const PG_KNOWN_FAILURES: Record<string, string> = {};

export function pgKnownFailure(key: keyof typeof PG_KNOWN_FAILURES): boolean {
  if (!(key in PG_KNOWN_FAILURES)) throw new Error(`pgKnownFailure: no entry ${key}`);
  return onPostgres && process.env.TKT_TEST_PG_KNOWN_FAILURES !== 'run';
}
