// A store-neutral world for domain-level tests: the same test runs on the store of its test project
// (test/support/stores.ts TEST_STORE). SQLite: the in-memory world of ./memory.ts. PostgreSQL: a
// fresh database cloned from the migrated template (./pg-world.ts), the store in-process as the
// CLI's login role (row-level security applies), the database's clock following the test clock.
//
// On PostgreSQL the database learns who is asking from the token the store presents (tkt.token), as
// the CLI presents the session of whoever runs the command. Here the world does it for the test:
// before every store operation it presents a token of the user the operation acts for — the user of
// the TenantContext for everything reached through store.forOrg(ctx), the user named by the call
// (userId, ownerId, importerId, the invitee) for the stores not bound to an org. It knows the tokens
// of the users it made (world.user) and of the logins it made (world.login); a test that gets a
// secret another way (auth.createToken, signupWithInvite…) and then acts as that user hands it over
// with world.remember(secret). Of a user's known tokens it presents one still alive (newest first),
// so a test that ends sessions keeps acting as that user through another one, as a person would
// after logging in again. Calls that name no user (authenticate, login, admin.check…) present
// whatever was presented last. On SQLite presenting is a no-op and everything is the same.
//
// Moving the clock (world.clock.advance(ms), world.clock.time = t, world.advance(ms)) moves the
// database's clock too. world.db is a raw connection as the owner (exempt from row-level security)
// with better-sqlite3's ? parameter API; its SQL must be portable (or branch on world.onPostgres).
import type { Logger } from 'drizzle-orm/logger';
import * as auth from '../../src/domain/auth.js';
import { enterOrg, type Requirement, type Tenant } from '../../src/domain/guard.js';
import * as orgs from '../../src/domain/orgs.js';
import { sha256 } from '../../src/lib/sha256.js';
import type { Store, TenantStore } from '../../src/store/ports/store.js';
import type { TenantContext } from '../../src/store/ports/tenant.js';
import { createWorld, failure, FAST_SCRYPT, TestClock } from './memory.js';
import { createPgWorld } from './pg-world.js';
import type { RawDb } from './raw-store.js';
import { onPostgres } from './stores.js';

export { failure, FAST_SCRYPT, TestClock };

/** The password world.user gives everyone. */
export const WORLD_PASSWORD = 'correct horse battery';

export interface TestWorld {
  /** Which store this world is on (TEST_STORE). */
  readonly onPostgres: boolean;
  /** The store as the domain sees it; on PostgreSQL it presents the acting user's token before each operation. */
  readonly store: Store;
  /** The test clock; moving it (advance, or setting time) moves the database's clock too. */
  readonly clock: TestClock;
  readonly deps: auth.AuthDeps;
  /** A raw connection as the store's owner (SQLite: the store's own connection; PostgreSQL: exempt from RLS). */
  readonly db: RawDb;
  /** A new account (password WORLD_PASSWORD), logged in: its session is the principal. */
  user(email: string, name?: string): Promise<auth.Principal>;
  /** A new login of an existing account: the principal and its secret (remembered for presenting). */
  login(email: string, password?: string): Promise<auth.Principal & { secret: string }>;
  /** An org created by `owner`, entered as them with the membership requirement. */
  org(owner: auth.Principal, name: string, opts?: { slug?: string; key?: string }): Promise<Tenant>;
  /** The tenant guard, as `principal`, for the org `slug`. */
  tenant(principal: auth.Principal, slug: string, requirement?: Requirement): Promise<Tenant>;
  /** A session or API token secret whose user this world may act as from now on (PostgreSQL; no-op on SQLite). */
  remember(secret: string): void;
  /** Same as clock.advance(ms). */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** The world of the test project's store. `logger` (SQLite only): every SQL statement, for the SQL-scoping checks. */
export async function openTestWorld(options: { logger?: Logger } = {}): Promise<TestWorld> {
  if (!onPostgres) {
    const memory = createWorld(options.logger ? { logger: options.logger } : {});
    return build({
      onPostgres: false,
      store: memory.store,
      clock: memory.clock,
      db: memory.store.conn.sqlite as unknown as RawDb,
      remember: () => undefined,
      close: async () => memory.store.close(),
    });
  }

  const pg = await createPgWorld();
  const inner = pg.clock;
  // The store reads `inner`; tests move this one, which moves the database's clock with it.
  const clock = Object.create(TestClock.prototype) as TestClock;
  Object.defineProperty(clock, 'time', {
    get: () => inner.time,
    set: (t: number) => pg.advance(t - inner.time),
    enumerable: true,
  });
  clock.advance = (ms: number) => pg.advance(ms);
  clock.now = () => inner.now();

  /** user id → the secrets known for them (hash, secret), newest last. */
  const secrets = new Map<number, Array<{ hash: string; secret: string }>>();
  const remember = (secret: string) => {
    const hash = sha256(secret.trim());
    const row = pg.db.prepare('SELECT user_id FROM credentials WHERE token_hash = ?').get(hash) as { user_id: number } | undefined;
    if (!row) throw new Error('world.remember: no credential has that secret');
    const known = secrets.get(row.user_id) ?? [];
    if (!known.some((k) => k.hash === hash)) known.push({ hash, secret: secret.trim() });
    secrets.set(row.user_id, known);
  };
  const presentFor: PresentFor = (userId, optional = false) => {
    if (userId === undefined) return;
    const known = secrets.get(userId);
    if (!known?.length) {
      if (optional) return;
      throw new Error(`test world: no token of user ${userId} is known to act as them on PostgreSQL; pass its secret to world.remember()`);
    }
    let chosen = known.at(-1)!;
    if (known.length > 1) {
      const live = new Set(
        (pg.db
          .prepare('SELECT token_hash FROM credentials WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?')
          .all(userId, inner.now()) as Array<{ token_hash: string }>).map((r) => r.token_hash),
      );
      chosen = [...known].reverse().find((k) => live.has(k.hash)) ?? chosen;
    }
    pg.store.presentToken(chosen.secret);
  };
  return build({
    onPostgres: true,
    store: actingStore(pg.store, presentFor),
    clock,
    db: pg.db,
    remember,
    close: () => pg.close(),
  });
}

/** Presents a token of that user; `optional`: unless none is known (then the last one presented stays). */
type PresentFor = (userId: number | undefined, optional?: boolean) => void;
/** Who a call acts for: a user id, optionally (a password proof may stand in for a token). */
type Who = (method: string, args: unknown[]) => number | { userId: number | undefined; optional: true } | undefined;

type Parts = Pick<TestWorld, 'onPostgres' | 'store' | 'clock' | 'db' | 'remember' | 'close'>;

function build(parts: Parts): TestWorld {
  const { store, clock } = parts;
  const deps: auth.AuthDeps = { store, clock, scrypt: FAST_SCRYPT };
  const world: TestWorld = {
    ...parts,
    deps,
    async user(email, name = email.split('@')[0]!) {
      const grant = await auth.signup(deps, { email, name, password: WORLD_PASSWORD });
      parts.remember(grant.sessionToken);
      return auth.authenticate(deps, grant.sessionToken, 'session');
    },
    async login(email, password = WORLD_PASSWORD) {
      const grant = await auth.login(deps, { email, password });
      parts.remember(grant.sessionToken);
      return { ...(await auth.authenticate(deps, grant.sessionToken, 'session')), secret: grant.sessionToken };
    },
    async org(owner, name, opts = {}) {
      const created = await orgs.createOrg(store, owner, { name, ...opts });
      return enterOrg(store, owner, { ref: { id: created.id }, source: '--org' }, 'membership');
    },
    tenant(principal, slug, requirement = 'membership') {
      return enterOrg(store, principal, { ref: { slug }, source: '--org' }, requirement);
    },
    advance(ms) {
      clock.advance(ms);
    },
  };
  return world;
}

/** Wraps each method of `target`: before the call, presents the token of the user `who` names (if any). */
function acting<T extends object>(target: T, who: Who, presentFor: PresentFor): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const acting = who(String(prop), args);
        if (typeof acting === 'object') presentFor(acting.userId, true);
        else presentFor(acting);
        return (value as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

const field = (arg: unknown, name: string): number | undefined => {
  const v = arg && typeof arg === 'object' ? (arg as Record<string, unknown>)[name] : undefined;
  return typeof v === 'number' ? v : undefined;
};

/** The PostgreSQL store, presenting the acting user's token before each operation. */
function actingStore(store: Store, presentFor: PresentFor): Store {
  const byMethod =
    (first: Record<string, (args: unknown[]) => ReturnType<Who>>): Who =>
    (method, args) =>
      method in first ? first[method]!(args) : field(args[0], 'userId');
  return {
    get location() {
      return store.location;
    },
    identity: acting(
      store.identity,
      // A new session follows a password proof (login, signup): no token of theirs need exist yet.
      byMethod({ listCredentials: (a) => a[0] as number, createCredential: (a) => ({ userId: field(a[0], 'userId'), optional: true }) }),
      presentFor,
    ),
    directory: acting(
      store.directory,
      byMethod({ findMembership: (a) => a[0] as number, listMemberships: (a) => a[0] as number, createOrg: (a) => field(a[0], 'ownerId') }),
      presentFor,
    ),
    admin: store.admin,
    invites: acting(store.invites, byMethod({ accept: (a) => field((a[0] as { invitee?: unknown })?.invitee, 'userId') }), presentFor),
    archive: acting(store.archive, byMethod({ importOrg: (a) => field(a[0], 'importerId') }), presentFor),
    forOrg(ctx: TenantContext): TenantStore {
      const repos = store.forOrg(ctx);
      const wrapped = {} as Record<string, object>;
      for (const [name, repo] of Object.entries(repos)) wrapped[name] = acting(repo as object, () => ctx.user.id, presentFor);
      return wrapped as unknown as TenantStore;
    },
    presentToken(secret: string) {
      store.presentToken?.(secret);
    },
    close: () => store.close(),
  };
}
