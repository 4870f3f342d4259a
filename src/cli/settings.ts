// Which store and which organization a command acts on:
//   flag > env variable > nearest .tkt.json (walking up from the cwd) > saved config > default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../errors.js';
import type { OrgSelection } from '../domain/guard.js';
import { parseStoreLocator, resolveLocatorText, type StoreLocator } from '../store/locator.js';
import { decodeUtf8 } from './input.js';

export interface ProjectFile {
  file: string;
  org?: string;
  /** A path made absolute from the file's folder, or a URL. */
  db?: string;
}

export const PROJECT_FILE = '.tkt.json';

export function findProjectFile(cwd: string): ProjectFile | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, PROJECT_FILE);
    let raw: Buffer | undefined;
    try {
      raw = fs.readFileSync(file);
    } catch {
      raw = undefined;
    }
    if (raw !== undefined) return parseProjectFile(file, decodeUtf8(raw, file));
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
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
