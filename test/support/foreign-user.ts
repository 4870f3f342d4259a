// Running the built CLI as another Unix user (tests run as root in CI; root ignores file modes, so
// a permission test must drop to a real unprivileged user).
//
// The checkout may live in a folder other users cannot enter (a 0700 temp folder, /root), and
// node_modules may be a symlink into one: so the CLI is staged once per test run (by the global
// setup, as root only) into a world-readable temp folder: bin/, dist/, package.json, migrations/
// and the part of node_modules the built CLI loads at run time (everything else is bundled into
// dist/): better-sqlite3's native addon and JavaScript, `bindings` and `file-uri-to-path` (its own
// way of finding the addon), and drizzle-orm's migrator. Copies, not symlinks. A small wrapper
// then drops to the uid, gid and supplementary groups given (Node's spawn with `uid` would drop
// every supplementary group, and a team member usually reaches a shared folder through one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { BIN, ROOT, runNode, type CliResult, type RunOptions } from './cli.js';

export const AS_ROOT = process.getuid?.() === 0;

/** What the built CLI needs at run time, relative to the package root. */
const RUNTIME_FILES = [
  'bin',
  'dist',
  'package.json',
  'migrations',
  'node_modules/better-sqlite3/package.json',
  'node_modules/better-sqlite3/lib',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/bindings',
  'node_modules/file-uri-to-path',
  'node_modules/drizzle-orm/package.json',
  'node_modules/drizzle-orm/migrator.cjs',
];

const WRAPPER = `'use strict';
// Drops to the given user, then runs the CLI in this process as \`node bin/tkt.js …\` would.
const [uid, gid, groups, bin, ...args] = process.argv.slice(2);
process.setgroups(groups ? groups.split(',').map(Number) : []);
process.setgid(Number(gid));
process.setuid(Number(uid));
process.argv = [process.argv[0], bin, ...args];
require(bin).run();
`;

/** Copies the runnable CLI into a new world-readable folder; returns it. (Global setup, as root.) */
export function stageCli(): string {
  for (let dir = os.tmpdir(); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) throw new Error(`foreign-user tests: other users cannot enter ${dir} (TMPDIR); set TMPDIR to a folder they can`);
    if (path.dirname(dir) === dir) break;
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-staged-cli-'));
  for (const rel of RUNTIME_FILES) {
    fs.cpSync(path.join(ROOT, rel), path.join(stage, rel), { recursive: true, dereference: true });
  }
  fs.writeFileSync(path.join(stage, 'as-user.cjs'), WRAPPER);
  // Whatever the umask of the clone was: everyone may read and enter, nobody else may write.
  const open = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isDirectory()) {
      fs.chmodSync(p, 0o755);
      for (const name of fs.readdirSync(p)) open(path.join(p, name));
    } else {
      fs.chmodSync(p, st.mode & 0o111 ? 0o755 : 0o644);
    }
  };
  open(stage);
  return stage;
}

export interface UnixUser {
  uid: number;
  gid: number;
  /** Supplementary groups (default: none). */
  groups?: number[];
}

/**
 * Runs the CLI as `user` (root only): the staged copy, through the wrapper. Without a user (or
 * when not root), the checkout's own CLI as the current user.
 */
export function runCliAs(
  user: UnixUser | undefined,
  args: string[],
  env: Record<string, string | undefined>,
  options: RunOptions = {},
): Promise<CliResult> {
  let argv: string[];
  if (user && AS_ROOT) {
    const stage = inject('stagedCli');
    if (!stage) throw new Error('foreign-user tests: the global setup staged no CLI');
    const groups = (user.groups ?? []).join(',');
    argv = [path.join(stage, 'as-user.cjs'), String(user.uid), String(user.gid), groups, path.join(stage, 'bin', 'tkt.js'), ...args];
  } else {
    argv = [BIN, ...args];
  }
  return runNode(argv, env, { cwd: os.tmpdir(), ...options });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The staged CLI (foreign-user.ts); empty when the tests do not run as root. */
    stagedCli: string;
  }
}
