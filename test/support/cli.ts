// Level-3 test support: run the built CLI (bin/tkt.js) as a subprocess in a temp dir with its own
// store and config, no TTY, and capture stdout, stderr and the exit code.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as auth from '../../src/domain/auth.js';
import { inject } from 'vitest';
import { parseStoreLocator } from '../../src/store/locator.js';
import { openStore } from '../../src/store/open.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { FAST_SCRYPT } from './memory.js';
import { createSandboxDatabase, dbUrl, dropSandboxDatabase, psql, type PgTestCluster } from './pg-server.js';
import { TEST_STORE, type TestStore } from './stores.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'tkt.js');
export const PASSWORD = 'correct horse battery';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not JSON). */
  json<T = any>(): T;
  /** stdout split into lines, without the trailing empty one. */
  lines(): string[];
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
  configDir?: string;
  /** Kill after this long (ms); the result then has code -1. */
  timeoutMs?: number;
}

export function cliResult(code: number, stdout: string, stderr: string): CliResult {
  return {
    code,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
    lines: () => stdout.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1)),
  };
}

export function runCli(args: string[], env: Record<string, string | undefined>, options: RunOptions = {}): Promise<CliResult> {
  return runNode([BIN, ...args], env, { cwd: ROOT, ...options });
}

/** Runs `node <argv…>` with this environment, feeding options.input, and collects what it prints. */
export function runNode(argv: string[], env: Record<string, string | undefined>, options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd ?? ROOT,
      env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve(cliResult(code ?? -1, Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export interface Person {
  email: string;
  name: string;
  configDir: string;
  run(args: string[], options?: RunOptions): Promise<CliResult>;
}

/**
 * A temp dir with its own store; people in it each have their own config dir (their "laptop").
 * Commands run with the temp dir as their cwd, so nothing they write lands in the repository and
 * no .tkt.json above the repository can change what they do.
 *
 * The store is the one of the test project (test/support/stores.ts): a SQLite file in the temp dir
 * (dbPath), or, in the postgres project, a fresh database cloned from the migrated template,
 * reached as the CLI's login role (tkt_team, in tkt_app) and dropped by cleanup().
 */
export class Sandbox {
  readonly dir: string;
  /** The SQLite store file (in the postgres project: a path that is never created). */
  readonly dbPath: string;
  readonly store: TestStore;
  /** What TKT_DB says: the SQLite file, or the postgres:// URL of this sandbox's database. */
  readonly db: string;
  /** The key of this store in a config file (the SQLite file's real path, or the URL without password). */
  readonly storeLabel: string;
  /** The PostgreSQL database's name (postgres project only). */
  readonly pgDatabase?: string;
  private readonly pg?: PgTestCluster;
  private count = 0;

  constructor(store: TestStore = TEST_STORE) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-e2e-')));
    this.dbPath = path.join(this.dir, 'tkt.db');
    this.store = store;
    if (store === 'postgres') {
      this.pg = inject('pgCluster');
      this.pgDatabase = createSandboxDatabase(this.pg);
      this.db = dbUrl(this.pg.appUrl, this.pgDatabase);
      this.storeLabel = parseStoreLocator(this.db, this.dir).label;
    } else {
      this.db = this.dbPath;
      this.storeLabel = this.dbPath;
    }
  }

  /** The owner's URL of this sandbox's database (postgres project only): what `tkt db migrate` runs as. */
  get ownerDb(): string {
    if (!this.pg || !this.pgDatabase) throw new Error('ownerDb: not a PostgreSQL sandbox');
    return dbUrl(this.pg.ownerUrl, this.pgDatabase);
  }

  env(configDir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      PATH: process.env.PATH,
      HOME: this.dir,
      TKT_DB: this.db,
      TKT_CONFIG_DIR: configDir,
      ...extra,
    };
  }

  /** Runs as nobody in particular (a fresh, empty config dir). */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    const configDir = options.configDir ?? path.join(this.dir, `anon-${++this.count}`);
    return runCli(args, this.env(configDir, options.env), { cwd: this.dir, ...options });
  }

  /**
   * A signed-up, logged-in person. Accounts are seeded through the real store layer with a cheap
   * scrypt cost (the CLI's own signup, at full cost, has its own tests); the session is saved in
   * the person's config dir exactly as `tkt auth login` saves it.
   */
  async person(email: string, name = email.split('@')[0]!): Promise<Person> {
    const store =
      this.store === 'postgres'
        ? await openStore(parseStoreLocator(this.db, this.dir), { create: true })
        : openSqliteStore({ path: this.dbPath });
    let grant: auth.SessionGrant;
    try {
      grant = await auth.signup({ store, clock: { now: () => Date.now() }, scrypt: FAST_SCRYPT }, { email, name, password: PASSWORD });
    } finally {
      await store.close();
    }
    const configDir = path.join(this.dir, `config-${email.replace(/[^a-z0-9]/gi, '_')}`);
    fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ stores: { [this.storeLabel === this.dbPath ? fs.realpathSync(this.dbPath) : this.storeLabel]: { session: grant.sessionToken } } }),
      { mode: 0o600 },
    );
    return {
      email,
      name,
      configDir,
      run: (args, options = {}) => runCli(args, this.env(configDir, options.env), { cwd: this.dir, ...options }),
    };
  }

  private snapshotted = false;

  /**
   * Keeps a copy of the store as it is now, for restore(): the SQLite file (after a checkpoint), or,
   * on PostgreSQL, a database cloned from this one. Nothing may be connected to it meanwhile.
   */
  snapshot(): void {
    if (this.pg && this.pgDatabase) {
      this.settle();
      const snap = `${this.pgDatabase}_snap`;
      psql(this.pg.psql, this.pg.ownerUrl, `DROP DATABASE IF EXISTS "${snap}"; CREATE DATABASE "${snap}" TEMPLATE "${this.pgDatabase}"`);
    } else {
      const store = openSqliteStore({ path: this.dbPath });
      try {
        store.conn.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        store.close();
      }
      fs.copyFileSync(this.dbPath, path.join(this.dir, 'snapshot.db'));
    }
    this.snapshotted = true;
  }

  /** Puts the store back as snapshot() found it (same name or path: saved sessions keep matching). */
  restore(): void {
    if (!this.snapshotted) throw new Error('restore() before snapshot()');
    if (this.pg && this.pgDatabase) {
      psql(
        this.pg.psql,
        this.pg.ownerUrl,
        `DROP DATABASE IF EXISTS "${this.pgDatabase}" WITH (FORCE); CREATE DATABASE "${this.pgDatabase}" TEMPLATE "${this.pgDatabase}_snap"`,
      );
    } else {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(this.dbPath + suffix, { force: true });
      fs.copyFileSync(path.join(this.dir, 'snapshot.db'), this.dbPath);
    }
  }

  /**
   * Waits until no other connection is left on a PostgreSQL sandbox's database (a killed client's
   * server process finishes, or rolls back, its transaction first); nothing to wait for on SQLite.
   */
  settle(timeoutMs = 15_000): void {
    if (!this.pg || !this.pgDatabase) return;
    const until = Date.now() + timeoutMs;
    const others = `SELECT count(*) FROM pg_stat_activity WHERE datname = '${this.pgDatabase}' AND pid <> pg_backend_pid()`;
    while (psql(this.pg.psql, this.ownerDb, others) !== '0') {
      if (Date.now() > until) throw new Error(`settle: connections still open on ${this.pgDatabase} after ${timeoutMs} ms`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }

  cleanup(): void {
    if (this.pg && this.pgDatabase) {
      dropSandboxDatabase(this.pg, this.pgDatabase);
      if (this.snapshotted) dropSandboxDatabase(this.pg, `${this.pgDatabase}_snap`);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
