// A store shared by a team on one machine (README: "A shared store"). Two parts:
//
// - What any user can check: `db init` makes a personal store 0600 and a shared one 0660 with its
//   folder's group, whatever the umask; it refuses a folder others may write, or one without the
//   setgid bit whose group is not the user's; a store users outside its group may read gets one
//   warning per command, and `db check` fails on it.
// - Two real Unix users in a team group (root only: the test creates them, and removes them at
//   the end, also when a step fails): the README's recipe, `db init --shared` by one, the other
//   joining by invitation, 4 × 50 concurrent `ticket create` across both (numbers 1..200 gapless
//   and unique, no busy error, the -wal and -shm files 0660 with the team's group), one
//   membership for an invitation accepted at once from both users' sessions, the messages of a
//   user who cannot open the store or enter its folder, and configs that stay in each user's home.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, PASSWORD, Sandbox, cliResult, type CliResult } from '../support/cli.js';
import { AS_ROOT, runCliAs, type UnixUser } from '../support/foreign-user.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

const mode = (f: string) => fs.statSync(f).mode & 0o7777;

/** The CLI as the current user, under the given umask (sh sets it; Node workers cannot). */
function runWithUmask(umask: string, args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, BIN, ...args], {
      cwd: sb.dir,
      env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve(cliResult(code ?? -1, Buffer.concat(out).toString(), Buffer.concat(err).toString())));
  });
}

describe('db init, and the modes of a store (as the current user)', () => {
  const env = (db: string) => sb.env(path.join(sb.dir, 'config'), { TKT_DB: db });

  it('makes a personal store 0600 in a new 0700 folder, even under umask 000; again: exit 0, it exists', async () => {
    const db = path.join(sb.dir, 'personal', 'deep', 'tkt.db');
    const r = await runWithUmask('000', ['db', 'init'], env(db));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Created the store ${db}`);
    expect(mode(db)).toBe(0o600);
    expect(mode(path.dirname(db))).toBe(0o700);
    const again = await runWithUmask('000', ['db', 'init', '--json'], env(db));
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ store: db, created: false, shared: false, schemaVersion: expect.any(String), mode: '0600' });
    expect(again.stderr).toContain('already exists');
  });

  it('--shared: 0660 with the folder\'s group, even under umask 077', async () => {
    const folder = path.join(sb.dir, 'team-ok');
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o2770);
    const db = path.join(folder, 'team.db');
    const r = await runWithUmask('077', ['db', 'init', '--shared', '--json'], env(db));
    expect(r.code, r.stderr).toBe(0);
    expect(mode(db)).toBe(0o660);
    expect(fs.statSync(db).gid).toBe(fs.statSync(folder).gid);
    expect(r.json()).toMatchObject({ created: true, shared: true, mode: '0660' });
  });

  it('--shared on an existing personal store of mine makes it shared', async () => {
    const folder = path.join(sb.dir, 'team-later');
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o2770);
    const db = path.join(folder, 'team.db');
    expect((await runWithUmask('022', ['db', 'init'], env(db))).code).toBe(0);
    expect(mode(db)).toBe(0o600);
    const r = await runWithUmask('022', ['db', 'init', '--shared'], env(db));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('already exists and is shared (mode 0660');
    expect(mode(db)).toBe(0o660);
  });

  it('--shared refuses a folder every user may write (exit 7, how to fix it), and creates nothing', async () => {
    const folder = path.join(sb.dir, 'open-to-all');
    fs.mkdirSync(folder);
    fs.chmodSync(folder, 0o3777); // sticky or not: others could still put a -wal file there first
    const db = path.join(folder, 'team.db');
    const r = await sb.run(['db', 'init', '--shared'], { env: { TKT_DB: db } });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`refusing to create a shared store in ${folder} (mode 3777`);
    expect(r.stderr).toContain('every user of this machine may write in it');
    expect(r.stderr).toContain(`chmod o-w ${folder}`);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('--shared refuses a folder without setgid whose group is not my primary group', async (ctx) => {
    // A group I may give a folder that is not my primary one: as root any; else a supplementary one.
    const egid = process.getegid!();
    const other = AS_ROOT ? 65534 : process.getgroups!().find((g) => g !== egid);
    if (other === undefined) ctx.skip('no group other than my primary one to give the folder');
    const folder = path.join(sb.dir, 'no-setgid');
    fs.mkdirSync(folder);
    fs.chownSync(folder, process.getuid!(), other!);
    fs.chmodSync(folder, 0o770);
    const r = await sb.run(['db', 'init', '--shared'], { env: { TKT_DB: path.join(folder, 'team.db') } });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('it has no setgid bit and your primary group');
    expect(r.stderr).toContain(`chmod g+s ${folder}`);
    expect(fs.readdirSync(folder)).toEqual([]);
    // With the setgid bit, the same folder is fine.
    fs.chmodSync(folder, 0o2770);
    const ok = await sb.run(['db', 'init', '--shared'], { env: { TKT_DB: path.join(folder, 'team.db') } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.statSync(path.join(folder, 'team.db')).gid).toBe(other);
  });

  it('a store users outside its group may read: one warning per command, and db check fails on it', async () => {
    const db = path.join(sb.dir, 'readable', 'tkt.db');
    expect((await sb.run(['db', 'init'], { env: { TKT_DB: db } })).code).toBe(0);
    fs.chmodSync(db, 0o644);
    for (const args of [['db', 'status'], ['auth', 'status'], ['ticket', 'list']]) {
      const r = await sb.run(args, { env: { TKT_DB: db } });
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('tkt: warning:'));
      expect(warnings, `${args.join(' ')}: ${r.stderr}`).toEqual([
        `tkt: warning: every user of this machine can read the store ${db} (mode 0644, owner ${os.userInfo().username}, group ${groupOf(db)}), and with it every organization's data; run \`chmod o-rwx ${db}\``,
      ]);
    }
    const check = await sb.run(['db', 'check', '--json'], { env: { TKT_DB: db } });
    expect(check.code).toBe(7);
    expect(check.json<Array<{ name: string; ok: boolean }>>().filter((c) => !c.ok).map((c) => c.name)).toEqual(['store file permissions']);
    fs.chmodSync(db, 0o600);
    const quiet = await sb.run(['db', 'check'], { env: { TKT_DB: db } });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('warning');
  });
});

function groupOf(file: string): string {
  const gid = fs.statSync(file).gid;
  const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

// ---- two Unix users ----

if (!AS_ROOT) {
  console.log('shared-store: the two-Unix-user tests are skipped: they create users and need root (CI runs as root)');
}

describe.runIf(AS_ROOT)('two Unix users in a team group share one store', () => {
  const tag = crypto.randomBytes(3).toString('hex');
  const TEAM = `tkt${tag}team`;
  const names = { alice: `tkt${tag}alice`, bob: `tkt${tag}bob` };
  // Made in beforeAll: a skipped suite's body still runs, and its afterAll would not.
  let base = '';
  let folder = '';
  let db = '';
  const made: { users: string[]; group: boolean } = { users: [], group: false };
  const users = {} as Record<'alice' | 'bob', UnixUser & { name: string; home: string }>;
  let teamGid = -1;

  const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-shared-')));
    folder = path.join(base, 'team');
    db = path.join(folder, 'team.db');
    fs.chmodSync(base, 0o755);
    sh('groupadd', TEAM);
    made.group = true;
    teamGid = Number(sh('getent', 'group', TEAM).split(':')[2]);
    for (const who of ['alice', 'bob'] as const) {
      // Each with a primary group of their own (-U), and the team as a supplementary group: so the
      // -wal file gets the team's group only through the folder's setgid bit.
      sh('useradd', '-M', '-U', '-G', TEAM, '-s', '/usr/sbin/nologin', names[who]);
      made.users.push(names[who]);
      const uid = Number(sh('id', '-u', names[who]));
      const gid = Number(sh('id', '-g', names[who]));
      const home = path.join(base, `home-${who}`);
      fs.mkdirSync(home, { mode: 0o700 });
      fs.chownSync(home, uid, gid);
      users[who] = { name: names[who], uid, gid, groups: [gid, teamGid], home };
    }
    // The README's recipe, as the administrator who owns /srv.
    sh('mkdir', folder);
    sh('chgrp', TEAM, folder);
    sh('chmod', '2770', folder);
  });

  afterAll(() => {
    const problems: string[] = [];
    for (const user of made.users) {
      try {
        sh('userdel', user); // also removes the user's own group
      } catch (err) {
        problems.push(`userdel ${user}: ${(err as Error).message}`);
      }
    }
    if (made.group) {
      try {
        sh('groupdel', TEAM);
      } catch (err) {
        problems.push(`groupdel ${TEAM}: ${(err as Error).message}`);
      }
    }
    if (base) fs.rmSync(base, { recursive: true, force: true });
    if (problems.length) throw new Error(problems.join('\n'));
  });

  const as = (who: 'alice' | 'bob', args: string[], input?: string, configDir?: string) =>
    runCliAs(users[who], args, {
      PATH: process.env.PATH,
      HOME: users[who].home, // the config goes where it would for this user: ~/.config/tkt-nodejs
      TKT_DB: db,
      ...(configDir ? { TKT_CONFIG_DIR: configDir } : {}),
    }, { cwd: users[who].home, ...(input !== undefined ? { input } : {}) });

  const ok = async (who: 'alice' | 'bob', args: string[], input?: string, configDir?: string) => {
    const r = await as(who, args, input, configDir);
    expect(r.code, `${who}: tkt ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };

  it('alice runs `db init --shared`: the store is hers, 0660, group team', async () => {
    await ok('alice', ['db', 'init', '--shared']);
    const st = fs.statSync(db);
    expect({ mode: st.mode & 0o7777, uid: st.uid, gid: st.gid }).toEqual({ mode: 0o660, uid: users.alice.uid, gid: teamGid });
  });

  it('alice signs up and creates an org; bob signs up and joins it by invitation', async () => {
    await ok('alice', ['auth', 'signup', '--email', 'alice@example.com', '--name', 'Alice', '--password-stdin'], `${PASSWORD}\n`);
    await ok('alice', ['org', 'create', 'Team', '--key', 'TEAM']);
    const token = (await ok('alice', ['invite', 'create', 'bob@example.com', '--role', 'member'])).stdout.trim();
    expect(token).toMatch(/^tkti_/);
    await ok('bob', ['auth', 'signup', '--email', 'bob@example.com', '--name', 'Bob', '--password-stdin', '--invite', token], `${PASSWORD}\n`);
    expect((await ok('bob', ['org', 'current', '--json', 'slug,role'])).json()).toEqual({ slug: 'team', role: 'member' });
  });

  it('4 × 50 concurrent creates across both users: numbers 1..200 gapless and unique, no busy error; -wal and -shm 0660, group team', async () => {
    const seen = new Map<string, Set<string>>([['-wal', new Set()], ['-shm', new Set()]]);
    const poll = setInterval(() => {
      for (const [suffix, states] of seen) {
        try {
          const st = fs.statSync(db + suffix);
          states.add(`${(st.mode & 0o7777).toString(8)} ${st.gid === teamGid ? 'team' : st.gid}`);
        } catch {
          // not there at this moment
        }
      }
    }, 10);
    const writers = (['alice', 'alice', 'bob', 'bob'] as const).map(async (who, w) => {
      const results: CliResult[] = [];
      for (let i = 0; i < 50; i++) results.push(await as(who, ['ticket', 'create', '--title', `${who} ${w}.${i}`, '-q']));
      return results;
    });
    let results: CliResult[];
    try {
      results = (await Promise.all(writers)).flat();
    } finally {
      clearInterval(poll);
    }
    const failures = results.filter((r) => r.code !== 0 || /busy|locked/i.test(r.stderr));
    expect(failures.map((r) => `exit ${r.code}: ${r.stderr}`)).toEqual([]);
    const keys = results.map((r) => r.stdout.trim());
    const expected = Array.from({ length: 200 }, (_, i) => `TEAM-${i + 1}`);
    expect([...keys].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))).toEqual(expected);
    const numbers = (await ok('bob', ['ticket', 'list', '--limit', '0', '--json', 'number'])).json<Array<{ number: number }>>();
    expect(numbers.map((t) => t.number).sort((a, b) => a - b)).toEqual(expected.map((_, i) => i + 1));
    // SQLite gives the -wal and -shm files the store's mode; the setgid folder gives them its group.
    expect([...seen.get('-wal')!]).toEqual(['660 team']);
    expect([...seen.get('-shm')!]).toEqual(['660 team']);
    const check = await ok('bob', ['db', 'check']);
    expect(check.stderr).toContain('checks passed');
  }, 300_000);

  it('an invitation accepted at once from both users\' sessions makes one membership', async () => {
    const token = (await ok('alice', ['invite', 'create', 'carol@example.com', '--role', 'viewer'])).stdout.trim();
    // Carol's account, logged in as both Unix users (each with a config of their own).
    const carolAt = { alice: path.join(users.alice.home, 'carol'), bob: path.join(users.bob.home, 'carol') };
    await ok('alice', ['auth', 'signup', '--email', 'carol@example.com', '--name', 'Carol', '--password-stdin'], `${PASSWORD}\n`, carolAt.alice);
    await ok('bob', ['auth', 'login', '--email', 'carol@example.com', '--password-stdin'], `${PASSWORD}\n`, carolAt.bob);
    const attempts = await Promise.all((['alice', 'bob', 'alice', 'bob', 'alice', 'bob'] as const).map((who) => as(who, ['invite', 'accept', token], undefined, carolAt[who])));
    expect(attempts.map((r) => r.code).sort()).toEqual([0, 6, 6, 6, 6, 6]);
    const members = (await ok('alice', ['member', 'list', '--json', 'email'])).json<Array<{ email: string }>>();
    expect(members.filter((m) => m.email === 'carol@example.com')).toHaveLength(1);
  }, 120_000);

  it('a user who cannot open the store, or enter its folder, is told why and how to fix it (exit 7)', async () => {
    fs.chmodSync(db, 0o600); // what `db init` without --shared would have made
    try {
      const r = await as('bob', ['ticket', 'list']);
      expect(r.code).toBe(7);
      expect(r.stderr).toBe(
        `tkt: cannot open ${db}: permission denied (mode 0600, owner ${names.alice}, group ${TEAM})\n` +
          `  for a shared store its owner runs \`chmod 660 ${db}\` (see README: shared store)\n`,
      );
    } finally {
      fs.chmodSync(db, 0o660);
    }
    fs.chmodSync(folder, 0o2700);
    try {
      const r = await as('bob', ['ticket', 'list', '--json']);
      expect(r.code).toBe(7);
      expect(JSON.parse(r.stderr)).toEqual({
        error: {
          code: 'store',
          message: `cannot open ${db}: permission denied on its folder ${folder} (mode 2700, owner root, group ${TEAM})`,
          hint: `for a shared store its owner runs \`chmod 2770 ${folder}\` (see README: shared store)`,
        },
      });
    } finally {
      fs.chmodSync(folder, 0o2770);
    }
    expect((await as('bob', ['ticket', 'list'])).code).toBe(0);
  });

  it('a -wal file with the wrong group, and `db init --shared` by someone who does not own the store', async () => {
    // What a folder without the setgid bit gives: a -wal of someone's own group, closed to the others.
    expect(fs.existsSync(`${db}-wal`)).toBe(false); // no command is running: the last one removed it
    fs.writeFileSync(`${db}-wal`, '', { mode: 0o600 });
    fs.chownSync(`${db}-wal`, users.alice.uid, users.alice.gid);
    try {
      const r = await as('bob', ['ticket', 'list']);
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(`tkt: cannot open ${db}-wal: permission denied (mode 0600, owner ${names.alice}, group ${names.alice})`);
      expect(r.stderr).toContain(`the folder needs the setgid bit so that such files get its group: \`chmod g+s ${folder}\``);
    } finally {
      fs.rmSync(`${db}-wal`);
    }
    fs.chmodSync(db, 0o640);
    try {
      const r = await as('bob', ['db', 'init', '--shared']);
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(`${db} is not set up as a shared store (mode 0640, owner ${names.alice}, group ${TEAM}), and only its owner can change that`);
      expect(mode(db)).toBe(0o640);
      const fixed = await as('alice', ['db', 'init', '--shared']);
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(mode(db)).toBe(0o660);
    } finally {
      fs.chmodSync(db, 0o660);
    }
  });

  it('configs stay in each user\'s home, 0600; nothing of them is written into the shared folder', async () => {
    expect(fs.readdirSync(folder).filter((f) => !['team.db', 'team.db-wal', 'team.db-shm'].includes(f))).toEqual([]);
    for (const who of ['alice', 'bob'] as const) {
      const configDir = path.join(users[who].home, '.config', 'tkt-nodejs');
      const file = path.join(configDir, 'config.json');
      const st = fs.statSync(file);
      expect({ mode: st.mode & 0o777, uid: st.uid }).toEqual({ mode: 0o600, uid: users[who].uid });
      expect(mode(configDir) & 0o077).toBe(0);
      // Keyed by the shared store, holding this user's own session only.
      const stores = (JSON.parse(fs.readFileSync(file, 'utf8')) as { stores: Record<string, unknown> }).stores;
      expect(Object.keys(stores)).toEqual([db]);
    }
    const alice = fs.readFileSync(path.join(users.alice.home, '.config', 'tkt-nodejs', 'config.json'), 'utf8');
    const bob = fs.readFileSync(path.join(users.bob.home, '.config', 'tkt-nodejs', 'config.json'), 'utf8');
    expect(alice).not.toEqual(bob);
  });
});
