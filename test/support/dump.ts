// A logical snapshot of a store file, to prove a command changed nothing: the schema and every
// row of every table (the search index's shadow tables included), in a stable order. Two dumps are
// equal exactly when the stores hold the same data, whatever their page layout or WAL state.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';

export function dumpStore(file: string): string {
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
