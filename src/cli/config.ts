// The persisted config: per store (keyed by the store's label, which holds no password), an opaque
// session token and the id of the active org. Nothing in it is trusted: the token is re-checked in
// the store and the org id re-checked as a membership on every command. Reads are a plain JSON parse
// of conf's file (hot path: every command); writes go through conf (atomic write, mode 0600), which
// is loaded only when something is saved.
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { unauthenticated } from '../errors.js';

export interface StoreConfig {
  session?: string;
  activeOrgId?: number;
}

const PROJECT = 'tkt';
const FILE_MODE = 0o600;
const SESSION_SHAPE = /^tkts_[A-Za-z0-9_-]{43}$/;

export class ConfigFile {
  readonly dir: string;
  readonly file: string;

  constructor(env: NodeJS.ProcessEnv) {
    // The same folder conf would pick by itself, unless TKT_CONFIG_DIR says otherwise.
    this.dir = env.TKT_CONFIG_DIR ? path.resolve(env.TKT_CONFIG_DIR) : envPaths(PROJECT, { suffix: 'nodejs' }).config;
    this.file = path.join(this.dir, 'config.json');
  }

  private readAll(): Record<string, unknown> {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw unauthenticated(`cannot read the config file ${this.file}: ${(err as Error).message}`);
    }
    try {
      const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw this.tampered('is not valid JSON');
    }
  }

  private tampered(what: string) {
    return unauthenticated(
      `the config file ${this.file} ${what}`,
      `delete it (rm '${this.file}') and log in again with tkt auth login`,
    );
  }

  /** The saved state for one store; a value of the wrong shape is refused, not guessed at. */
  forStore(storeLabel: string): StoreConfig {
    const stores = this.readAll().stores;
    if (stores === undefined) return {};
    if (typeof stores !== 'object' || stores === null || Array.isArray(stores)) throw this.tampered('has been tampered with');
    const entry = (stores as Record<string, unknown>)[storeLabel];
    if (entry === undefined) return {};
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw this.tampered('has been tampered with');
    const { session, activeOrgId } = entry as Record<string, unknown>;
    if (session !== undefined && (typeof session !== 'string' || !SESSION_SHAPE.test(session))) {
      throw this.tampered('holds a malformed session');
    }
    if (activeOrgId !== undefined && !(Number.isSafeInteger(activeOrgId) && (activeOrgId as number) > 0)) {
      throw this.tampered('holds a malformed active organization');
    }
    return { ...(session ? { session: session as string } : {}), ...(activeOrgId ? { activeOrgId: activeOrgId as number } : {}) };
  }

  async update(storeLabel: string, change: (current: StoreConfig) => StoreConfig): Promise<void> {
    let current: StoreConfig;
    try {
      current = this.forStore(storeLabel);
    } catch {
      current = {}; // saving a new session over a damaged entry is how a user repairs it
    }
    const next = change(current);
    const { default: Conf } = await import('conf');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const conf = new Conf<Record<string, unknown>>({
      projectName: PROJECT,
      cwd: this.dir,
      configName: 'config',
      configFileMode: FILE_MODE,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: true,
    });
    const stores = { ...((conf.get('stores') as Record<string, StoreConfig> | undefined) ?? {}) };
    if (next.session === undefined && next.activeOrgId === undefined) delete stores[storeLabel];
    else stores[storeLabel] = next;
    conf.set('stores', stores);
    fs.chmodSync(this.file, FILE_MODE); // conf applies the mode only when it creates the file
  }
}
