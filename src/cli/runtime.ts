// Everything a command needs from the outside world, created once per invocation and passed in:
// streams, clock, prompter, config, and lazily the store, the principal and the tenant.
import { unauthenticated } from '../errors.js';
import { authenticate, type AuthDeps, type Principal } from '../domain/auth.js';
import { enterOrg, type OrgSelection, type Requirement, type Tenant } from '../domain/guard.js';
import type { ScryptParams } from '../lib/scrypt.js';
import { systemClock, type Clock } from '../store/ports/common.js';
import type { Store } from '../store/ports/store.js';
import { sqliteLocator, type StoreLocator } from '../store/locator.js';
import { openStore, type OpenStoreOptions } from '../store/open.js';
import { ConfigFile, type StoreConfig } from './config.js';
import { terminalOf, type IO, type Terminal } from './io.js';
import type { GlobalOptions } from './globals.js';
import { createPrompter, type Prompter } from './prompter.js';
import { printable } from '../output/render.js';
import { findProjectFile, resolveOrgSelection, resolveStoreLocator, type ProjectFile } from './settings.js';

export interface RuntimeInit {
  io: IO;
  env: NodeJS.ProcessEnv;
  cwd: string;
  globals: GlobalOptions;
  clock?: Clock;
  prompter?: Prompter;
  /** Tests lower the scrypt cost; the CLI always uses the default. */
  scrypt?: ScryptParams;
  openStore?: (locator: StoreLocator, options: OpenStoreOptions) => Promise<Store>;
}

export interface StoreOpening {
  create?: boolean;
  shared?: boolean;
  /** PostgreSQL: `db migrate` connects as the owner, with this app role. */
  admin?: boolean;
  appRole?: string;
}

export class Runtime {
  readonly io: IO;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly globals: GlobalOptions;
  readonly clock: Clock;
  readonly terminal: Terminal;
  readonly prompter: Prompter;
  readonly config: ConfigFile;
  private readonly init: RuntimeInit;
  private storePromise: Promise<Store> | undefined;
  private readonly storesAt: Promise<Store>[] = [];
  private principalPromise: Promise<Principal> | undefined;
  private projectFile: ProjectFile | undefined | null = null;

  constructor(init: RuntimeInit) {
    this.init = init;
    this.io = init.io;
    this.env = init.env;
    this.cwd = init.cwd;
    this.globals = init.globals;
    this.clock = init.clock ?? systemClock;
    this.config = new ConfigFile(init.env);
    this.terminal = terminalOf(init.io, init.env, init.globals);
    this.prompter = init.prompter ?? createPrompter(this.terminal.canPrompt);
  }

  get project(): ProjectFile | undefined {
    if (this.projectFile === null) this.projectFile = findProjectFile(this.cwd, (why) => this.warn(why));
    return this.projectFile;
  }

  get storeLocator(): StoreLocator {
    return resolveStoreLocator({ flag: this.globals.db, env: this.env, cwd: this.cwd, project: this.project });
  }

  /** The store as people see it (no password); also the key of its entry in the config. */
  get storeLabel(): string {
    return this.storeLocator.label;
  }

  /**
   * The store, opened once. `create`: a missing store is created (only auth signup, db init,
   * db migrate and demo ask for it); every other command gets exit 7 and nothing is created.
   */
  store(options: StoreOpening = {}): Promise<Store> {
    this.storePromise ??= this.open(this.storeLocator, options);
    return this.storePromise;
  }

  /** A `tkt: warning:` line on stderr, made printable (it may quote paths and names from files). */
  warn(message: string): void {
    this.io.stderr.write(`tkt: warning: ${printable(message)}\n`);
  }

  private open(locator: StoreLocator, options: StoreOpening): Promise<Store> {
    const all: OpenStoreOptions = {
      clock: this.clock,
      allowNetworkFilesystem: this.env.TKT_ALLOW_NETWORK_FS === '1',
      onWarning: (message) => this.warn(message),
      ...options,
      create: options.create === true,
    };
    return this.init.openStore ? this.init.openStore(locator, all) : openStore(locator, all);
  }

  /** A store at a path the command chooses (the demo's new one), opened like store() and closed with the runtime. */
  openStoreAt(path: string, options: StoreOpening = {}): Promise<Store> {
    const store = this.open(sqliteLocator(path), options);
    this.storesAt.push(store);
    return store;
  }

  async authDeps(options: StoreOpening = {}): Promise<AuthDeps> {
    return { store: await this.store(options), clock: this.clock, ...(this.init.scrypt ? { scrypt: this.init.scrypt } : {}) };
  }

  /** TKT_TOKEN wins over the saved session; with it, the config is not read at all. */
  get usingToken(): boolean {
    return Boolean(this.env.TKT_TOKEN);
  }

  savedConfig(): StoreConfig {
    return this.usingToken ? {} : this.config.forStore(this.storeLabel);
  }

  principal(): Promise<Principal> {
    this.principalPromise ??= (async () => {
      const deps = await this.authDeps();
      if (this.env.TKT_TOKEN) {
        deps.store.presentToken?.(this.env.TKT_TOKEN);
        return authenticate(deps, this.env.TKT_TOKEN, 'TKT_TOKEN');
      }
      const { session } = this.savedConfig();
      if (!session) throw unauthenticated('you are not logged in to this store', 'run tkt auth login (or tkt auth signup)');
      // A PostgreSQL store presents it to the database in every transaction (row-level security).
      deps.store.presentToken?.(session);
      return authenticate(deps, session, 'session');
    })();
    return this.principalPromise;
  }

  orgSelection(): OrgSelection | undefined {
    return resolveOrgSelection({
      flag: this.globals.org,
      env: this.env,
      project: this.project,
      savedOrgId: this.savedConfig().activeOrgId,
    });
  }

  /** The tenant guard, as every org-scoped command reaches it (`selection`: an org named by an argument). */
  async tenant(requirement: Requirement, selection: OrgSelection | undefined = this.orgSelection()): Promise<Tenant> {
    const principal = await this.principal();
    return enterOrg(await this.store(), principal, selection, requirement);
  }

  async saveConfig(change: (current: StoreConfig) => StoreConfig): Promise<void> {
    // Commands check usingToken first; reaching this with TKT_TOKEN set is a bug, not a write.
    if (this.usingToken) throw new Error('a command tried to write the config while TKT_TOKEN is set');
    await this.config.update(this.storeLabel, change);
  }

  async close(): Promise<void> {
    for (const store of [this.storePromise, ...this.storesAt]) await store?.then((s) => s.close()).catch(() => undefined);
  }
}
