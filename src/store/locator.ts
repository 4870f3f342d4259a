// Which store: the value of --db / TKT_DB / .tkt.json "db", parsed into a locator. A SQLite store
// is named by a file path; a PostgreSQL store by a postgres:// (or postgresql://) URL. People (and
// the config file, which keys sessions by store) see the locator's label, which never holds a
// password.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';

export interface SqliteLocator {
  kind: 'sqlite';
  /** Absolute, with symlinks resolved when the file exists. */
  path: string;
  /** The path itself. */
  label: string;
}

export interface PostgresLocator {
  kind: 'postgres';
  /** As given, password included: for the driver only, never to be shown. */
  url: string;
  /** postgres://user@host:port/database: no password, no query parameters. */
  label: string;
  user: string | undefined;
  /** Empty for libpq's default (the local socket). */
  host: string;
  port: number | undefined;
  database: string | undefined;
}

export type StoreLocator = SqliteLocator | PostgresLocator;

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;
const POSTGRES_FORM = 'postgres://user[:password]@host[:port]/database';

export function isStoreUrl(text: string): boolean {
  return POSTGRES_URL.test(text);
}

/** A path is taken relative to baseDir (the cwd, or the folder of a .tkt.json); a URL as it is. */
export function resolveLocatorText(text: string, baseDir: string): string {
  return isStoreUrl(text) ? text : path.resolve(baseDir, text);
}

export function parseStoreLocator(text: string, cwd: string): StoreLocator {
  if (text === '') throw usageError('the store is empty', 'give a store file path or a postgres:// URL');
  if (text.includes('\u0000')) throw usageError('--db contains a NUL byte');
  return isStoreUrl(text) ? parsePostgresUrl(text) : sqliteLocator(canonicalPath(path.resolve(cwd, text)));
}

export function sqliteLocator(file: string): SqliteLocator {
  return { kind: 'sqlite', path: file, label: file };
}

// The config is keyed by store; a symlinked path must map to the same entry.
function canonicalPath(absolute: string): string {
  try {
    return fs.realpathSync(absolute);
  } catch {
    return absolute;
  }
}

function parsePostgresUrl(text: string): PostgresLocator {
  let url: URL;
  let socketHost = false;
  try {
    try {
      url = new URL(text);
    } catch {
      // postgres://user@/db?host=/run/postgresql: libpq's empty host (a Unix socket) is not a URL host.
      url = new URL(text.replace(/^(postgres(?:ql)?:\/\/(?:[^/?#@]*@)?)(?=[/?#]|$)/i, '$1localhost'));
      socketHost = true;
    }
  } catch {
    // The text may hold a password: it is not repeated here.
    throw usageError('the store URL is not a valid PostgreSQL URL', `expected ${POSTGRES_FORM}`);
  }
  const user = decodePart(url.username) || url.searchParams.get('user') || undefined;
  const database = decodePart(url.pathname.replace(/^\//, '')) || url.searchParams.get('dbname') || undefined;
  const port = url.port ? Number(url.port) : undefined;
  const host = socketHost ? '' : url.host;
  const label = `postgres://${user ? `${encodeURIComponent(user)}@` : ''}${host}/${database ? encodeURIComponent(database) : ''}`;
  return { kind: 'postgres', url: text, label, user, host: socketHost ? (url.searchParams.get('host') ?? '') : decodePart(url.hostname), port, database };
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw usageError('the store URL has a malformed %-escape', `expected ${POSTGRES_FORM}`);
  }
}
