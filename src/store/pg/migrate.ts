// Migrations of a PostgreSQL store: migrations/pg/ (drizzle-kit's output, custom SQL included),
// applied by the owner in one transaction, recorded in tkt_migrations (readable by the app role so
// every command can tell a store that needs `tkt db migrate`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeError } from '../../errors.js';
import { sha256 } from '../../lib/sha256.js';
import type { PgConnection, Query } from './connection.js';

export const DEFAULT_APP_ROLE = 'tkt_app';

export interface PgMigration {
  tag: string;
  hash: string;
  statements: string[];
}

let cachedFolder: string | undefined;

export function pgMigrationsFolder(): string {
  if (cachedFolder) return cachedFolder;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const candidate = path.join(dir, 'migrations', 'pg');
    if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return (cachedFolder = candidate);
    dir = path.dirname(dir);
  }
  throw new Error('migrations/pg folder not found next to the tkt package');
}

export function pgTags(): string[] {
  const raw = fs.readFileSync(path.join(pgMigrationsFolder(), 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(raw) as { entries: Array<{ tag: string }> }).entries.map((e) => e.tag);
}

export function readPgMigrations(): PgMigration[] {
  return pgTags().map((tag) => {
    const text = fs.readFileSync(path.join(pgMigrationsFolder(), `${tag}.sql`), 'utf8');
    return { tag, hash: sha256(text), statements: text.split('--> statement-breakpoint').map((s) => s.trim()).filter((s) => s !== '') };
  });
}

export async function appliedPg(q: Query): Promise<Array<{ tag: string; hash: string; applied_at: number }>> {
  const [exists] = await q<{ ok: boolean }>("SELECT to_regclass('public.tkt_migrations') IS NOT NULL AS ok");
  if (!exists?.ok) return [];
  return q('SELECT tag, hash, applied_at FROM tkt_migrations ORDER BY tag');
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the app role when missing (needs CREATEROLE; without it, exit 7 with the one line a
 * superuser must run), then applies what is pending as the connected role, which owns what it creates.
 */
export async function migratePg(conn: PgConnection, appRole: string | undefined): Promise<string[]> {
  const label = conn.locator.label;
  // Up to date: nothing to do, whoever asks (the app role may read the history, not change the schema).
  const tags = pgTags();
  const before = await conn.tx((q) => appliedPg(q));
  if (appRole === undefined && tags.every((t) => before.some((m) => m.tag === t))) return [];
  return conn.tx(async (q) => {
    await q('SELECT pg_advisory_xact_lock(7270301)');
    const [owner] = await q<{ ok: boolean; name: string }>(
      `SELECT current_user AS name, has_database_privilege(current_database(), 'CREATE') AND has_schema_privilege('public', 'CREATE')
         AND (to_regclass('public.tickets') IS NULL OR pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tickets'), 'MEMBER')) AS ok`,
    );
    if (!owner!.ok) {
      throw storeError(`${owner!.name} may not change the schema of ${label}`, 'run tkt db migrate as the database owner (TKT_DB=postgres://owner@…/db tkt db migrate)');
    }
    await q('CREATE TABLE IF NOT EXISTS tkt_migrations (tag text PRIMARY KEY, hash text NOT NULL, applied_at bigint NOT NULL)');
    let role = appRole;
    if (role === undefined) {
      const [has] = await q<{ ok: boolean }>("SELECT to_regclass('public.tkt_settings') IS NOT NULL AS ok");
      const rows = has?.ok ? await q<{ value: string }>("SELECT value FROM tkt_settings WHERE key = 'app_role'") : [];
      role = rows[0]?.value ?? DEFAULT_APP_ROLE;
    }
    if (!IDENT.test(role)) throw storeError(`--app-role ${JSON.stringify(role)} is not a plain role name`, 'use lower-case letters, digits and _');
    const [me] = await q<{ exists: boolean; can: boolean; super: boolean; bypass: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists, r.rolcreaterole OR r.rolsuper AS can, r.rolsuper AS super, r.rolbypassrls AS bypass
       FROM pg_roles r WHERE r.rolname = current_user`,
      [role],
    );
    if (!me!.exists) {
      if (!me!.can) {
        throw storeError(
          `the role ${role} does not exist, and the role migrating ${label} may not create roles (no CREATEROLE)`,
          `a superuser must first run: CREATE ROLE ${role} NOLOGIN; then run tkt db migrate again`,
        );
      }
      await q(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
    }
    const [attrs] = await q<{ super: boolean; bypass: boolean }>('SELECT rolsuper AS super, rolbypassrls AS bypass FROM pg_roles WHERE rolname = $1', [role]);
    if (attrs!.super || attrs!.bypass) throw storeError(`the role ${role} is a superuser or has BYPASSRLS: row-level security would not apply to it`, `ALTER ROLE ${role} NOSUPERUSER NOBYPASSRLS`);
    const done = new Set((await appliedPg(q)).map((m) => m.tag));
    await q("SELECT set_config('tkt.app_role', $1, true)", [role]);
    const applied: string[] = [];
    for (const migration of readPgMigrations()) {
      if (done.has(migration.tag)) continue;
      for (const statement of migration.statements) await q(statement);
      await q('INSERT INTO tkt_migrations (tag, hash, applied_at) VALUES ($1, $2, $3)', [migration.tag, migration.hash, Date.now()]);
      applied.push(migration.tag);
    }
    if (applied.length > 0) await q("UPDATE tkt_settings SET value = $1 WHERE key = 'app_role'", [role]);
    await q(`GRANT SELECT ON tkt_migrations TO ${role}`);
    return applied;
  });
}
