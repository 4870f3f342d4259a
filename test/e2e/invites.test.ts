// Invitations through the real CLI: every rule of the issue, attacked. Where a test needs the world
// to change under an invitation (a role deleted, an inviter demoted, time passing), it edits the
// store file directly, as another tkt process (or a day going by) would have.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dumpStore } from '../support/dump.js';
import { withStore, type RawDb } from '../support/raw-store.js';
import { onPostgres } from '../support/stores.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { HAS_TMUX, shellScript, tmuxServer } from '../support/terminal.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

const TOKEN = /^tkti_[A-Za-z0-9_-]{43}$/;
const PASSWORD_LINE = 'a-long-enough-password\n';
/** Every token any test was given: none may ever be found in the store. */
const issued: string[] = [];

let owner: Person;
let acmeId: number;

function withDb<T>(fn: (db: RawDb) => T): T {
  return withStore(sb, fn);
}

async function invite(by: Person, email: string, role: string, extra: string[] = []): Promise<{ id: number; token: string }> {
  const r = await by.run(['invite', 'create', email, '--role', role, ...extra, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const { id, token } = r.json();
  issued.push(token);
  return { id, token };
}

async function inviteList(by: Person, flags: string[] = ['--all']): Promise<Array<Record<string, any>>> {
  const r = await by.run(['invite', 'list', ...flags, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json();
}

const signup = (configDir: string, email: string, token: string) =>
  sb.run(['auth', 'signup', '--invite', token, '--email', email, '--name', email.split('@')[0]!, '--password-stdin'], {
    configDir,
    input: PASSWORD_LINE,
  });

beforeAll(async () => {
  owner = await sb.person('olivia@example.com');
  expect((await owner.run(['org', 'create', 'Acme'])).code).toBe(0);
  acmeId = withDb((db) => (db.prepare("SELECT id FROM organizations WHERE slug = 'acme'").get() as { id: number }).id);
});

describe('the flow: an admin invites, the person signs up with the token and lands in the org', () => {
  const danaDir = path.join(sb.dir, 'dana-laptop');

  it('prints the token once (just the token when piped), and signup --invite joins with the role', async () => {
    const created = await owner.run(['invite', 'create', 'Dana@Example.com', '--role', 'admin']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^tkti_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toContain('shown only this once');
    const token = created.stdout.trim();
    issued.push(token);

    const joined = await signup(danaDir, 'dana@example.com', token);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stderr).toContain('joined acme as admin');
    const current = await sb.run(['org', 'current', '--json', 'slug,role'], { configDir: danaDir });
    expect(current.json()).toEqual({ slug: 'acme', role: 'admin' });

    const listed = await owner.run(['invite', 'list', '--all', '--json']);
    expect(listed.stdout).not.toContain(token);
    expect(listed.json()).toEqual([
      expect.objectContaining({ email: 'dana@example.com', role: 'admin', state: 'accepted', acceptedBy: { email: 'dana@example.com', name: 'dana' } }),
    ]);
    expect(listed.json()[0]).not.toHaveProperty('token');
    const audit = await owner.run(['audit', 'list', '--action', 'invite', '--json']);
    expect(audit.json().map((e: { action: string }) => e.action)).toEqual(['invite.accept', 'invite.create']);
  });

  it('-q prints the token, --json includes it, and --expires is 1 minute to 30 days', async () => {
    const quiet = await owner.run(['invite', 'create', 'ed@example.com', '--role', 'viewer', '-q']);
    expect(quiet.stdout.trim()).toMatch(TOKEN);
    expect(quiet.stderr).toBe('');
    issued.push(quiet.stdout.trim());
    const json = await owner.run(['invite', 'create', 'ed@example.com', '--role', 'viewer', '--expires', '2d', '--json']);
    const view = json.json();
    issued.push(view.token);
    expect(view).toMatchObject({ email: 'ed@example.com', role: 'viewer', state: 'pending', org: 'acme', token: expect.stringMatching(TOKEN) });
    expect(Date.parse(view.expiresAt) - Date.parse(view.createdAt)).toBe(2 * 864e5);
    for (const bad of ['30s', '31d', 'soon']) {
      const r = await owner.run(['invite', 'create', 'ed@example.com', '--role', 'viewer', '--expires', bad]);
      expect(r.code, bad).toBe(2);
    }
  });
});

describe('single use', () => {
  it('eight processes accepting one token at once: one joins, seven get exit 6, one membership row', async () => {
    const racer = await sb.person('racer@example.com');
    const { token, id } = await invite(owner, 'racer@example.com', 'member');
    const results = await Promise.all(Array.from({ length: 8 }, () => racer.run(['invite', 'accept', token])));
    expect(results.map((r) => r.code).sort(), results.map((r) => `exit ${r.code}: ${r.stderr.trim()}`).join('\n')).toEqual([0, 6, 6, 6, 6, 6, 6, 6]);
    for (const r of results.filter((x) => x.code === 6)) expect(r.stderr).toContain('already used');
    const [rows, accepts] = withDb((db) => [
      db.prepare('SELECT count(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = ? AND u.email = ?').get(acmeId, 'racer@example.com'),
      db.prepare("SELECT count(*) AS n FROM audit_events WHERE organization_id = ? AND action = 'invite.accept' AND target = ?").get(acmeId, String(id)),
    ]);
    expect(rows).toEqual({ n: 1 });
    expect(accepts).toEqual({ n: 1 });
    expect((await racer.run(['org', 'current', '--json', 'slug,role'])).json()).toEqual({ slug: 'acme', role: 'member' });
  });

  it('a revoked, replaced or expired invitation is exit 6 saying which; an unknown token is exit 5', async () => {
    const pat = await sb.person('pat@example.com');
    const revoked = await invite(owner, 'pat@example.com', 'member');
    expect((await owner.run(['invite', 'revoke', '-y', String(revoked.id)])).code).toBe(0);
    const r1 = await pat.run(['invite', 'accept', revoked.token]);
    expect([r1.code, r1.stderr]).toEqual([6, expect.stringContaining('revoked')]);
    const twice = await owner.run(['invite', 'revoke', '-y', String(revoked.id)]);
    expect([twice.code, twice.stderr]).toEqual([6, expect.stringContaining('already revoked')]);

    const quinn = await sb.person('quinn@example.com');
    const old = await invite(owner, 'quinn@example.com', 'viewer');
    const fresh = await invite(owner, 'quinn@example.com', 'member');
    const pending = (await inviteList(owner, [])).filter((i) => i.email === 'quinn@example.com');
    expect(pending.map((i) => i.id)).toEqual([fresh.id]);
    const r2 = await quinn.run(['invite', 'accept', old.token]);
    expect([r2.code, r2.stderr]).toEqual([6, expect.stringContaining('replaced')]);
    expect((await quinn.run(['invite', 'accept', fresh.token])).code).toBe(0);

    const rita = await sb.person('rita@example.com');
    const aged = await invite(owner, 'rita@example.com', 'member');
    withDb((db) => db.prepare('UPDATE invitations SET expires_at = created_at WHERE organization_id = ? AND id = ?').run(acmeId, aged.id));
    const r3 = await rita.run(['invite', 'accept', aged.token]);
    expect([r3.code, r3.stderr]).toEqual([6, expect.stringContaining('expired')]);

    const unknown = await rita.run(['invite', 'accept', 'tkti_' + 'A'.repeat(43), '--json']);
    expect(unknown.code).toBe(5);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: 'not-found', message: 'no such invitation' });
  });
});

describe('bound to the email', () => {
  it('anyone else gets exit 4 (also via signup), writes nothing, and the invitee still gets in', async () => {
    const mallory = await sb.person('mallory@example.com');
    const { token, id } = await invite(owner, 'victor@example.com', 'member');
    const stolen = await mallory.run(['invite', 'accept', token]);
    expect(stolen.code).toBe(4);
    expect(stolen.stderr).not.toContain('victor');
    const impostor = await signup(path.join(sb.dir, 'eve'), 'eve@example.com', token);
    expect(impostor.code).toBe(4);
    expect(withDb((db) => db.prepare("SELECT count(*) AS n FROM users WHERE email = 'eve@example.com'").get())).toEqual({ n: 0 });
    expect((await inviteList(owner, [])).find((i) => i.id === id)).toMatchObject({ state: 'pending' });

    const victor = await signup(path.join(sb.dir, 'victor'), 'VICTOR@Example.com', token);
    expect(victor.code, victor.stderr).toBe(0);
  });
});

describe('no escalation', () => {
  let alan: Person;

  beforeAll(async () => {
    alan = await sb.person('alan@example.com');
    const { token } = await invite(owner, 'alan@example.com', 'admin');
    expect((await alan.run(['invite', 'accept', token])).code).toBe(0);
    withDb((db) =>
      db
        .prepare("INSERT INTO roles (organization_id, code, name, permissions, is_system, created_at) VALUES (?, 'deleter', 'Deleter', 'org:delete', false, 0), (?, 'triage', 'Triage', 'ticket:*', false, 0)")
        .run(acmeId, acmeId),
    );
  });

  it('needs member:invite and every permission of the role; only owners invite owners', async () => {
    const asOwner = await alan.run(['invite', 'create', 'x@example.com', '--role', 'owner']);
    expect([asOwner.code, asOwner.stderr]).toEqual([4, expect.stringContaining('only an owner can make someone an owner')]);
    const deleter = await alan.run(['invite', 'create', 'x@example.com', '--role', 'deleter']);
    expect([deleter.code, deleter.stderr]).toEqual([4, expect.stringContaining('org:delete')]);
    const memberOnly = await sb.person('member-only@example.com');
    const { token } = await invite(owner, 'member-only@example.com', 'member');
    expect((await memberOnly.run(['invite', 'accept', token])).code).toBe(0);
    expect((await memberOnly.run(['invite', 'create', 'x@example.com', '--role', 'viewer'])).code).toBe(4);
    expect((await memberOnly.run(['invite', 'list'])).code).toBe(4);
    expect((await owner.run(['invite', 'create', 'x@example.com', '--role', 'no-such-role'])).code).toBe(5);
  });

  it('at accept the role and the inviter are re-checked; a failure voids the invite with a clear message', async () => {
    const uma = await sb.person('uma@example.com');
    const sam = await sb.person('sam@example.com');
    const forUma = await invite(owner, 'uma@example.com', 'triage');
    const forSam = await invite(alan, 'sam@example.com', 'member');
    const forTess = await invite(alan, 'tess@example.com', 'viewer');
    const alanId = withDb((db) => (db.prepare("SELECT id FROM users WHERE email = 'alan@example.com'").get() as { id: number }).id);

    const roleDeleted = await owner.run(['role', 'delete', 'triage', '-y']);
    expect([roleDeleted.code, roleDeleted.stderr]).toEqual([0, expect.stringContaining('1 pending invitation is now void')]);
    const deleted = await uma.run(['invite', 'accept', forUma.token]);
    expect([deleted.code, deleted.stderr]).toEqual([6, expect.stringContaining('the role "triage" no longer exists in acme')]);

    withDb((db) =>
      db
        .prepare("UPDATE memberships SET role_id = (SELECT id FROM roles WHERE organization_id = ? AND code = 'viewer') WHERE organization_id = ? AND user_id = ?")
        .run(acmeId, acmeId, alanId),
    );
    const demoted = await sam.run(['invite', 'accept', forSam.token]);
    expect([demoted.code, demoted.stderr]).toEqual([6, expect.stringContaining('alan@example.com, who sent it, may no longer invite as "member"')]);

    withDb((db) => db.prepare('DELETE FROM memberships WHERE organization_id = ? AND user_id = ?').run(acmeId, alanId));
    const left = await signup(path.join(sb.dir, 'tess'), 'tess@example.com', forTess.token);
    expect([left.code, left.stderr]).toEqual([6, expect.stringContaining('is no longer a member of acme')]);

    const states = Object.fromEntries(
      (await inviteList(owner)).filter((i) => [forUma.id, forSam.id, forTess.id].includes(i.id)).map((i) => [i.email, `${i.state}:${i.reason}`]),
    );
    expect(states).toEqual({
      'uma@example.com': 'void:role-deleted',
      'sam@example.com': 'void:inviter-lacks-permission',
      'tess@example.com': 'void:inviter-left',
    });
    // Void stays void, even once the inviter is back.
    expect((await uma.run(['invite', 'accept', forUma.token])).stderr).toContain('is void');
  });
});

describe('the walls, round two (issue 11, item 7)', () => {
  it('a role deleted and re-created under the same code: the old invitation does not carry the new role', async () => {
    const ivy = await sb.person('ivy@example.com');
    expect((await owner.run(['role', 'create', 'helper', '--name', 'Helper', '--permissions', 'ticket:read'])).code).toBe(0);
    const forIvy = await invite(owner, 'ivy@example.com', 'helper');
    const del = await owner.run(['role', 'delete', 'helper', '--json', '-y']);
    expect(del.json()).toMatchObject({ deleted: 'helper', voidedInvitations: [forIvy.id] });
    expect((await owner.run(['role', 'create', 'helper', '--name', 'Helper', '--permissions', 'ticket:*,audit:read'])).code).toBe(0);
    const r = await ivy.run(['invite', 'accept', forIvy.token]);
    expect([r.code, r.stderr]).toEqual([6, expect.stringContaining('is void')]);
    expect((await inviteList(owner)).find((i) => i.id === forIvy.id)).toMatchObject({ state: 'void', reason: 'role-deleted', role: 'helper' });
    const audit = await owner.run(['audit', 'list', '--action', 'invite.void', '--json']);
    expect(audit.json()).toContainEqual(expect.objectContaining({ target: String(forIvy.id), actor: expect.objectContaining({ email: 'olivia@example.com' }) }));
  });

  it('an admin can neither revoke nor replace an owner invitation (exit 4); the owner can', async () => {
    const adele = await sb.person('adele@example.com');
    const { token } = await invite(owner, 'adele@example.com', 'admin');
    expect((await adele.run(['invite', 'accept', token])).code).toBe(0);
    const forOwner = await invite(owner, 'heir@example.com', 'owner');
    const revoke = await adele.run(['invite', 'revoke', String(forOwner.id), '-y']);
    expect([revoke.code, revoke.stderr]).toEqual([4, expect.stringContaining('only an owner can make someone an owner')]);
    const replace = await adele.run(['invite', 'create', 'heir@example.com', '--role', 'viewer']);
    expect([replace.code, replace.stderr]).toEqual([4, expect.stringContaining(`you may not replace invitation ${forOwner.id}`)]);
    expect((await inviteList(owner, [])).filter((i) => i.email === 'heir@example.com').map((i) => [i.id, i.role])).toEqual([[forOwner.id, 'owner']]);
    expect((await owner.run(['invite', 'revoke', String(forOwner.id), '-y'])).code).toBe(0);
  });

  it('a used, revoked or expired invitation tells someone else nothing: exit 4, no org, inviter, state or time', async () => {
    const wendy = await sb.person('wendy@example.com');
    const used = await invite(owner, 'wendy@example.com', 'viewer');
    expect((await wendy.run(['invite', 'accept', used.token])).code).toBe(0);
    const revoked = await invite(owner, 'rex@example.com', 'viewer');
    expect((await owner.run(['invite', 'revoke', String(revoked.id), '-y'])).code).toBe(0);
    const expired = await invite(owner, 'old@example.com', 'viewer');
    withDb((db) => db.prepare('UPDATE invitations SET expires_at = created_at WHERE organization_id = ? AND id = ?').run(acmeId, expired.id));
    const stranger = await sb.person('stranger@example.com');
    const answers = new Set<string>();
    for (const { token } of [used, revoked, expired]) {
      const r = await stranger.run(['invite', 'accept', token, '--json']);
      expect(r.code).toBe(4);
      const { error } = JSON.parse(r.stderr);
      expect(error.code).toBe('forbidden');
      for (const secret of ['acme', 'olivia', 'used', 'revoked', 'expired', 'accepted', 'viewer']) expect(r.stderr).not.toContain(secret);
      expect(r.stderr).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      answers.add(r.stderr);
    }
    expect(answers.size).toBe(1);
  });
});

describe('tokens from stdin, out of ps (issue 11, item 7)', () => {
  it('invite accept - reads the token from the first line of stdin', async () => {
    const sid = await sb.person('sid@example.com');
    const { token } = await invite(owner, 'sid@example.com', 'viewer');
    const r = await sid.run(['invite', 'accept', '-'], { input: `${token}\n` });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('Joined acme as viewer')]);
    const empty = await sid.run(['invite', 'accept', '-'], { input: '' });
    expect([empty.code, empty.stderr]).toEqual([2, expect.stringContaining('not an invitation token')]);
  });

  it.skipIf(!HAS_TMUX)('invite accept - on a terminal asks for the token with a hidden prompt: it never shows on the screen', async () => {
    const vic = await sb.person('vic@example.com');
    const { token } = await invite(owner, 'vic@example.com', 'viewer');
    const tmux = tmuxServer(sb.dir);
    try {
      const term = tmux.session('accept', shellScript(sb.dir, 'accept-tty', sb.env(vic.configDir), 'tkt invite accept -\necho "exit $?"'), 200);
      await term.shows('Invitation token:');
      term.keys(token, 'Enter');
      expect(await term.shows('exit 0')).not.toContain(token.slice(5, 25));
    } finally {
      tmux.kill();
    }
    expect((await vic.run(['org', 'list', '--json', 'slug'])).json()).toEqual([{ slug: 'acme' }]);
  });

  it('auth signup --invite - --password-stdin: the token on the first line, the password on the second', async () => {
    const { token } = await invite(owner, 'tia@example.com', 'viewer');
    const dir = path.join(sb.dir, 'tia');
    const args = ['auth', 'signup', '--invite', '-', '--email', 'tia@example.com', '--name', 'Tia', '--password-stdin'];
    const oneLine = await sb.run(args, { configDir: dir, input: `${token}\n` });
    expect([oneLine.code, oneLine.stderr]).toEqual([2, expect.stringContaining('two lines: the invitation token, then the password')]);
    const noPassword = await sb.run(args.slice(0, -1), { configDir: dir, input: `${token}\n` });
    expect([noPassword.code, noPassword.stderr]).toEqual([2, expect.stringContaining('--password-stdin')]);
    const r = await sb.run(args, { configDir: dir, input: `${token}\n${PASSWORD_LINE}` });
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('joined acme as viewer')]);
    // The second line was the password: logging in with it works.
    const login = await sb.run(['auth', 'login', '--email', 'tia@example.com', '--password-stdin'], { configDir: path.join(sb.dir, 'tia2'), input: PASSWORD_LINE });
    expect(login.code, login.stderr).toBe(0);
  });
});

describe('members, rate limit, other organizations', () => {
  it('an existing member is not invited again (exit 6)', async () => {
    const again = await owner.run(['invite', 'create', 'RACER@example.com', '--role', 'viewer']);
    expect([again.code, again.stderr]).toEqual([6, expect.stringContaining('already a member of acme')]);
  });

  it('at most 50 invitations per org in 24 hours, then exit 6 saying when the next is possible', async () => {
    expect((await owner.run(['org', 'create', 'Spam Co'])).code).toBe(0);
    expect((await owner.run(['org', 'switch', 'acme'])).code).toBe(0);
    const oldest = Date.now() - 60 * 60 * 1000;
    withDb((db) => {
      const org = db.prepare("SELECT id FROM organizations WHERE slug = 'spam-co'").get() as { id: number };
      const inviter = db.prepare("SELECT id FROM users WHERE email = 'olivia@example.com'").get() as { id: number };
      const insert = db.prepare(
        "INSERT INTO invitations (organization_id, number, email, role_id, role_code, token_hash, inviter_id, created_at, expires_at) VALUES (?, ?, ?, (SELECT id FROM roles WHERE organization_id = ? AND code = 'viewer'), 'viewer', ?, ?, ?, ?)",
      );
      // The numbers are taken first (PostgreSQL's number guard allows no other order).
      db.prepare('UPDATE organizations SET next_invite_number = 51 WHERE id = ?').run(org.id);
      for (let i = 0; i < 50; i++) insert.run(org.id, i + 1, `spam${i}@example.com`, org.id, `seed-${i}`, inviter.id, oldest + i, oldest + 864e5 * 7);
    });
    const limited = await owner.run(['--org', 'spam-co', 'invite', 'create', 'one-more@example.com', '--role', 'viewer']);
    expect(limited.code).toBe(6);
    expect(limited.stderr).toContain('50 invitations in the last 24 hours');
    expect(limited.stderr).toContain(new Date(oldest + 864e5).toISOString());
    // Acme's budget is its own.
    await invite(owner, 'one-more@example.com', 'viewer');
  });

  it("revoking another org's invitation is exit 5, exactly like a missing one; lists stay inside the org", async () => {
    const gary = await sb.person('gary@example.com');
    expect((await gary.run(['org', 'create', 'Globex'])).code).toBe(0);
    // Ids are numbered per org: Globex's next number is one Acme does not have, as after a busy past.
    const acmeNumbers = (await inviteList(owner)).map((i) => i.id as number);
    withDb((db) => db.prepare("UPDATE organizations SET next_invite_number = ? WHERE slug = 'globex'").run(Math.max(0, ...acmeNumbers) + 1));
    const theirs = await invite(gary, 'secret-hire@example.com', 'member');
    expect(acmeNumbers).not.toContain(theirs.id);
    const cross = await owner.run(['invite', 'revoke', '-y', String(theirs.id)]);
    const missing = await owner.run(['invite', 'revoke', '-y', '99999']);
    expect(cross.code).toBe(5);
    expect(cross.stderr.replace(String(theirs.id), 'N')).toBe(missing.stderr.replace('99999', 'N'));
    expect(JSON.stringify(await inviteList(owner))).not.toContain('secret-hire');
    expect((await inviteList(gary, [])).map((i) => i.id)).toEqual([theirs.id]);
  });
});

describe('tokens are never kept', () => {
  it('a dump of the store file (and its WAL) never contains a token, only hashes', async () => {
    const audit = await owner.run(['audit', 'list', '--limit', '0', '--json']);
    const list = await owner.run(['invite', 'list', '--all', '--json']);
    expect(issued.length).toBeGreaterThan(10);
    // SQLite: the store file's bytes (and its WAL's); PostgreSQL: every row of every table.
    const dump = onPostgres
      ? dumpStore(sb)
      : fs
          .readdirSync(sb.dir)
          .filter((f) => f.startsWith('tkt.db'))
          .map((f) => fs.readFileSync(path.join(sb.dir, f)).toString('latin1'))
          .join('\n');
    for (const token of issued) {
      expect(dump).not.toContain(token.slice('tkti_'.length));
      expect(audit.stdout + list.stdout).not.toContain(token);
    }
    expect(dump).toContain(crypto.createHash('sha256').update(issued[0]!).digest('hex'));
  });
});

describe('tkt demo', () => {
  it('prints two orgs with Bob in both, joined through invitations, and exits 0', async () => {
    const db = path.join(sb.dir, 'demo', 'demo.db');
    const r = await sb.run(['demo', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('acme-corp: alice@acme.test (owner), bob@acme.test (member)');
    expect(r.stdout).toContain('globex: carol@globex.test (owner), bob@acme.test (viewer)');
    const as = (name: string) => ({ configDir: path.join(sb.dir, 'demo', 'tkt-demo-config', name), env: { TKT_DB: db } });
    const bob = await sb.run(['org', 'list', '--json', 'slug,role'], as('bob'));
    expect(bob.json()).toEqual([{ slug: 'acme-corp', role: 'member' }, { slug: 'globex', role: 'viewer' }]);
    expect((await sb.run(['--org', 'globex', 'org', 'current'], as('alice'))).code).toBe(4);
    const joins = await sb.run(['--org', 'acme-corp', 'audit', 'list', '--action', 'invite', '--json', 'action,actor'], as('alice'));
    expect(joins.json().map((e: { action: string; actor: { email: string } }) => `${e.action} ${e.actor.email}`)).toEqual([
      'invite.accept bob@acme.test',
      'invite.create alice@acme.test',
    ]);
  });
});
