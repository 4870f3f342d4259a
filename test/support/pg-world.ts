// The PostgreSQL counterpart of test/support/memory.ts's world, for domain-level tests: the
// PostgreSQL store opened in-process on a fresh database cloned from the migrated template, as the
// CLI's login role (tkt_team, in tkt_app: row-level security applies), with the test clock and cheap
// password hashing, and a synchronous raw connection as the owner to observe it (test/support/pg-sync.ts).
//
// The database keeps its own time (tkt_now(): session and invitation expiry are checked inside it).
// So that the test clock is the only clock, this world's database reads the time from a one-row
// table the test sets (tkt_test_clock), instead of clock_timestamp(): patched in this throwaway
// clone only, as its owner; the migrations are untouched.
import { inject } from 'vitest';
import type * as auth from '../../src/domain/auth.js';
import { parseStoreLocator } from '../../src/store/locator.js';
import { openPgStore, type PgStore } from '../../src/store/pg/store.js';
import { FAST_SCRYPT, TestClock } from './memory.js';
import { pgSyncDb, type SyncPgDb } from './pg-sync.js';
import { createSandboxDatabase, dbUrl, dropSandboxDatabase } from './pg-server.js';

export interface PgWorld {
  store: PgStore;
  clock: TestClock;
  deps: auth.AuthDeps;
  /** A raw connection as the database owner (exempt from row-level security): what observes the store. */
  db: SyncPgDb;
  /** Moves the test clock, and the database's clock with it. */
  advance(ms: number): void;
  /** The session or API token the store presents to the database (tkt.token) from now on. */
  present(token: string): void;
  close(): Promise<void>;
}

export async function createPgWorld(): Promise<PgWorld> {
  const cluster = inject('pgCluster');
  const name = createSandboxDatabase(cluster);
  const clock = new TestClock();
  const db = pgSyncDb(dbUrl(cluster.ownerUrl, name));
  let store: PgStore | undefined;
  try {
    db.prepare(
      `CREATE TABLE tkt_test_clock (now bigint NOT NULL);
       INSERT INTO tkt_test_clock VALUES (${clock.now()});
       CREATE OR REPLACE FUNCTION tkt_now() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
         AS $$ SELECT now FROM tkt_test_clock $$;`,
    ).run();
    const url = dbUrl(cluster.appUrl, name);
    store = await openPgStore({ locator: parseStoreLocator(url, process.cwd()) as Parameters<typeof openPgStore>[0]['locator'], clock });
  } catch (err) {
    db.close();
    dropSandboxDatabase(cluster, name);
    throw err;
  }
  const opened = store;
  const setTime = db.prepare('UPDATE tkt_test_clock SET now = ?');
  return {
    store: opened,
    clock,
    deps: { store: opened, clock, scrypt: FAST_SCRYPT },
    db,
    advance(ms) {
      clock.advance(ms);
      setTime.run(clock.now());
    },
    present(token) {
      opened.presentToken(token);
    },
    async close() {
      await opened.close();
      db.close();
      dropSandboxDatabase(cluster, name);
    },
  };
}
