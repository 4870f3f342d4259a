// Everything a command needs from the outside world, created once per invocation and passed in:
// streams, clock, prompter, config, and lazily the store, the principal and the tenant.
import { unauthenticated } from '../errors.js';
import { authenticate, type AuthDeps, type Principal } from '../domain/auth.js';
import { enterOrg, type OrgSelection, type Requirement, type Tenant } from '../domain/guard.js';
import type { ScryptParams } from '../lib/scrypt.js';
import { systemClock, type Clock } from '../store/ports/common.js';
import type { Store } from '../store/ports/store.js';
import type { StoreLocator } from '../store/locator.js';
import { openStore } from '../store/open.js';
import { ConfigFile, type StoreConfig } from './config.js';
import type { IO } from './io.js';
import { createPrompter, type Prompter } from './prompter.js';
import { findProjectFile, resolveOrgSelection, resolveStoreLocator, type ProjectFile } from './settings.js';

export interface GlobalOptions {
  db?: string;
  org?: string;
  json?: true | string[];
  quiet: boolean;
  color: boolean;
  input: boolean;
  yes: boolean;
}

export interface RuntimeInit {
  io: IO;
  env: NodeJS.ProcessEnv;
  cwd: string;
  globals: GlobalOptions;
  clock?: Clock;
  prompter?: Prompter;
  /** Tests lower the scrypt cost; the CLI always uses the default. */
  scrypt?: ScryptParams;
  openStore?: (locator: StoreLocator, clock: Clock) => Promise<Store>;
}

export class Runtime {
  readonly io: IO;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly globals: GlobalOptions;
  readonly clock: Clock;
  readonly prompter: Prompter;
  readonly config: ConfigFile;
  private readonly init: RuntimeInit;
  private storePromise: Promise<Store> | undefined;
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
    const interactive = init.globals.input && Boolean(init.io.stdin.isTTY) && Boolean(init.io.stderr.isTTY);
    this.prompter = init.prompter ?? createPrompter(interactive);
  }

  get project(): ProjectFile | undefined {
    if (this.projectFile === null) this.projectFile = findProjectFile(this.cwd);
    return this.projectFile;
  }

  get storeLocator(): StoreLocator {
    return resolveStoreLocator({ flag: this.globals.db, env: this.env, cwd: this.cwd, project: this.project });
  }

  /** The store as people see it (no password); also the key of its entry in the config. */
  get storeLabel(): string {
    return this.storeLocator.label;
  }

  store(): Promise<Store> {
    this.storePromise ??= this.init.openStore
      ? this.init.openStore(this.storeLocator, this.clock)
      : openStore(this.storeLocator, { clock: this.clock });
    return this.storePromise;
  }

  async authDeps(): Promise<AuthDeps> {
    return { store: await this.store(), clock: this.clock, ...(this.init.scrypt ? { scrypt: this.init.scrypt } : {}) };
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
      if (this.env.TKT_TOKEN) return authenticate(deps, this.env.TKT_TOKEN, 'TKT_TOKEN');
      const { session } = this.savedConfig();
      if (!session) throw unauthenticated('you are not logged in to this store', 'run tkt auth login (or tkt auth signup)');
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
    await this.config.update(this.storeLabel, change);
  }

  close(): void {
    void this.storePromise?.then((s) => s.close()).catch(() => undefined);
  }
}
