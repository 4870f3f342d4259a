// The end-to-end tests run the built CLI; make sure dist/ matches src/ before any test starts.
// As root, the CLI is then staged where other Unix users can run it (test/support/foreign-user.ts).
// For the `postgres` project, a throwaway PostgreSQL is started (or TKT_TEST_PG_URL used), migrated
// once into a template database by `tkt db migrate` as the owner, and stopped at the end
// (test/support/pg-server.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { AS_ROOT, stageCli } from './foreign-user.js';
import { BIN, ROOT } from './cli.js';
import { dropTemplate, prepareCluster, startPgServer, type PgTestCluster } from './pg-server.js';

export default async function setup(project: TestProject): Promise<() => void> {
  // Both projects share this setup; the build runs once per `vitest run`.
  if (process.env.TKT_SKIP_BUILD !== '1' && process.env.TKT_TEST_BUILT !== '1') {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    process.env.TKT_TEST_BUILT = '1';
  }
  const staged = AS_ROOT ? stageCli() : '';
  project.provide('stagedCli', staged);
  let stopPg = () => undefined as void;
  if (project.name === 'postgres') {
    const server = await startPgServer();
    let cluster: PgTestCluster;
    try {
      cluster = prepareCluster(server.adminUrl, migrateTemplate);
    } catch (error) {
      server.stop();
      throw error;
    }
    project.provide('pgCluster', cluster);
    stopPg = () => {
      dropTemplate(cluster);
      server.stop();
    };
  }
  return () => {
    stopPg();
    if (staged) fs.rmSync(staged, { recursive: true, force: true });
  };
}

/** `tkt db migrate` as the owner: what the README tells a team's database owner to run. */
function migrateTemplate(ownerUrl: string): void {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-pg-migrate-'));
  const r = spawnSync(process.execPath, [BIN, 'db', 'migrate'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: configDir, TKT_DB: ownerUrl, TKT_CONFIG_DIR: configDir },
    timeout: 120_000,
  });
  fs.rmSync(configDir, { recursive: true, force: true });
  if (r.status !== 0) {
    throw new Error(`tkt db migrate failed on the test PostgreSQL (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgCluster: PgTestCluster;
  }
}
