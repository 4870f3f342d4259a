// Which store and which organization a command acts on:
//   flag > env variable > nearest .tkt.json (walking up from the cwd) > saved config > default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../errors.js';
import type { OrgSelection } from '../domain/guard.js';
import { parseStoreLocator, resolveLocatorText, type StoreLocator } from '../store/locator.js';
import { decodeUtf8 } from './input.js';
import { userNameOf } from '../lib/unix-names.js';

export interface ProjectFile {
  file: string;
  org?: string;
  /** A path made absolute from the file's folder, or a URL. */
  db?: string;
}

export const PROJECT_FILE = '.tkt.json';

/**
 * The nearest .tkt.json walking up from `cwd`. Like git's safe.directory, the first one found is
 * the only one considered: if someone else could have written it (owned by another user than you
 * or root, or writable by group or others), it is ignored, `onIgnored` hears why, and the walk
 * stops there (a planted file must not make tkt fall back to one further up either).
 */
export function findProjectFile(cwd: string, onIgnored: (why: string) => void = () => undefined): ProjectFile | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, PROJECT_FILE);
    const raw = readProjectFile(file, onIgnored);
    if (raw === null) return undefined;
    if (raw !== undefined) return parseProjectFile(file, decodeUtf8(raw, file));
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The file's bytes; undefined when there is none; null when there is one that is not trusted. */
function readProjectFile(file: string, onIgnored: (why: string) => void): Buffer | undefined | null {
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    // Judged on what is actually read (fstat of the open file), and on the link when it is one: a
    // link planted by someone else could lend your own file's org to their folder.
    const distrust = untrusted(link) ?? untrusted(fs.fstatSync(fd));
    if (distrust) {
      onIgnored(distrust(file));
      return null;
    }
    return fs.readFileSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

function untrusted(st: fs.Stats): ((file: string) => string) | undefined {
  const me = process.getuid?.();
  if (me === undefined) return undefined; // Windows: no Unix owners to judge by
  const foreign = st.uid !== me && st.uid !== 0;
  // A link's own mode means nothing (always 0777): only its owner counts. The group may write it
  // when that group is only yours (a user private group, as umask 0002 systems make every file).
  const writable = !st.isSymbolicLink() && ((st.mode & 0o002) !== 0 || ((st.mode & 0o020) !== 0 && !privateGroup(st.gid, st.uid)));
  if (!foreign && !writable) return undefined;
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  const owner = userNameOf(st.uid) ?? `uid ${st.uid}`;
  const why = [
    ...(foreign ? [`its owner is not you (${userNameOf(me) ?? `uid ${me}`})${me === 0 ? '' : ' or root'}`] : []),
    ...(writable ? [`${st.mode & 0o002 ? 'others' : 'its group'} may write it`] : []),
  ].join(' and ');
  const fix = [...(foreign ? [`chown ${userNameOf(me) ?? me}`] : []), ...(writable ? ['chmod go-w'] : [])];
  return (file) =>
    `ignoring ${file} (${st.isSymbolicLink() ? 'a symbolic link, ' : ''}owner ${owner}, mode ${mode}): ${why}, so someone else ` +
    `could use it to send your commands to another store or organization; if you trust it: ${fix.map((f) => `${f} ${file}`).join(' && ')}`;
}

/** Whether group `gid` is the user private group of `uid`: named like the user, no other members. */
function privateGroup(gid: number, uid: number): boolean {
  const user = userNameOf(uid);
  if (user === undefined) return false;
  try {
    for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
      const [name, , id, members = ''] = line.split(':');
      if (id !== undefined && id !== '' && Number(id) === gid) {
        return name === user && members.split(',').every((m) => m === '' || m === user);
      }
    }
  } catch {
    // no group file: not known to be private
  }
  return false;
}

function parseProjectFile(file: string, raw: string): ProjectFile {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw usageError(`${file} is not valid JSON`, 'expected something like {"org": "acme", "db": "../team.db"}');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw usageError(`${file} must hold a JSON object`, 'expected something like {"org": "acme", "db": "../team.db"}');
  }
  const { org, db } = data as Record<string, unknown>;
  if (org !== undefined && (typeof org !== 'string' || org === '')) throw usageError(`${file}: "org" must be a slug string`);
  if (db !== undefined && (typeof db !== 'string' || db === '')) throw usageError(`${file}: "db" must be a path or URL string`);
  return {
    file,
    ...(org ? { org } : {}),
    ...(db ? { db: resolveLocatorText(db, path.dirname(file)) } : {}),
  };
}

export function defaultStorePath(env: NodeJS.ProcessEnv): string {
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'tkt', 'tkt.db');
}

export function resolveStoreLocator(input: {
  flag: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  project: ProjectFile | undefined;
}): StoreLocator {
  // An empty --db (say, an unset variable) must not fall through to another store.
  if (input.flag === '') throw usageError('--db needs a path', 'pass the store file, or leave --db out to use TKT_DB, .tkt.json or the default');
  if (input.flag === undefined && input.env.TKT_DB === '') throw usageError('TKT_DB is set but empty', 'set it to the store file, or unset it to use .tkt.json or the default');
  return parseStoreLocator(input.flag || input.env.TKT_DB || input.project?.db || defaultStorePath(input.env), input.cwd);
}

export function resolveOrgSelection(input: {
  flag: string | undefined;
  env: NodeJS.ProcessEnv;
  project: ProjectFile | undefined;
  savedOrgId: number | undefined;
}): OrgSelection | undefined {
  if (input.flag !== undefined) return { ref: { slug: input.flag }, source: '--org' };
  if (input.env.TKT_ORG) return { ref: { slug: input.env.TKT_ORG }, source: 'TKT_ORG' };
  if (input.project?.org) return { ref: { slug: input.project.org }, source: '.tkt.json' };
  if (input.savedOrgId !== undefined) return { ref: { id: input.savedOrgId }, source: 'config' };
  return undefined;
}
