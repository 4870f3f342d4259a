// A throwaway PostgreSQL for the tests of the PostgreSQL store (the `postgres` vitest project).
//
// - startPgServer(): initdb into a temp folder and pg_ctl start on a free loopback port (trust
//   authentication, no fsync: nothing here must survive), or, when TKT_TEST_PG_URL is set, that
//   server (an admin URL: a superuser or a role with CREATEDB and CREATEROLE). initdb refuses to run
//   as root, so as root the server runs as the `postgres` system user, in a temp folder it owns.
//   It is stopped by stop(), by an exit handler of this process, and by a watchdog shell that
//   outlives a killed test runner (it stops the server once this process is gone).
// - prepareCluster(): the roles of a team store: an owner (not a superuser; CREATEDB, CREATEROLE)
//   that runs `tkt db migrate` once into a template database, and a login role tkt_team IN ROLE
//   tkt_app (the role migrate creates) that the CLI connects as.
// - createSandboxDatabase()/dropSandboxDatabase(): a fresh database per Sandbox, cloned from the
//   migrated template (CREATE DATABASE … TEMPLATE …: a file copy, milliseconds), dropped after.
//   Synchronous (psql), because a Sandbox is made and cleaned up synchronously.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const OWNER_ROLE = 'tkt_test_owner';
export const APP_ROLE = 'tkt_app';
export const TEAM_ROLE = 'tkt_team';
export const TEMPLATE_DB = 'tkt_test_template';

/** What the workers of the postgres project are told (vitest provide/inject, or the environment). */
export interface PgTestCluster {
  /** Admin URL (superuser of the throwaway server, or TKT_TEST_PG_URL). */
  adminUrl: string;
  /** URL of the owner role, with no database: add one with dbUrl(). */
  ownerUrl: string;
  /** URL of the CLI's login role (tkt_team, in tkt_app), with no database. */
  appUrl: string;
  /** The migrated template every Sandbox database is cloned from. */
  template: string;
  /** The server's version (SHOW server_version). */
  version: string;
  /** psql, found on PATH or beside initdb. */
  psql: string;
}

/** The directory of a PostgreSQL program: PATH first, then Debian's /usr/lib/postgresql/<v>/bin (newest). */
export function findPgProgram(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  for (const root of ['/usr/lib/postgresql', '/usr/local/pgsql']) {
    let versions: string[] = [];
    try {
      versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
    } catch {
      continue;
    }
    for (const v of versions) {
      const candidate = path.join(root, v, 'bin', name);
      if (isExecutable(candidate)) return candidate;
    }
    if (isExecutable(path.join(root, 'bin', name))) return path.join(root, 'bin', name);
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether the postgres project can run here: TKT_TEST_PG_URL, or initdb + pg_ctl + psql installed. */
export function pgAvailable(): { ok: true; how: string } | { ok: false; why: string } {
  if (process.env.TKT_TEST_PG_URL) return { ok: true, how: 'TKT_TEST_PG_URL' };
  const missing = ['initdb', 'pg_ctl', 'psql'].filter((p) => !findPgProgram(p));
  if (missing.length) return { ok: false, why: `${missing.join(', ')} not found (install postgresql, or set TKT_TEST_PG_URL)` };
  return { ok: true, how: `a throwaway server (${path.dirname(findPgProgram('initdb')!)})` };
}

export interface PgServer {
  adminUrl: string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program as the server's Unix user (postgres when we are root). */
function asServerUser(program: string, args: string[], asPostgres: boolean): { file: string; args: string[] } {
  return asPostgres ? { file: 'runuser', args: ['-u', 'postgres', '--', program, ...args] } : { file: program, args };
}

export async function startPgServer(): Promise<PgServer> {
  const external = process.env.TKT_TEST_PG_URL;
  if (external) return { adminUrl: external, stop: () => undefined };

  const initdb = findPgProgram('initdb');
  const pgCtl = findPgProgram('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('initdb/pg_ctl not found: install postgresql or set TKT_TEST_PG_URL');
  const asPostgres = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) => {
    const c = asServerUser(program, args, asPostgres);
    const r = spawnSync(c.file, c.args, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) {
      let serverLog = '';
      try {
        serverLog = fs.readFileSync(log, 'utf8');
      } catch {
        /* no log yet */
      }
      throw new Error(`${path.basename(program)} failed (${r.status}): ${r.stderr}${r.stdout}\n${serverLog}`);
    }
  };
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      const c = asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], asPostgres);
      spawnSync(c.file, c.args, { stdio: 'ignore', cwd: dir });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => stop();
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  };
  try {
    run(initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    const port = await freePort();
    // Nothing here must survive a crash of the machine: no fsync, no full-page writes. The socket
    // folder is the temp folder (the default, /var/run/postgresql, may not exist or be writable).
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      `-c listen_addresses=127.0.0.1`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
      '-c shared_buffers=128MB',
    ].join(' ');
    started = true;
    run(pgCtl, ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // A watchdog: when this process dies without running its exit handlers (SIGKILL), stop the server.
    const stopCmd = asServerUser(pgCtl, ['-D', data, '-m', 'immediate', 'stop'], asPostgres);
    const watchdog = spawn(
      'sh',
      [
        '-c',
        'while kill -0 "$0" 2>/dev/null && [ -d "$1" ]; do sleep 2; done; [ -d "$1" ] && "$@" >/dev/null 2>&1; rm -rf "$1"',
        String(process.pid),
        dir,
        stopCmd.file,
        ...stopCmd.args,
      ],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();
    return {
      adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () => {
        process.off('exit', onExit);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** The same server and credentials, another database. */
export function dbUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The same server, another role (no password: the throwaway server trusts loopback). */
export function roleUrl(serverUrl: string, role: string, database = 'postgres'): string {
  const url = new URL(serverUrl);
  url.username = role;
  url.password = process.env.TKT_TEST_PG_ROLE_PASSWORD ?? '';
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs SQL through psql (ON_ERROR_STOP), returning unaligned, tuples-only output. */
export function psql(psqlPath: string, url: string, sql: string): string {
  return execFileSync(psqlPath, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-d', url], {
    input: sql,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
  }).trim();
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The roles and the migrated template. migrate(url) runs `tkt db migrate` as the owner against the
 * template database; it throws with the CLI's output when the migration fails.
 */
export function prepareCluster(adminUrl: string, migrate: (ownerTemplateUrl: string) => void): PgTestCluster {
  const psqlPath = findPgProgram('psql');
  if (!psqlPath) throw new Error('psql not found');
  const version = psql(psqlPath, adminUrl, 'SHOW server_version');
  const template = `${TEMPLATE_DB}_${process.pid}`;
  psql(
    psqlPath,
    adminUrl,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${OWNER_ROLE}') THEN
         CREATE ROLE ${OWNER_ROLE} LOGIN CREATEDB CREATEROLE NOSUPERUSER NOBYPASSRLS;
       END IF;
     END $$;
     -- Dropping a sandbox database WITH (FORCE) ends the CLI role's connections still open on it.
     GRANT pg_signal_backend TO ${OWNER_ROLE};
     DROP DATABASE IF EXISTS ${ident(template)} WITH (FORCE);
     CREATE DATABASE ${ident(template)} OWNER ${OWNER_ROLE};`,
  );
  migrate(roleUrl(adminUrl, OWNER_ROLE, template));
  // The CLI's login role: a member of the role migrate created, owning nothing.
  psql(
    psqlPath,
    adminUrl,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${TEAM_ROLE}') THEN
         CREATE ROLE ${TEAM_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
       END IF;
       IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
         GRANT ${APP_ROLE} TO ${TEAM_ROLE};
       END IF;
     END $$;
     ALTER DATABASE ${ident(template)} WITH IS_TEMPLATE true;`,
  );
  return {
    adminUrl,
    ownerUrl: roleUrl(adminUrl, OWNER_ROLE),
    appUrl: roleUrl(adminUrl, TEAM_ROLE),
    template,
    version,
    psql: psqlPath,
  };
}

export function dropTemplate(cluster: PgTestCluster): void {
  try {
    psql(
      cluster.psql,
      cluster.adminUrl,
      `ALTER DATABASE ${ident(cluster.template)} WITH IS_TEMPLATE false;
       DROP DATABASE IF EXISTS ${ident(cluster.template)} WITH (FORCE);`,
    );
  } catch {
    /* the server is going away anyway */
  }
}

let sandboxCount = 0;

/** A fresh database cloned from the migrated template; returns its name. */
export function createSandboxDatabase(cluster: PgTestCluster): string {
  const name = `tkt_sb_${process.pid}_${++sandboxCount}_${Math.random().toString(36).slice(2, 8)}`;
  psql(cluster.psql, cluster.ownerUrl, `CREATE DATABASE ${ident(name)} TEMPLATE ${ident(cluster.template)} OWNER ${OWNER_ROLE}`);
  return name;
}

export function dropSandboxDatabase(cluster: PgTestCluster, name: string): void {
  psql(cluster.psql, cluster.ownerUrl, `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}
