// The throwaway PostgreSQL of the postgres project (test/support/pg-server.ts): the roles are what
// the README's set-up makes (an owner that is not a superuser, a login role in tkt_app that owns
// nothing and bypasses nothing), every Sandbox gets its own migrated database and gives it back.
// This file also leaves the marker .ci/run checks: proof that PostgreSQL tests ran.
import fs from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Sandbox } from '../support/cli.js';
import { APP_ROLE, OWNER_ROLE, TEAM_ROLE, psql } from '../support/pg-server.js';
import { onPostgres } from '../support/stores.js';

describe.runIf(onPostgres)('the test PostgreSQL', () => {
  const cluster = inject('pgCluster');
  const sql = (text: string, url = cluster.adminUrl) => psql(cluster.psql, url, text);
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.cleanup()));

  it('is PostgreSQL 15 or later', () => {
    expect(Number(cluster.version.split('.')[0])).toBeGreaterThanOrEqual(15);
  });

  it('the owner runs migrate without being a superuser; the CLI role is in tkt_app, not super, no BYPASSRLS', () => {
    const roles = sql(
      `SELECT rolname, rolsuper, rolbypassrls, rolcanlogin, rolcreatedb, rolcreaterole FROM pg_roles
       WHERE rolname IN ('${OWNER_ROLE}', '${TEAM_ROLE}', '${APP_ROLE}') ORDER BY rolname`,
    );
    expect(roles.split('\n')).toEqual([`${APP_ROLE}|f|f|f|f|f`, `${TEAM_ROLE}|f|f|t|f|f`, `${OWNER_ROLE}|f|f|t|t|t`]);
    expect(sql(`SELECT pg_has_role('${TEAM_ROLE}', '${APP_ROLE}', 'MEMBER')`)).toBe('t');
  });

  it('each Sandbox has its own database, migrated (cloned from the template), owning nothing as the CLI role, dropped at cleanup', () => {
    const a = new Sandbox();
    const b = new Sandbox();
    sandboxes.push(a, b);
    expect(a.pgDatabase).not.toBe(b.pgDatabase);
    expect(a.db).toMatch(new RegExp(`^postgres://${TEAM_ROLE}@127\\.0\\.0\\.1:\\d+/${a.pgDatabase}$`));
    const tables = sql(`SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`, a.ownerDb);
    expect(Number(tables), 'the template was migrated').toBeGreaterThan(5);
    expect(sql(`SELECT current_user, count(*) FROM pg_tables WHERE tableowner = current_user GROUP BY 1`, a.db)).toBe('');
    a.cleanup();
    sandboxes.shift();
    expect(sql(`SELECT count(*) FROM pg_database WHERE datname = '${a.pgDatabase}'`)).toBe('0');
    expect(sql(`SELECT count(*) FROM pg_database WHERE datname = '${b.pgDatabase}'`)).toBe('1');
  });

  it('leaves the marker that says the PostgreSQL tests ran (TKT_TEST_PG_MARKER)', () => {
    const marker = process.env.TKT_TEST_PG_MARKER;
    if (marker) fs.writeFileSync(marker, `PostgreSQL ${cluster.version}\n`);
    expect(cluster.template).toMatch(/^tkt_test_template_\d+$/);
  });
});
