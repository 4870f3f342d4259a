// A stored password hash is data from the store: one with parameters tkt never writes (damage or
// tampering) must not verify, must not make node:crypto throw (exit 1), and must not cost a
// derivation at whatever N, r and p it names (issue 11 #13). First verifyPassword itself, then a
// login through the store of the test project (test/support/world.ts) whose stored hash was damaged
// behind tkt's back: on PostgreSQL the hash never leaves the database (the store hands out the
// parameters and salt, tkt derives, the database compares), so the damage reaches tkt differently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auth from '../../src/domain/auth.js';
import { hashPassword, scryptDerive, verifyPassword, type DeriveKey, type ScryptParams } from '../../src/lib/scrypt.js';
import { failure, FAST_SCRYPT, openTestWorld, WORLD_PASSWORD, type TestWorld } from '../support/world.js';

const PASSWORD = 'correct horse battery';

function counting(): { derive: DeriveKey; calls: () => number } {
  let calls = 0;
  return { derive: (...args) => (calls++, scryptDerive(...args)), calls: () => calls };
}

/** Ways to damage scrypt$N$r$p$salt$key (split on $). */
const DAMAGES: Array<[string, (p: string[]) => string[]]> = [
  ['N not a power of two', (p) => ((p[1] = '1000'), p)],
  ['N = 1', (p) => ((p[1] = '1'), p)],
  ['N = 0', (p) => ((p[1] = '0'), p)],
  ['huge N', (p) => ((p[1] = String(2 ** 40)), p)],
  ['huge r', (p) => ((p[2] = '1000000000'), p)],
  ['huge p', (p) => ((p[3] = '1000000000'), p)],
  ['N * r * p past the memory cap', (p) => ((p[1] = String(2 ** 20)), (p[2] = '32'), (p[3] = '16'), p)],
  ['negative r', (p) => ((p[2] = '-8'), p)],
  ['negative p', (p) => ((p[3] = '-1'), p)],
  ['NaN N', (p) => ((p[1] = 'NaN'), p)],
  ['fractional r', (p) => ((p[2] = '8.5'), p)],
  ['empty N', (p) => ((p[1] = ''), p)],
  ['N in hex', (p) => ((p[1] = '0x400'), p)],
  ['empty key', (p) => ((p[5] = ''), p)],
  ['a one-byte key', (p) => ((p[5] = 'AA=='), p)],
  ['empty salt', (p) => ((p[4] = ''), p)],
  ['key not base64', (p) => ((p[5] = '!!!!'), p)],
];

describe('verifyPassword with a damaged stored hash', () => {
  it('a well-formed hash still verifies (the control)', async () => {
    const stored = await hashPassword(PASSWORD, FAST_SCRYPT);
    const c = counting();
    expect(await verifyPassword(PASSWORD, stored, c.derive)).toBe(true);
    expect(await verifyPassword('wrong', stored, c.derive)).toBe(false);
    expect(c.calls()).toBe(2);
  });

  it.each(DAMAGES)('%s: false, without deriving and without throwing', async (_, damage) => {
    const parts = (await hashPassword(PASSWORD, FAST_SCRYPT)).split('$');
    const stored = damage(parts).join('$');
    const c = counting();
    // The right password: only the damage can make it fail.
    await expect(verifyPassword(PASSWORD, stored, c.derive)).resolves.toBe(false);
    expect(c.calls()).toBe(0);
  });
});

describe('a login against a damaged stored hash (through the store)', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await openTestWorld();
  });
  afterAll(() => world?.close());

  /** A login that records the cost of every derivation it asks for. */
  async function login(email: string, password: string): Promise<{ calls: ScryptParams[]; attempt: Promise<unknown> }> {
    const calls: ScryptParams[] = [];
    const derive: DeriveKey = (pw, salt, keylen, params) => (calls.push(params), scryptDerive(pw, salt, keylen, params));
    const attempt = auth.login({ ...world.deps, derive }, { email, password });
    await attempt.catch(() => undefined);
    return { calls, attempt };
  }

  it('an undamaged hash logs in with one derivation at its own cost (the control)', async () => {
    await world.user('control@example.com');
    const { calls, attempt } = await login('control@example.com', WORLD_PASSWORD);
    await expect(attempt).resolves.toMatchObject({ user: { email: 'control@example.com' } });
    expect(calls).toEqual([FAST_SCRYPT]);
  });

  it.each(DAMAGES.map(([what, damage], i) => [what, damage, i] as const))(
    '%s: the right password is refused (exit 3), never deriving at the damaged cost',
    async (_what, damage, i) => {
      const email = `damaged${i}@example.com`;
      await world.user(email);
      const { password_hash: stored } = world.db.prepare('SELECT password_hash FROM users WHERE email = ?').get(email) as { password_hash: string };
      const damaged = damage(stored.split('$')).join('$');
      expect(world.db.prepare('UPDATE users SET password_hash = ? WHERE email = ?').run(damaged, email).changes).toBe(1);
      const { calls, attempt } = await login(email, WORLD_PASSWORD);
      const refused = await failure(attempt);
      expect([refused.exitCode, refused.message]).toEqual([3, 'wrong email or password']);
      // SQLite verifies in tkt and derives nothing; PostgreSQL derives once like for a wrong
      // password (the decoy's cost, or the stored one when only the key is damaged), never more.
      expect(calls.length).toBeLessThanOrEqual(1);
      for (const params of calls) expect(params).toEqual(FAST_SCRYPT);
    },
  );
});
