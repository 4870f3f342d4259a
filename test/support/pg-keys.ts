// The Citus key rule over a live PostgreSQL schema (docs/scale-out.md): read from the catalog of a
// migrated database, so that it checks what `tkt db migrate` made, not what a file says it makes.
//
// A tenant table is one with an organization_id column; it will be distributed by organization_id.
// The global tables (organizations, users, credentials, settings) will be reference tables.
// - organization_id leads the primary key of every tenant table;
// - every foreign key from a tenant table to another tenant table leads with organization_id and
//   references the other table's organization_id at the same position (a colocated join);
// - every unique constraint or unique index of a tenant table includes organization_id (Citus can
//   enforce uniqueness only within a shard);
// - no global table has a foreign key to a tenant table (a reference table cannot reference a
//   distributed one);
// - every table is either a tenant table or named in the global list.
import { psql } from './pg-server.js';

export interface CatalogTable {
  name: string;
  columns: string[];
  primaryKey: string[];
  uniques: { name: string; columns: string[] }[];
  foreignKeys: { name: string; columns: string[]; references: string; referencedColumns: string[] }[];
}

const CATALOG_SQL = `
WITH t AS (
  SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
)
SELECT coalesce(json_agg(json_build_object(
  'name', t.relname,
  'columns', (SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped),
  'primaryKey', coalesce((SELECT json_agg(a.attname ORDER BY k.ord) FROM pg_constraint con
      CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE con.conrelid = t.oid AND con.contype = 'p'), '[]'),
  'uniques', coalesce((SELECT json_agg(json_build_object('name', ic.relname, 'columns',
      (SELECT json_agg(coalesce(a.attname, '(expression)') ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
       LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)))
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = t.oid AND i.indisunique AND NOT i.indisprimary), '[]'),
  'foreignKeys', coalesce((SELECT json_agg(json_build_object('name', con.conname, 'references', fc.relname,
      'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
      'referencedColumns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)))
      FROM pg_constraint con JOIN pg_class fc ON fc.oid = con.confrelid
      WHERE con.conrelid = t.oid AND con.contype = 'f'), '[]')
) ORDER BY t.relname), '[]') FROM t`;

export function readCatalog(psqlPath: string, url: string): CatalogTable[] {
  return JSON.parse(psql(psqlPath, url, CATALOG_SQL)) as CatalogTable[];
}

export const DISTRIBUTION_COLUMN = 'organization_id';

/** The key rule's violations, one sentence each; empty when the schema can be distributed as it is. */
export function keyRuleViolations(tables: CatalogTable[], globalTables: readonly string[]): string[] {
  const out: string[] = [];
  const isTenant = (t: CatalogTable) => t.columns.includes(DISTRIBUTION_COLUMN);
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of tables) {
    const global = globalTables.includes(t.name);
    if (isTenant(t) && global) out.push(`${t.name}: listed as global but has ${DISTRIBUTION_COLUMN}`);
    if (!isTenant(t) && !global) out.push(`${t.name}: neither a tenant table (no ${DISTRIBUTION_COLUMN}) nor a listed global table`);
    if (!isTenant(t)) {
      for (const fk of t.foreignKeys) {
        const target = byName.get(fk.references);
        if (target && isTenant(target)) out.push(`${t.name}.${fk.name}: a global table references the tenant table ${fk.references}`);
      }
      continue;
    }
    if (t.primaryKey[0] !== DISTRIBUTION_COLUMN) out.push(`${t.name}: primary key (${t.primaryKey.join(', ')}) does not lead with ${DISTRIBUTION_COLUMN}`);
    for (const u of t.uniques) {
      if (!u.columns.includes(DISTRIBUTION_COLUMN)) out.push(`${t.name}.${u.name}: unique (${u.columns.join(', ')}) without ${DISTRIBUTION_COLUMN}`);
    }
    for (const fk of t.foreignKeys) {
      const target = byName.get(fk.references);
      if (!target || !isTenant(target)) continue; // to a reference table: any key will do
      const at = fk.columns.indexOf(DISTRIBUTION_COLUMN);
      if (at !== 0) out.push(`${t.name}.${fk.name}: foreign key (${fk.columns.join(', ')}) to ${fk.references} does not lead with ${DISTRIBUTION_COLUMN}`);
      else if (fk.referencedColumns[0] !== DISTRIBUTION_COLUMN) {
        out.push(`${t.name}.${fk.name}: ${DISTRIBUTION_COLUMN} references ${fk.references}.${fk.referencedColumns[0]}, not ${fk.references}.${DISTRIBUTION_COLUMN}`);
      }
    }
  }
  return out;
}

/** The create_distributed_table / create_reference_table calls a document gives, by table. */
export function citusCalls(doc: string): { distributed: Map<string, string>; reference: Set<string> } {
  const distributed = new Map<string, string>();
  const reference = new Set<string>();
  for (const m of doc.matchAll(/create_distributed_table\(\s*'([a-z_]+)'\s*,\s*'([a-z_]+)'/g)) distributed.set(m[1]!, m[2]!);
  for (const m of doc.matchAll(/create_reference_table\(\s*'([a-z_]+)'\s*\)/g)) reference.add(m[1]!);
  return { distributed, reference };
}
