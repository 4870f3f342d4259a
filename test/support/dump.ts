// A logical snapshot of a store file, to prove a command changed nothing: the schema and every
// row of every table (the search index's shadow tables included), in a stable order. Two dumps are
// equal exactly when the stores hold the same data, whatever their page layout or WAL state.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Sandbox } from './cli.js';
import { findPgProgram, psql } from './pg-server.js';

/** A Sandbox's store (either kind), or a SQLite store file. */
export function dumpStore(target: string | Sandbox): string {
  if (typeof target !== 'string') return target.store === 'postgres' ? dumpPgStore(target.ownerDb) : dumpStore(target.dbPath);
  const file = target;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as Array<{ name: string }>;
    const schema = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
    const rows: Record<string, string[]> = {};
    for (const { name } of tables) {
      rows[name] = (db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort();
    }
    return JSON.stringify({ userVersion: db.pragma('user_version', { simple: true }), schema, rows });
  } finally {
    db.close();
  }
}

/** The bytes of a file that is not (or no longer) a SQLite store, as a hash; null when it is gone. */
export function fileHash(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * The same for a PostgreSQL store, as its owner (exempt from row-level security): the public
 * schema's tables and columns, and every row of every table, in a stable order.
 */
function dumpPgStore(url: string): string {
  // One round trip: the columns of every table, then every table's rows as JSON in text order.
  return psql(
    findPgProgram('psql')!,
    url,
    `SELECT json_agg(json_build_array(table_name, column_name, data_type) ORDER BY table_name, ordinal_position)
       FROM information_schema.columns WHERE table_schema = 'public';
     ${DUMP_ROWS}`,
  );
}

/** Every public table's rows, one JSON line per table, built by a DO block that loops over them. */
const DUMP_ROWS = `
  CREATE TEMP TABLE IF NOT EXISTS tkt_dump (t text, rows text);
  TRUNCATE tkt_dump;
  DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1 LOOP
      EXECUTE format('INSERT INTO tkt_dump SELECT %L, coalesce(json_agg(x ORDER BY x::text), ''[]'')::text FROM %I x', r.tablename, r.tablename);
    END LOOP;
  END $$;
  SELECT t || ':' || rows FROM tkt_dump ORDER BY t;`;
