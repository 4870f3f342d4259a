import { defineConfig } from 'vitest/config';
import { pgAvailable } from './test/support/pg-server.js';
import { PG_PENDING, POSTGRES_ONLY, SQLITE_ONLY, STORE_FREE } from './test/support/stores.js';

// The suite runs once per store, each test written once (test/support/stores.ts says which files
// run where, and why). The postgres project needs a PostgreSQL: a throwaway server started by the
// global setup when initdb and pg_ctl are installed, or TKT_TEST_PG_URL. Without either, only the
// sqlite project runs, and says so (.ci/run fails then: it requires the PostgreSQL run).
// TKT_TEST_STORE=sqlite or =postgres picks one project (as does `vitest --project <name>`).
const pg = pgAvailable();
const wanted = process.env.TKT_TEST_STORE;
if (!pg.ok && wanted !== 'sqlite') console.warn(`[tkt tests] the postgres project is skipped: ${pg.why}`);

const ALL = ['test/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/seed.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end files spawn many processes; two cores are all CI has.
    maxWorkers: 2,
    projects: [
      ...(wanted === 'postgres'
        ? []
        : [
            {
              extends: true as const,
              test: { name: 'sqlite', include: ALL, exclude: POSTGRES_ONLY, env: { TKT_TEST_STORE: 'sqlite' } },
            },
          ]),
      ...(pg.ok && wanted !== 'sqlite'
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ALL,
                exclude: [...Object.keys(SQLITE_ONLY), ...Object.keys(PG_PENDING), ...STORE_FREE],
                env: { TKT_TEST_STORE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
