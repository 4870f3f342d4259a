// Level-2 test support: a migrated in-memory store, a clock the test moves, cheap password
// hashing, and helpers that build users, orgs and tenants through the real domain code.
import * as auth from '../../src/domain/auth.js';
import { enterOrg, type Tenant } from '../../src/domain/guard.js';
import * as orgs from '../../src/domain/orgs.js';
import type { Requirement } from '../../src/domain/guard.js';
import type { Clock } from '../../src/store/ports/common.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/store.js';
import type { Logger } from 'drizzle-orm/logger';
import { TktError } from '../../src/errors.js';

export const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export class TestClock implements Clock {
  constructor(public time = Date.parse('2026-11-27T12:00:00Z')) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface World {
  store: SqliteStore;
  clock: TestClock;
  deps: auth.AuthDeps;
  user(email: string, name?: string): Promise<auth.Principal>;
  org(owner: auth.Principal, name: string, opts?: { slug?: string; key?: string }): Promise<Tenant>;
  tenant(principal: auth.Principal, slug: string, requirement?: Requirement): Promise<Tenant>;
}

export function createWorld(options: { path?: string; logger?: Logger } = {}): World {
  const clock = new TestClock();
  const store = openSqliteStore({ path: options.path ?? ':memory:', clock, ...(options.logger ? { logger: options.logger } : {}) });
  const deps: auth.AuthDeps = { store, clock, scrypt: FAST_SCRYPT };
  const world: World = {
    store,
    clock,
    deps,
    async user(email, name = email.split('@')[0]!) {
      const grant = await auth.signup(deps, { email, name, password: 'correct horse battery' });
      return auth.authenticate(deps, grant.sessionToken, 'session');
    },
    async org(owner, name, opts = {}) {
      const created = await orgs.createOrg(store, owner, { name, ...opts });
      return enterOrg(store, owner, { ref: { id: created.id }, source: '--org' }, 'membership');
    },
    tenant(principal, slug, requirement = 'membership') {
      return enterOrg(store, principal, { ref: { slug }, source: '--org' }, requirement);
    },
  };
  return world;
}

/** Awaits a call that must fail with a TktError, and returns that error for assertions. */
export async function failure(promise: Promise<unknown>): Promise<TktError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TktError) return err;
    throw err;
  }
  throw new Error('expected a TktError, but the call succeeded');
}
