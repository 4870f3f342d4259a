// Ready to distribute (docs/scale-out.md): organization_id leads the primary key and every foreign
// key of every tenant table, every unique key of a tenant table includes it, global tables never
// reference tenant tables, and docs/scale-out.md distributes exactly the tenant tables and makes
// exactly the global ones reference tables. Read from the catalog of the database `tkt db migrate`
// made (the test run's template), so it checks the schema as deployed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ROOT, Sandbox } from '../support/cli.js';
import { citusCalls, DISTRIBUTION_COLUMN, keyRuleViolations, readCatalog, type CatalogTable } from '../support/pg-keys.js';
import { dbUrl, psql } from '../support/pg-server.js';
import { onPostgres } from '../support/stores.js';

const doc = fs.readFileSync(path.join(ROOT, 'docs', 'scale-out.md'), 'utf8');
const { distributed, reference } = citusCalls(doc);

describe.runIf(onPostgres)('the Citus key rule over the migrated PostgreSQL schema', () => {
  const cluster = inject('pgCluster');
  const catalog = readCatalog(cluster.psql, dbUrl(cluster.adminUrl, cluster.template));
  const tenant = catalog.filter((t) => t.columns.includes(DISTRIBUTION_COLUMN)).map((t) => t.name);
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.cleanup()));

  it('the schema has the tenant tables the store needs', () => {
    expect(tenant).toEqual(expect.arrayContaining(['tickets', 'memberships', 'roles', 'audit_events', 'invitations', 'comments']));
  });

  it('holds on every table: primary keys, foreign keys, unique keys, global tables', () => {
    expect(keyRuleViolations(catalog, [...reference])).toEqual([]);
  });

  it('docs/scale-out.md distributes every tenant table by organization_id and makes every other table a reference table', () => {
    expect([...distributed.keys()].sort()).toEqual([...tenant].sort());
    expect([...distributed.values()].every((c) => c === DISTRIBUTION_COLUMN)).toBe(true);
    expect([...reference].sort()).toEqual(catalog.map((t) => t.name).filter((n) => !tenant.includes(n)).sort());
  });

  it('sees a table that breaks the rule, in a live database (the check reads the catalog, not a file)', () => {
    const sb = new Sandbox();
    sandboxes.push(sb);
    psql(
      cluster.psql,
      sb.ownerDb,
      `CREATE TABLE bad_notes (id bigint PRIMARY KEY, organization_id bigint NOT NULL, ticket_id bigint NOT NULL, slug text UNIQUE,
         FOREIGN KEY (ticket_id, organization_id) REFERENCES tickets (id, organization_id) DEFERRABLE);
       CREATE TABLE bad_global (id bigint PRIMARY KEY, organization_id_x bigint);`,
    );
    const violations = keyRuleViolations(readCatalog(cluster.psql, sb.ownerDb), [...reference]);
    expect(violations.filter((v) => v.startsWith('bad_'))).toEqual([
      'bad_global: neither a tenant table (no organization_id) nor a listed global table',
      'bad_notes: primary key (id) does not lead with organization_id',
      expect.stringMatching(/^bad_notes\.bad_notes_slug_key: unique \(slug\) without organization_id$/),
      expect.stringMatching(/^bad_notes\.\w+: foreign key \(ticket_id, organization_id\) to tickets does not lead with organization_id$/),
    ]);
  });
});

describe.runIf(onPostgres)('the key rule itself', () => {
  const table = (name: string, t: Partial<CatalogTable>): CatalogTable => ({ name, columns: [], primaryKey: [], uniques: [], foreignKeys: [], ...t });
  const org = table('organizations', { columns: ['id', 'slug'], primaryKey: ['id'], uniques: [{ name: 'slug', columns: ['slug'] }] });
  const tickets = table('tickets', { columns: ['organization_id', 'id'], primaryKey: ['organization_id', 'id'] });

  it('accepts a tenant table keyed by the org, referencing a reference table by any key', () => {
    const t = { ...tickets, foreignKeys: [{ name: 'org', columns: ['organization_id'], references: 'organizations', referencedColumns: ['id'] }] };
    expect(keyRuleViolations([org, t], ['organizations'])).toEqual([]);
  });

  it('refuses a global table that references a tenant table, and a foreign key pairing organization_id with another column', () => {
    const g = table('users', { columns: ['id', 'last_ticket'], primaryKey: ['id'], foreignKeys: [{ name: 'fk', columns: ['id', 'last_ticket'], references: 'tickets', referencedColumns: ['organization_id', 'id'] }] });
    const c = table('comments', {
      columns: ['organization_id', 'id', 'ticket_id'],
      primaryKey: ['organization_id', 'id'],
      foreignKeys: [{ name: 'fk', columns: ['organization_id', 'ticket_id'], references: 'tickets', referencedColumns: ['id', 'organization_id'] }],
    });
    expect(keyRuleViolations([org, tickets, g, c], ['organizations', 'users'])).toEqual([
      'users.fk: a global table references the tenant table tickets',
      'comments.fk: organization_id references tickets.id, not tickets.organization_id',
    ]);
  });
});
