// Raw SQL on a Sandbox's store, for tests that seed or inspect rows directly, written once for
// both stores: on SQLite the store file's better-sqlite3 connection; on PostgreSQL a connection as
// the database owner (who migrate made exempt from row-level security), through psql, one
// statement per call, with the same small API (prepare(sql).get/all/run with ? parameters,
// transaction). The SQL must be portable (it is: the two schemas have the same tables and columns).
import type Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Sandbox } from './cli.js';
import { findPgProgram, psql } from './pg-server.js';

export interface RawStatement {
  get(...params: unknown[]): any;
  all(...params: unknown[]): any[];
  run(...params: unknown[]): { changes: number };
}

/** What tests use of a raw connection (a subset of better-sqlite3's Database). */
export interface RawDb {
  /** Set on a PostgreSQL connection, for the few statements that differ. */
  dialect?: 'postgres';
  prepare(sql: string): RawStatement;
  transaction<T>(fn: () => T): () => T;
}

/** Runs `fn` with a raw connection to the sandbox's store, then closes it. */
export function withStore<T>(sb: Sandbox, fn: (db: RawDb) => T): T {
  if (sb.store === 'postgres') return fn(pgRawDb(sb.ownerDb));
  const store = openSqliteStore({ path: sb.dbPath });
  try {
    return fn(store.conn.sqlite as Database.Database as RawDb);
  } finally {
    store.close();
  }
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** Replaces each ? outside quotes with the next parameter as a literal. */
export function bind(sql: string, params: unknown[]): string {
  let out = '';
  let quote: string | null = null;
  let i = 0;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      if (i >= params.length) throw new Error(`bind: more ? than parameters in ${sql}`);
      out += literal(params[i++]);
    } else out += ch;
  }
  if (i !== params.length) throw new Error(`bind: ${params.length} parameters for ${i} ? in ${sql}`);
  return out;
}

/** A raw connection to a PostgreSQL sandbox's database, as its owner (nothing to close). */
export function pgRawDb(url: string): RawDb {
  const psqlPath = findPgProgram('psql')!;
  const rows = (sql: string, params: unknown[]): any[] =>
    JSON.parse(psql(psqlPath, url, `WITH q AS (${bind(sql, params).replace(/;\s*$/, '')}) SELECT coalesce(json_agg(q), '[]') FROM q`));
  return {
    dialect: 'postgres',
    prepare: (sql) => ({
      get: (...params) => rows(sql, params)[0],
      all: (...params) => rows(sql, params),
      run: (...params) => {
        const bound = bind(sql, params).replace(/;\s*$/, '');
        if (!/^\s*(INSERT|UPDATE|DELETE)\b/i.test(bound)) {
          psql(psqlPath, url, bound);
          return { changes: 0 };
        }
        const returning = /\bRETURNING\b/i.test(bound) ? bound : `${bound} RETURNING 1`;
        return { changes: Number(psql(psqlPath, url, `WITH q AS (${returning}) SELECT count(*) FROM q`)) };
      },
    }),
    // One statement per call: a "transaction" here is only a sequence (seeding, never racing).
    transaction: (fn) => () => fn(),
  };
}
