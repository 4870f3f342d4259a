// Sessions, password changes and the limits of API tokens, at the domain level (issue 11, items
// 3, 4 and 8); test/e2e/sessions.test.ts attacks the same through the CLI. On both stores
// (test/support/world.ts): on PostgreSQL the secrets stay in the database (SECURITY DEFINER functions).
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { passwordRun } from '../../src/commands/auth/password.js';
import type { Prompter } from '../../src/cli/prompter.js';
import { Runtime } from '../../src/cli/runtime.js';
import * as auth from '../../src/domain/auth.js';
import { scryptDerive, type DeriveKey, type ScryptParams } from '../../src/lib/scrypt.js';
import { failure, FAST_SCRYPT, openTestWorld, type TestWorld } from '../support/world.js';

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new pass phrase';

let world: TestWorld;
afterEach(() => world?.close());

/** A key derivation that counts its calls and records the cost it was asked for. */
function countingDerive(): { derive: DeriveKey; calls: ScryptParams[] } {
  const calls: ScryptParams[] = [];
  return {
    calls,
    derive: (password, salt, keylen, params) => {
      calls.push(params);
      return scryptDerive(password, salt, keylen, params);
    },
  };
}

/** A new login of that user: the principal, and the secret its config would hold. */
function session(email: string, password = PASSWORD): Promise<auth.Principal & { secret: string }> {
  return world.login(email, password);
}

async function viaToken(principal: auth.Principal): Promise<auth.Principal> {
  const created = await auth.createToken(world.deps, principal, { name: 'ci' });
  world.remember(created.token); // PostgreSQL: what the world presents when this user acts next (as TKT_TOKEN would be)
  return auth.authenticate(world.deps, created.token, 'TKT_TOKEN');
}

describe('login costs one key derivation, whoever asks', () => {
  it.each([
    ['an unknown email', 'nobody@example.com', PASSWORD, false],
    ['a wrong password', 'alice@example.com', 'not the password', false],
    ['the right password', 'alice@example.com', PASSWORD, true],
  ] as const)('%s: exactly one derivation, at the cost of a real hash', async (_what, email, password, succeeds) => {
    world = await openTestWorld();
    await world.user('alice@example.com');
    // Run each case twice: the first login of a process must cost no more than the next.
    for (let i = 0; i < 2; i++) {
      const counter = countingDerive();
      const deps = { ...world.deps, derive: counter.derive };
      const attempt = auth.login(deps, { email, password });
      if (succeeds) await attempt;
      else expect((await failure(attempt)).message).toBe('wrong email or password');
      expect(counter.calls).toEqual([FAST_SCRYPT]);
    }
  });
});

describe('sessions', () => {
  it('logout --all ends a session copied to another machine; the copy is dead at once', async () => {
    world = await openTestWorld();
    const here = await world.user('alice@example.com');
    const copy = await auth.login(world.deps, { email: 'alice@example.com', password: PASSWORD });
    expect(await auth.logoutEverywhere(world.deps, here)).toBe(2);
    expect((await failure(auth.authenticate(world.deps, copy.sessionToken, 'session'))).exitCode).toBe(3);
  });

  it('lists only live sessions, this one marked, and never the secrets', async () => {
    world = await openTestWorld();
    const first = await world.user('alice@example.com');
    const second = await session('alice@example.com');
    const third = await session('alice@example.com');
    await auth.logout(world.deps, third);
    const listed = await auth.listSessions(world.deps, second);
    expect(listed.map((s) => [s.id, s.current])).toEqual([
      [second.credential.id, true],
      [first.credential.id, false],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/tkts_|hash/i);
    world.clock.advance(auth.SESSION_TTL_MS);
    expect(await auth.listSessions(world.deps, second)).toEqual([]);
  });

  it("revoke ends one of my sessions; another user's session id is not found and stays alive", async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const aliceOther = await session('alice@example.com');
    const mallory = await world.user('mallory@example.com');
    const attempt = await failure(auth.revokeSession(world.deps, mallory, aliceOther.credential.id));
    expect(attempt.exitCode).toBe(5);
    await auth.authenticate(world.deps, aliceOther.secret, 'session');
    expect((await auth.listSessions(world.deps, alice)).map((s) => s.id)).toContain(alice.credential.id);

    await auth.revokeSession(world.deps, alice, aliceOther.credential.id);
    expect((await auth.listSessions(world.deps, alice)).map((s) => s.id)).not.toContain(aliceOther.credential.id);
    expect((await failure(auth.revokeSession(world.deps, alice, aliceOther.credential.id))).exitCode).toBe(5);
    expect((await failure(auth.revokeSession(world.deps, alice, alice.credential.id))).exitCode).toBe(2);
  });

  it('revoke --all-others keeps this session and ends every other one, and no one else’s', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    await session('alice@example.com');
    await session('alice@example.com');
    const bob = await world.user('bob@example.com');
    expect(await auth.revokeOtherSessions(world.deps, alice)).toBe(2);
    expect((await auth.listSessions(world.deps, alice)).map((s) => s.id)).toEqual([alice.credential.id]);
    expect(await auth.listSessions(world.deps, bob)).toHaveLength(1);
  });

  it('logging in again on the same config ends the session it replaces', async () => {
    world = await openTestWorld();
    await world.user('alice@example.com');
    const old = await session('alice@example.com');
    const kept = await session('alice@example.com');
    await auth.endReplacedSession(world.deps, old.secret);
    expect((await failure(auth.authenticate(world.deps, old.secret, 'session'))).message).toContain('logged out');
    await auth.authenticate(world.deps, kept.secret, 'session');
    // An API token is not a session a login replaces.
    const token = await auth.createToken(world.deps, kept, { name: 'ci' });
    await auth.endReplacedSession(world.deps, token.token);
    await auth.authenticate(world.deps, token.token, 'TKT_TOKEN');
  });
});

describe('changing the password', () => {
  it('needs the current password; a wrong one changes nothing', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const other = await session('alice@example.com');
    const wrong = await failure(auth.changePassword(world.deps, alice, { current: 'not it at all', next: NEW_PASSWORD, revokeTokens: false }));
    expect(wrong.exitCode).toBe(3);
    await auth.authenticate(world.deps, other.secret, 'session');
    await session('alice@example.com', PASSWORD);
    expect((await failure(auth.changePassword(world.deps, alice, { current: PASSWORD, next: 'short', revokeTokens: false }))).exitCode).toBe(2);
  });

  it('sets the new one and ends every other session; API tokens end only with revokeTokens', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const other = await session('alice@example.com');
    const token = await auth.createToken(world.deps, alice, { name: 'ci' });
    const ended = await auth.changePassword(world.deps, alice, { current: PASSWORD, next: NEW_PASSWORD, revokeTokens: false });
    expect(ended).toEqual({ session: 1, token: 0 });
    expect((await failure(auth.login(world.deps, { email: 'alice@example.com', password: PASSWORD }))).exitCode).toBe(3);
    expect((await failure(auth.authenticate(world.deps, other.secret, 'session'))).message).toContain('logged out');
    await auth.authenticate(world.deps, token.token, 'TKT_TOKEN');
    expect((await auth.listSessions(world.deps, alice)).map((s) => s.id)).toEqual([alice.credential.id]);
    const fresh = await session('alice@example.com', NEW_PASSWORD);

    const again = await auth.changePassword(world.deps, alice, { current: NEW_PASSWORD, next: PASSWORD, revokeTokens: true });
    expect(again).toEqual({ session: 1, token: 1 });
    expect((await failure(auth.authenticate(world.deps, fresh.secret, 'session'))).exitCode).toBe(3);
    expect((await failure(auth.authenticate(world.deps, token.token, 'TKT_TOKEN'))).message).toContain('revoked');
  });
});

describe('what an API token cannot do', () => {
  it.each([
    ['create an API token', (p: auth.Principal) => auth.createToken(world.deps, p, { name: 'more' })],
    ['revoke an API token', (p: auth.Principal) => auth.revokeToken(world.deps, p, p.credential.id)],
    ['end a session', (p: auth.Principal) => auth.revokeSession(world.deps, p, 1)],
    ['end the other sessions', (p: auth.Principal) => auth.revokeOtherSessions(world.deps, p)],
    ['log out', (p: auth.Principal) => auth.logout(world.deps, p)],
    ['log out everywhere', (p: auth.Principal) => auth.logoutEverywhere(world.deps, p)],
    ['change the password', (p: auth.Principal) => auth.changePassword(world.deps, p, { current: PASSWORD, next: NEW_PASSWORD, revokeTokens: true })],
  ] as const)('%s: exit 4, needs a session, nothing changes', async (_what, act) => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const token = await viaToken(alice);
    const before = world.db.prepare('SELECT * FROM credentials ORDER BY id').all();
    const users = world.db.prepare('SELECT password_hash FROM users').all();
    const refused = await failure(act(token));
    expect(refused.exitCode).toBe(4);
    expect(refused.message).toContain('needs a logged-in session');
    expect(world.db.prepare('SELECT * FROM credentials ORDER BY id').all()).toEqual(before);
    expect(world.db.prepare('SELECT password_hash FROM users').all()).toEqual(users);
  });

  it('may list sessions (none of them is its own)', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const listed = await auth.listSessions(world.deps, await viaToken(alice));
    expect(listed.map((s) => [s.id, s.current])).toEqual([[alice.credential.id, false]]);
  });

  it('TKT_TOKEN takes API tokens only: a session secret there is exit 3 saying so', async () => {
    world = await openTestWorld();
    const alice = await session((await world.user('alice@example.com')).user.email);
    const refused = await failure(auth.authenticate(world.deps, alice.secret, 'TKT_TOKEN'));
    expect(refused.exitCode).toBe(3);
    expect(refused.message).toContain('TKT_TOKEN holds a login session');
    const token = await auth.createToken(world.deps, alice, { name: 'ci' });
    expect((await failure(auth.authenticate(world.deps, token.token, 'session'))).exitCode).toBe(3);
  });
});

describe('auth password on a terminal', () => {
  function runtimeAnswering(answers: string[], asked: string[]): Runtime {
    const prompter: Prompter = {
      interactive: true,
      password: async (question) => {
        asked.push(question);
        return answers.shift() ?? '';
      },
      input: async () => {
        throw new Error('not asked');
      },
      select: async () => {
        throw new Error('not asked');
      },
      confirm: async () => {
        throw new Error('not asked');
      },
    };
    return new Runtime({
      io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: Readable.from([]) },
      env: { TKT_DB: ':memory:' },
      cwd: process.cwd(),
      globals: { quiet: false, color: false, input: true, yes: false },
      prompter,
      scrypt: FAST_SCRYPT,
      openStore: async () => world.store,
    });
  }

  it('asks for the current password and the new one twice; two different new ones change nothing', async () => {
    world = await openTestWorld();
    const alice = await world.user('alice@example.com');
    const asked: string[] = [];
    const mismatch = runtimeAnswering([PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}!`], asked);
    const refused = await failure(passwordRun({ passwordStdin: false, revokeTokens: false }, { rt: mismatch, principal: alice }));
    expect(refused.exitCode).toBe(2);
    expect(asked).toEqual(['Current password:', 'New password:', 'New password again:']);
    await session('alice@example.com', PASSWORD);

    const ok = runtimeAnswering([PASSWORD, NEW_PASSWORD, NEW_PASSWORD], []);
    const result = await passwordRun({ passwordStdin: false, revokeTokens: false }, { rt: ok, principal: alice });
    expect(result).toMatchObject({ kind: 'message', json: { sessionsEnded: 1, tokensRevoked: 0 } });
    await session('alice@example.com', NEW_PASSWORD);
  });
});

describe('the last use of a credential', () => {
  it('never goes back: a command that read it before another process touched it is not refused and changes nothing', async () => {
    world = await openTestWorld();
    await world.user('alice@example.com');
    const alice = await session('alice@example.com');
    await auth.authenticate(world.deps, alice.secret, 'session'); // this process has read the last use
    const HOUR = 3_600_000;
    // Meanwhile another process, its clock ahead (or simply later to commit), touched the session.
    const ahead = world.clock.now() + 3 * HOUR;
    world.db.prepare('UPDATE credentials SET last_used_at = ? WHERE id = ?').run(ahead, alice.credential.id);
    world.advance(2 * HOUR); // past the touch interval since what this process read, still before `ahead`
    await world.store.identity.touchCredential(alice.credential.id);
    const row = world.db.prepare('SELECT last_used_at AS t FROM credentials WHERE id = ?').get(alice.credential.id) as { t: number | string };
    expect(Number(row.t)).toBe(ahead);
  });
});
