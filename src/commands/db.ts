import type { Command } from 'commander';
import { storeError } from '../errors.js';
import type { Definer } from '../cli/define.js';
import { item, list } from '../output/types.js';

export function registerDb(program: Command, define: Definer): void {
  const db = program.command('db').description('the store: schema status, migrations, consistency checks');

  define.publicAction(db.command('status').description('schema version, pending migrations, size and counts'), async ({ rt }) => {
    const status = await (await rt.store()).admin.status();
    const sqlite = status.sqlite;
    const view = {
      store: status.store,
      schemaVersion: status.schemaVersion,
      latestVersion: status.latestVersion,
      pending: status.pending,
      upToDate: status.pending.length === 0,
      ...status.counts,
      ...(sqlite ? { sqlite } : {}),
    };
    return item({
      item: view,
      fields: Object.keys(view),
      details: [
        { label: 'store', value: (s) => s.store },
        { label: 'schema', value: (s) => `${s.schemaVersion ?? 'none'}${s.upToDate ? ' (up to date)' : ` (pending: ${s.pending.join(', ')})`}`, tone: (s) => (s.upToDate ? 'success' : 'warning') },
        ...(sqlite
          ? [
              { label: 'journal', value: () => sqlite.journalMode },
              { label: 'size', value: () => `${sqlite.sizeBytes} bytes` },
            ]
          : []),
        { label: 'users', value: (s) => String(s.users) },
        { label: 'orgs', value: (s) => String(s.organizations) },
        { label: 'members', value: (s) => String(s.memberships) },
        { label: 'tickets', value: (s) => String(s.tickets) },
      ],
      id: (s) => s.schemaVersion ?? '',
    });
  });

  define.publicAction(db.command('migrate').description('apply pending migrations (opening the store also does)'), async ({ rt }) => {
    const store = await rt.store();
    const applied = await store.admin.migrate();
    const status = await store.admin.status();
    return list({
      items: status.migrations.map((m) => ({ tag: m.tag, applied: m.appliedAt !== null, modified: m.modified })),
      fields: ['tag', 'applied', 'modified'],
      columns: [
        { header: 'MIGRATION', value: (m) => m.tag },
        { header: 'STATE', value: (m) => (m.modified ? 'applied, file edited since' : m.applied ? 'applied' : 'pending'), tone: (m) => (m.modified ? 'danger' : 'success') },
      ],
      id: (m) => m.tag,
      message: `Schema up to date at ${status.schemaVersion}${applied.length ? ` (applied just now: ${applied.join(', ')})` : ''}.`,
    });
  }, { fields: ['tag', 'applied', 'modified'] });

  define.publicAction(
    db.command('check').description('integrity, foreign keys and tenant consistency; exit 7 when anything is wrong'),
    async ({ rt }) => {
      const results = await (await rt.store()).admin.check();
      const bad = results.filter((r) => !r.ok);
      return list({
        items: results,
        fields: ['name', 'ok', 'problems'],
        columns: [
          { header: 'CHECK', value: (r) => r.name },
          { header: 'RESULT', value: (r) => (r.ok ? 'ok' : `FAILED: ${r.problems.join('; ')}`), tone: (r) => (r.ok ? 'success' : 'danger') },
        ],
        id: (r) => r.name,
        ...(bad.length === 0
          ? { message: `All ${results.length} checks passed.` }
          : { failWith: storeError(`${bad.length} of ${results.length} store checks failed: ${bad.map((r) => r.name).join(', ')}`) }),
      });
    },
  );
}
