// The shape of a store's schema (tables with their columns, indexes, triggers) against the one its
// recorded migrations build: how `db status`, `db check` and an upgrade tell a damaged store.
import type Database from 'better-sqlite3';
import type { MigrationMeta } from 'drizzle-orm/migrator';
import { storeError } from '../../errors.js';
import { appliedMigrations, applyStatements, readJournal, readMigrations } from './migrate.js';

/** What a person is told to do about a damaged store. */
export const DAMAGED = 'it was changed outside tkt: restore it from a backup; `tkt db check` lists what is wrong';

type Shape = Map<string, { type: string; table: string; columns: string }>;

/** The tables, indexes, triggers and views of a database, with each table's columns. */
function shapeOf(sqlite: Database.Database): Shape {
  const shape: Shape = new Map();
  const objects = sqlite
    .prepare(`SELECT type, name, tbl_name AS tbl FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name`)
    .all() as Array<{ type: string; name: string; tbl: string }>;
  for (const { type, name, tbl } of objects) {
    const columns = type === 'table'
      ? (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Array<{ name: string }>).map((c) => c.name).join(',')
      : '';
    shape.set(name, { type, table: tbl, columns });
  }
  return shape;
}

/** The schema that the given migrations build, on an empty in-memory database. */
function referenceShape(migrations: MigrationMeta[], newDatabase: () => Database.Database): Shape {
  const reference = newDatabase();
  try {
    for (const migration of migrations) applyStatements(reference, migration);
    return shapeOf(reference);
  } finally {
    reference.close();
  }
}

/**
 * What differs between the store's schema and the one its recorded migrations build: a table,
 * index or trigger missing or with other columns (dropped, altered), or one that a migration the
 * store does not record as applied creates (a row deleted from the history). Extra objects that
 * no tkt migration makes are left alone.
 */
export function schemaProblems(sqlite: Database.Database, newDatabase: () => Database.Database): string[] {
  const journal = readJournal();
  const files = readMigrations();
  const tagOf = (i: number) => journal[i]?.tag ?? String(files[i]?.folderMillis);
  const done = new Set(appliedMigrations(sqlite).map((a) => a.createdAt));
  const last = files.findLastIndex((m) => done.has(m.folderMillis));
  const problems: string[] = [];
  // Each migration builds on the ones before it: a hole in the history is damage by itself.
  for (let i = 0; i < last; i++) {
    if (!done.has(files[i]!.folderMillis)) {
      problems.push(`the migration history is out of step with the schema: ${tagOf(i)} is not recorded as applied, though ${tagOf(last)} after it is`);
    }
  }
  const expected = referenceShape(files.slice(0, last + 1), newDatabase);
  const actual = shapeOf(sqlite);
  for (const [name, want] of expected) {
    const have = actual.get(name);
    // An index or trigger goes with its table: a dropped table is one problem, not five.
    if (!have && want.table !== name && !actual.has(want.table)) continue;
    if (!have) problems.push(`the ${want.type} ${name} is missing`);
    else if (have.columns !== want.columns) problems.push(`the table ${name} has the columns (${have.columns}), not (${want.columns})`);
  }
  for (let i = last + 1; i < files.length; i++) {
    const names = [...referenceShape(files.slice(0, i + 1), newDatabase).keys()].filter((name) => actual.has(name) && !expected.has(name));
    if (names.length > 0) {
      problems.push(`the migration history is out of step with the schema: ${names.join(', ')} exist${names.length === 1 ? 's' : ''}, but ${tagOf(i)}, which creates ${names.length === 1 ? 'it' : 'them'}, is not recorded as applied`);
      break;
    }
  }
  return problems;
}

/** One exit-7 error that names what is wrong with a damaged store. */
export function damaged(file: string, problems: string[]): Error {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}: run tkt db check)` : '';
  return storeError(`the store ${file} is damaged: ${problems[0]}${more}`, DAMAGED);
}

