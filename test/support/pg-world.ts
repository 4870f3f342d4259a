// The PostgreSQL counterpart of test/support/memory.ts's world, for domain-level tests: the
// PostgreSQL store opened in-process on a fresh database cloned from the migrated template, as the
// CLI's login role (tkt_team, in tkt_app: row-level security applies), with the test clock and cheap
// password hashing, and a synchronous raw connection as the owner to observe it (test/support/pg-sync.ts).
//
// The database keeps its own time (tkt_now(): session and invitation expiry are checked inside it).
// So that the test clock is the only clock, this world's database reads the time from the setting
// tkt.test_now, which the world's store presents with every transaction (appended to the request
// that opens it: no extra round trip), instead of clock_timestamp(): tkt_now() is patched in this
// throwaway clone only, as its owner; the migrations are untouched. Outside such a transaction
// tkt_now() is NULL (no session or invitation is valid then), never a stale time.
//
// The model test runs a hundred worlds: with `reuse`, a world's database is emptied (TRUNCATE) and
// given to the next one instead of cloning the template again and dropping it (two psql processes
// and a copy of the database each).
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

export interface PgWorldOptions {
  /**
   * Reuse this process's last closed world's database (emptied: every table that was empty in the
   * fresh clone is truncated, its ids restarted) instead of cloning a new one. Each world gets a new
   * store connection (no cache of the store survives), and the database is the same as a fresh clone
   * for everything tkt reads; dropPgWorlds() drops the spare at the end.
   */
  reuse?: boolean;
}

/** A closed world's database, kept for the next world (reuse): its name, owner connection, and the tables to empty. */
interface Spare {
  name: string;
  db: SyncPgDb;
  reset: string;
}
let spare: Spare | undefined;

/** Drops the database kept for reuse (afterAll of a test file that used `reuse`). */
export function dropPgWorlds(): void {
  const kept = spare;
  spare = undefined;
  if (!kept) return;
  kept.db.close();
  dropSandboxDatabase(inject('pgCluster'), kept.name);
}

/** A new database (a clone of the migrated template) whose clock is the test clock. */
function freshDatabase(cluster: ReturnType<typeof inject<'pgCluster'>>): Spare {
  const name = createSandboxDatabase(cluster);
  const db = pgSyncDb(dbUrl(cluster.ownerUrl, name));
  try {
    // What a fresh clone holds (the migrations' bookkeeping, settings) is kept on reuse; the rest is emptied.
    const empty = (
      db
        .prepare(
          `SELECT format('%I', c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relispartition IS NOT TRUE ORDER BY c.relname`,
        )
        .all() as Array<{ t: string }>
    ).filter(({ t }) => db.prepare(`SELECT EXISTS (SELECT 1 FROM ${t}) AS e`).get().e === false);
    db.prepare(
      `CREATE OR REPLACE FUNCTION tkt_now() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
         AS $$ SELECT nullif(current_setting('tkt.test_now', true), '')::bigint $$;`,
    ).run();
    return { name, db, reset: `TRUNCATE ${empty.map((x) => x.t).join(', ')} RESTART IDENTITY CASCADE` };
  } catch (err) {
    db.close();
    dropSandboxDatabase(cluster, name);
    throw err;
  }
}

export async function createPgWorld(options: PgWorldOptions = {}): Promise<PgWorld> {
  const cluster = inject('pgCluster');
  const clock = new TestClock();
  let base: Spare;
  if (options.reuse && spare) {
    base = spare;
    spare = undefined;
    base.db.prepare(base.reset).run();
  } else {
    base = freshDatabase(cluster);
  }
  const { name, db } = base;
  let store: PgStore | undefined;
  try {
    const url = dbUrl(cluster.appUrl, name);
    store = await openPgStore({ locator: parseStoreLocator(url, process.cwd()) as Parameters<typeof openPgStore>[0]['locator'], clock });
  } catch (err) {
    db.close();
    dropSandboxDatabase(cluster, name);
    throw err;
  }
  const opened = store;
  // Every transaction the store opens presents the test clock's time (transaction-local, as tkt.token).
  const client = opened.conn.client;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, ...rest: unknown[]) =>
    query(typeof text === 'string' && /^BEGIN\b/.test(text) ? `${text}; SELECT set_config('tkt.test_now', '${clock.now()}', true)` : text, ...rest)) as typeof client.query;
  return {
    store: opened,
    clock,
    deps: { store: opened, clock, scrypt: FAST_SCRYPT },
    db,
    advance(ms) {
      clock.advance(ms);
    },
    present(token) {
      opened.presentToken(token);
    },
    async close() {
      await opened.close();
      if (options.reuse && !spare) {
        spare = base;
        return;
      }
      db.close();
      dropSandboxDatabase(cluster, name);
    },
  };
}
