// Sessions and tokens through the real CLI (issue 11, items 4 and 8): a copied session, a
// re-login, logout --all, session list/revoke, auth password, and what TKT_TOKEN may do.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSWORD, Sandbox, type Person } from '../support/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

const NEW_PASSWORD = 'a brand new pass phrase';

/** Another machine holding a copy of the person's config as it is now (a stolen or synced file). */
function copyOf(person: Person, name: string): Person {
  const configDir = path.join(sb.dir, name);
  fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
  fs.copyFileSync(path.join(person.configDir, 'config.json'), path.join(configDir, 'config.json'));
  return { ...person, configDir, run: (args, options = {}) => sb.run(args, { configDir, ...options }) };
}

/** The person logged in again on another machine of theirs. */
async function loginElsewhere(person: Person, name: string, password = PASSWORD): Promise<Person> {
  const configDir = path.join(sb.dir, name);
  const r = await sb.run(['auth', 'login', '--email', person.email, '--password-stdin'], { configDir, input: `${password}\n` });
  expect(r.code, r.stderr).toBe(0);
  return { ...person, configDir, run: (args, options = {}) => sb.run(args, { configDir, ...options }) };
}

async function works(p: Person): Promise<number> {
  return (await p.run(['auth', 'status'])).code;
}

async function sessions(p: Person): Promise<Array<{ id: number; current: boolean; createdAt: string; lastUsedAt: string | null; expiresAt: string }>> {
  const r = await p.run(['auth', 'session', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
}

describe('a copied session', () => {
  it('dies when its owner logs in again on the same config, and stays dead after logout', async () => {
    const alice = await sb.person('alice@example.com');
    const thief = copyOf(alice, 'thief-1');
    expect(await works(thief)).toBe(0);
    const relogin = await alice.run(['auth', 'login', '--email', alice.email, '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(relogin.code, relogin.stderr).toBe(0);
    const dead = await thief.run(['auth', 'status']);
    expect(dead.code).toBe(3);
    expect(dead.stderr).toContain('logged out');
    expect(await works(alice)).toBe(0);
    expect((await alice.run(['auth', 'logout'])).code).toBe(0);
    expect(await works(thief)).toBe(3);
  });

  it('a failed login on the same config ends nothing', async () => {
    const walt = await sb.person('walt@example.com');
    const wrong = await walt.run(['auth', 'login', '--email', walt.email, '--password-stdin'], { input: 'not the password\n' });
    expect(wrong.code).toBe(3);
    expect(await works(walt)).toBe(0);
  });

  it('logout --all ends every session of mine on every machine, copies included; API tokens stay', async () => {
    const bob = await sb.person('bob@example.com');
    const laptop = await loginElsewhere(bob, 'bob-laptop');
    const thief = copyOf(laptop, 'thief-2');
    const token = (await bob.run(['auth', 'token', 'create', '--name', 'ci', '--json'])).json().token as string;
    const out = await bob.run(['auth', 'logout', '--all', '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json()).toEqual({ loggedOut: true, email: 'bob@example.com', sessionsEnded: 2 });
    for (const p of [bob, laptop, thief]) expect(await works(p)).toBe(3);
    expect(JSON.parse(fs.readFileSync(path.join(bob.configDir, 'config.json'), 'utf8')).stores).toEqual({});
    expect((await sb.run(['auth', 'status', '--json'], { env: { TKT_TOKEN: token } })).json()).toMatchObject({ via: 'token' });
  });
});

describe('auth session list and revoke', () => {
  it('lists my live sessions with this one marked, and ends another or all others', async () => {
    const carol = await sb.person('carol@example.com');
    const laptop = await loginElsewhere(carol, 'carol-laptop');
    const phone = await loginElsewhere(carol, 'carol-phone');
    const mallory = await sb.person('mallory@example.com');

    const listed = await sessions(carol);
    expect(listed).toHaveLength(3);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(Object.keys(listed[0]!).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'lastUsedAt']);
    const mine = listed.find((s) => s.current)!;
    expect((await sessions(laptop)).find((s) => s.current)!.id).not.toBe(mine.id);
    const laptopId = (await sessions(laptop)).find((s) => s.current)!.id;
    // Piped: tab-separated, this one marked with *; -q: the ids.
    const plain = await carol.run(['auth', 'session', 'list']);
    expect(plain.lines()).toContainEqual(expect.stringMatching(new RegExp(`^${mine.id}\\t.*\\t\\*$`)));
    expect((await carol.run(['auth', 'session', 'list', '-q'])).lines().sort()).toEqual(listed.map((s) => String(s.id)).sort());

    // Someone else cannot end my session, and cannot tell it exists.
    const foreign = await mallory.run(['auth', 'session', 'revoke', String(laptopId)]);
    expect(foreign.code).toBe(5);
    const unknown = await mallory.run(['auth', 'session', 'revoke', '999999']);
    expect(foreign.stderr.replace(String(laptopId), 'N')).toBe(unknown.stderr.replace('999999', 'N'));
    expect(await works(laptop)).toBe(0);

    // This session is ended with logout, not here.
    expect((await carol.run(['auth', 'session', 'revoke', String(mine.id)])).code).toBe(2);
    expect((await carol.run(['auth', 'session', 'revoke'])).code).toBe(2);
    expect((await carol.run(['auth', 'session', 'revoke', String(laptopId), '--all-others'])).code).toBe(2);
    expect((await carol.run(['auth', 'session', 'revoke', 'abc'])).code).toBe(2);

    const one = await carol.run(['auth', 'session', 'revoke', String(laptopId)]);
    expect(one.code, one.stderr).toBe(0);
    expect(await works(laptop)).toBe(3);
    expect(await works(phone)).toBe(0);
    expect((await carol.run(['auth', 'session', 'revoke', String(laptopId)])).code).toBe(5);

    const others = await carol.run(['auth', 'session', 'revoke', '--all-others', '--json']);
    expect(others.json()).toEqual({ revoked: 1 });
    expect(await works(phone)).toBe(3);
    expect((await sessions(carol)).map((s) => s.id)).toEqual([mine.id]);
    expect(await works(mallory)).toBe(0);
  });
});

describe('auth password', () => {
  it('needs the current password; then sets the new one and ends every other session, tokens only with --revoke-tokens', async () => {
    const dana = await sb.person('dana@example.com');
    const laptop = await loginElsewhere(dana, 'dana-laptop');
    const token = (await dana.run(['auth', 'token', 'create', '--name', 'ci', '--json'])).json().token as string;
    const asToken = (args: string[]) => sb.run(args, { env: { TKT_TOKEN: token } });

    const wrong = await dana.run(['auth', 'password', '--password-stdin'], { input: `not the password\n${NEW_PASSWORD}\n` });
    expect(wrong.code).toBe(3);
    expect(await works(laptop)).toBe(0);
    const oneLine = await dana.run(['auth', 'password', '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(oneLine.code).toBe(2);
    expect(oneLine.stderr).toContain('two lines');
    expect((await dana.run(['auth', 'password'])).code).toBe(2); // no terminal: names --password-stdin
    expect(await works(laptop)).toBe(0);

    const changed = await dana.run(['auth', 'password', '--password-stdin', '--json'], { input: `${PASSWORD}\n${NEW_PASSWORD}\n` });
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json()).toEqual({ sessionsEnded: 1, tokensRevoked: 0 });
    expect(await works(dana)).toBe(0);
    expect(await works(laptop)).toBe(3);
    expect((await asToken(['auth', 'status'])).code).toBe(0);
    const old = await sb.run(['auth', 'login', '--email', dana.email, '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(old.code).toBe(3);
    const laptop2 = await loginElsewhere(dana, 'dana-laptop-2', NEW_PASSWORD);

    const again = await dana.run(['auth', 'password', '--password-stdin', '--revoke-tokens', '--json'], { input: `${NEW_PASSWORD}\n${PASSWORD}\n` });
    expect(again.json()).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });
    expect(await works(laptop2)).toBe(3);
    expect((await asToken(['auth', 'status'])).code).toBe(3);
    expect(await works(dana)).toBe(0);
  });
});

describe('TKT_TOKEN', () => {
  it('takes API tokens only: a session token there is exit 3 saying so', async () => {
    const erin = await sb.person('erin@example.com');
    const session = JSON.parse(fs.readFileSync(path.join(erin.configDir, 'config.json'), 'utf8')).stores[sb.storeLabel].session;
    const r = await sb.run(['auth', 'status'], { env: { TKT_TOKEN: session } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('TKT_TOKEN holds a login session');
  });

  it('an API token cannot create tokens, revoke tokens or sessions, log out or change the password: exit 4', async () => {
    const fay = await sb.person('fay@example.com');
    const laptop = await loginElsewhere(fay, 'fay-laptop');
    const created = (await fay.run(['auth', 'token', 'create', '--name', 'ci', '--json'])).json();
    const laptopId = (await sessions(laptop)).find((s) => s.current)!.id;
    const asToken = (args: string[], input?: string) => sb.run(args, { env: { TKT_TOKEN: created.token }, ...(input ? { input } : {}) });

    for (const [args, input] of [
      [['auth', 'token', 'create', '--name', 'more']],
      [['auth', 'token', 'revoke', '-y', String(created.id)]],
      [['auth', 'session', 'revoke', String(laptopId)]],
      [['auth', 'session', 'revoke', '--all-others']],
      [['auth', 'logout']],
      [['auth', 'logout', '--all']],
      [['auth', 'password', '--password-stdin', '--revoke-tokens'], `${PASSWORD}\n${NEW_PASSWORD}\n`],
    ] as Array<[string[], string?]>) {
      const r = await asToken(args, input);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
      expect(r.stderr).toContain('needs a logged-in session');
    }
    expect(await works(laptop)).toBe(0);
    expect((await asToken(['auth', 'status'])).code).toBe(0);
    expect((await fay.run(['auth', 'token', 'list', '--json'])).json()).toHaveLength(1);
    const login = await sb.run(['auth', 'login', '--email', fay.email, '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(login.code).toBe(0);
    // It may look: the sessions, none of them its own.
    const seen = await asToken(['auth', 'session', 'list', '--json']);
    expect(seen.code).toBe(0);
    expect(seen.json().every((s: { current: boolean }) => !s.current)).toBe(true);
  });

  it('never writes the config: org create, org switch, invite accept and logout leave it as it was', async () => {
    const owner = await sb.person('olga@example.com');
    const hal = await sb.person('hal@example.com');
    expect((await owner.run(['org', 'create', 'Hosts', '--slug', 'hosts'])).code).toBe(0);
    const invite = (await owner.run(['invite', 'create', hal.email, '--role', 'member', '--json'])).json().token as string;
    const token = (await hal.run(['auth', 'token', 'create', '--name', 'ci', '--json'])).json().token as string;
    const file = path.join(hal.configDir, 'config.json');
    const before = [fs.readFileSync(file, 'utf8'), fs.statSync(file).mtimeMs, fs.readdirSync(hal.configDir)];
    const asToken = (args: string[]) => hal.run(args, { env: { TKT_TOKEN: token } });

    const created = await asToken(['org', 'create', 'Hal Co', '--slug', 'hal-co']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('nothing is saved as active');
    const accepted = await asToken(['invite', 'accept', invite]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect((await asToken(['org', 'switch', 'hosts'])).code).toBe(2);
    expect((await asToken(['auth', 'logout'])).code).toBe(4);
    expect((await asToken(['--org', 'hosts', 'org', 'leave', '-y'])).code).toBe(0);
    expect([fs.readFileSync(file, 'utf8'), fs.statSync(file).mtimeMs, fs.readdirSync(hal.configDir)]).toEqual(before);
    // The saved session was not used, and still works.
    expect(await works(hal)).toBe(0);
  });

  it('login and signup with TKT_TOKEN set are refused before anything is checked or written', async () => {
    const gus = await sb.person('gus@example.com');
    const token = (await gus.run(['auth', 'token', 'create', '--name', 'ci', '--json'])).json().token as string;
    const configDir = path.join(sb.dir, 'gus-ci');
    const login = await sb.run(['auth', 'login', '--email', gus.email, '--password-stdin'], { configDir, env: { TKT_TOKEN: token }, input: `${PASSWORD}\n` });
    expect(login.code).toBe(2);
    expect(login.stderr).toContain('TKT_TOKEN is set');
    const signup = await sb.run(['auth', 'signup', '--email', 'new@example.com', '--name', 'N', '--password-stdin'], { configDir, env: { TKT_TOKEN: token }, input: `${PASSWORD}\n` });
    expect(signup.code).toBe(2);
    expect(fs.existsSync(configDir)).toBe(false);
    expect((await sb.run(['auth', 'login', '--email', 'new@example.com', '--password-stdin'], { input: `${PASSWORD}\n` })).code).toBe(3);
  });
});
