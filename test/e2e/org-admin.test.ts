// org rename | transfer | leave | delete through the real CLI (and, for the typed confirmation,
// through main() with a scripted prompter, since the tests have no terminal).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Prompter } from '../../src/cli/prompter.js';
import { ROOT, Sandbox, type Person } from '../support/cli.js';
import { seedMember, seedTicket, takeNumber } from '../support/members.js';
import { withStore } from '../support/raw-store.js';
import { onPostgres } from '../support/stores.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let owner: Person;
let admin: Person;
let mem: Person;

const seed = (email: string, role: string, org: string) => withStore(sb, (db) => seedMember(db, org, email, role));
const roster = (org: string) =>
  Object.fromEntries(
    withStore(sb, (db) =>
      db
        .prepare(
          `SELECT u.email, r.code FROM memberships m JOIN roles r ON r.id = m.role_id AND r.organization_id = m.organization_id
           JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id WHERE o.slug = ?`,
        )
        .all(org) as Array<{ email: string; code: string }>,
    ).map((r) => [r.email, r.code]),
  );
const savedActiveOrg = (p: Person) => JSON.parse(fs.readFileSync(path.join(p.configDir, 'config.json'), 'utf8')).stores[sb.storeLabel].activeOrgId;

beforeAll(async () => {
  [owner, admin, mem] = (await Promise.all(['owner', 'admin', 'mem'].map((n) => sb.person(`${n}@example.com`)))) as [Person, Person, Person];
  expect((await owner.run(['org', 'create', 'Acme'])).code).toBe(0);
  seed('admin@example.com', 'admin', 'acme');
  seed('mem@example.com', 'member', 'acme');
});

describe('org rename', () => {
  it('needs org:update, changes only the name, and is audited', async () => {
    expect((await mem.run(['--org', 'acme', 'org', 'rename', 'Hijacked'])).code).toBe(4);
    expect((await admin.run(['--org', 'acme', 'org', 'rename', ' '])).code).toBe(2);
    const renamed = await admin.run(['--org', 'acme', 'org', 'rename', 'Acme Corporation', '--json']);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.json()).toMatchObject({ slug: 'acme', name: 'Acme Corporation', key: 'ACME' });
    const events = await owner.run(['audit', 'list', '--action', 'org.rename', '--json', 'actor,details']);
    expect(events.json()).toEqual([{ actor: { email: 'admin@example.com', name: 'admin' }, details: { from: 'Acme', to: 'Acme Corporation' } }]);
  });
});

describe('org transfer and the last owner', () => {
  it('the last owner can neither leave, be demoted, nor remove themselves', async () => {
    const leave = await owner.run(['org', 'leave', '-y']);
    expect(leave.code).toBe(6);
    expect(leave.stderr).toContain('last owner');
    expect(leave.stderr).toContain('tkt org transfer');
    expect((await owner.run(['member', 'set-role', 'owner@example.com', 'admin'])).code).toBe(6);
    expect((await owner.run(['member', 'remove', '-y', 'owner@example.com'])).code).toBe(2);
    expect(roster('acme')['owner@example.com']).toBe('owner');
  });

  it('only an owner transfers, only to a member; the member becomes owner and the old owner admin', async () => {
    const byAdmin = await admin.run(['--org', 'acme', 'org', 'transfer', '-y', 'admin@example.com']);
    expect(byAdmin.code).toBe(4);
    expect(byAdmin.stderr).toContain('only an owner');
    const stranger = await sb.person('stranger@example.com');
    expect((await owner.run(['org', 'transfer', '-y', 'stranger@example.com'])).code).toBe(5);
    void stranger;
    const done = await owner.run(['org', 'transfer', '-y', 'mem@example.com', '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json()).toEqual({ org: 'acme', owner: 'mem@example.com', yourRole: 'admin' });
    expect(roster('acme')).toEqual({ 'owner@example.com': 'admin', 'admin@example.com': 'admin', 'mem@example.com': 'owner' });
    const events = await mem.run(['--org', 'acme', 'audit', 'list', '--action', 'org.transfer', '--json', 'actor,target']);
    expect(events.json()).toEqual([{ actor: { email: 'owner@example.com', name: 'owner' }, target: 'mem@example.com' }]);
    // The new owner hands it back; several owners are allowed.
    expect((await mem.run(['--org', 'acme', 'member', 'set-role', 'owner@example.com', 'owner'])).code).toBe(0);
    expect((await mem.run(['--org', 'acme', 'org', 'leave', '-y'])).code).toBe(0);
  });
});

describe('org leave', () => {
  it('ends the membership, unassigns their tickets, forgets the active org, and is audited', async () => {
    const leaver = await sb.person('leaver@example.com');
    seed('leaver@example.com', 'member', 'acme');
    expect((await leaver.run(['org', 'switch', 'acme'])).code).toBe(0);
    const key = withStore(sb, (db) => seedTicket(db, 'acme', 'mine', 'owner@example.com', 'leaver@example.com'));
    const left = await leaver.run(['org', 'leave', '-y', '--json']);
    expect(left.code, left.stderr).toBe(0);
    expect(left.json()).toEqual({ left: 'acme', unassignedTickets: [key] });
    expect(savedActiveOrg(leaver)).toBeUndefined();
    const after = await leaver.run(['org', 'current']);
    expect(after.code).toBe(2); // no organization selected, rather than a stale one
    expect(roster('acme')['leaver@example.com']).toBeUndefined();
    const events = await owner.run(['--org', 'acme', 'audit', 'list', '--action', 'member.leave', '--json', 'actor,details']);
    expect(events.json()[0]).toEqual({ actor: { email: 'leaver@example.com', name: 'leaver' }, details: { role: 'member', unassignedTickets: [key] } });
  });
});

const TENANT_TABLES = ['roles', 'memberships', 'invitations', 'tickets', 'labels', 'ticket_labels', 'comments', 'audit_events'];

const orgIdOf = (slug: string) =>
  withStore(sb, (db) => (db.prepare('SELECT id FROM organizations WHERE slug = ?').get(slug) as { id: number }).id);

/** Every row of every table that does not belong to org `id`: what deleting it must not touch. */
function rowsOutside(id: number): Record<string, unknown[]> {
  return withStore(sb, (db) => {
    const out: Record<string, unknown[]> = {};
    // SQLite's rowid, or on PostgreSQL the whole row as text: a stable order either way.
    const order = (t: string) => (onPostgres ? `${t}::text` : 'rowid');
    for (const t of TENANT_TABLES) out[t] = db.prepare(`SELECT * FROM ${t} WHERE organization_id <> ? ORDER BY ${order(t)}`).all(id);
    out.organizations = db.prepare('SELECT * FROM organizations WHERE id <> ? ORDER BY id').all(id);
    out.users = db.prepare('SELECT * FROM users ORDER BY id').all();
    out.credentials = db.prepare('SELECT * FROM credentials ORDER BY id').all();
    // The search index: SQLite's FTS table keys rows by an org term (`o<id>`); PostgreSQL's by the id.
    out.ticket_search = onPostgres
      ? db.prepare('SELECT * FROM ticket_search WHERE organization_id <> ? ORDER BY ticket_search::text').all(id)
      : db.prepare('SELECT rowid, * FROM ticket_search WHERE organization_id <> ? ORDER BY rowid').all(`o${id}`);
    return out;
  });
}

/** How many rows, in every table, belong to org `id`. */
function rowsOf(id: number): number {
  return withStore(sb, (db) => {
    let n = (db.prepare('SELECT count(*) AS n FROM organizations WHERE id = ?').get(id) as { n: number }).n;
    for (const t of TENANT_TABLES) n += (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE organization_id = ?`).get(id) as { n: number }).n;
    return n + (db.prepare('SELECT count(*) AS n FROM ticket_search WHERE organization_id = ?').get(onPostgres ? id : `o${id}`) as { n: number }).n;
  });
}

describe('org delete', () => {
  let doomed: Person;
  let doomedId: number;

  beforeAll(async () => {
    doomed = await sb.person('doomed@example.com');
    expect((await doomed.run(['org', 'create', 'Doomed'])).code).toBe(0);
    doomedId = orgIdOf('doomed');
    seed('admin@example.com', 'admin', 'doomed');
    seed('mem@example.com', 'member', 'doomed');
    expect((await mem.run(['org', 'switch', 'doomed'])).code).toBe(0);
    withStore(sb, (db) => {
      seedTicket(db, 'doomed', 'a ticket', 'doomed@example.com', 'mem@example.com');
      seedTicket(db, 'acme', 'kept', 'owner@example.com', 'admin@example.com');
      const org = (db.prepare("SELECT id FROM organizations WHERE slug = 'doomed'").get() as { id: number }).id;
      const ticket = (db.prepare('SELECT id FROM tickets WHERE organization_id = ?').get(org) as { id: number }).id;
      const user = (db.prepare("SELECT id FROM users WHERE email = 'mem@example.com'").get() as { id: number }).id;
      db.prepare('INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, 1)').run(org, takeNumber(db, org, 'next_comment_number'), ticket, user, 'hello');
      const label = (db.prepare("INSERT INTO labels (organization_id, name) VALUES (?, 'bug') RETURNING id").get(org) as { id: number }).id;
      db.prepare('INSERT INTO ticket_labels (organization_id, ticket_id, label_id) VALUES (?, ?, ?)').run(org, ticket, label);
      db.prepare("INSERT INTO invitations (organization_id, number, email, role_code, token_hash, inviter_id, created_at, expires_at) VALUES (?, ?, 'x@example.com', 'member', 'h', ?, 1, 2)").run(org, takeNumber(db, org, 'next_invite_number'), user);
    });
  });

  it('is owner only (org:delete), and an org you are not in looks like an unknown one', async () => {
    const byAdmin = await admin.run(['org', 'delete', 'doomed', '-y']);
    expect(byAdmin.code).toBe(4);
    expect(byAdmin.stderr).toContain('org:delete');
    const notMine = await owner.run(['org', 'delete', 'doomed', '-y']);
    const unknown = await owner.run(['org', 'delete', 'no-such-org', '-y']);
    expect([notMine.code, unknown.code]).toEqual([4, 4]);
    expect(notMine.stderr.replace('doomed', 'X')).toBe(unknown.stderr.replace('no-such-org', 'X'));
  });

  it('without -y and without a terminal it is a usage error naming -y, and nothing is deleted', async () => {
    const r = await doomed.run(['org', 'delete', 'doomed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-y');
    expect(rowsOf(doomedId)).toBeGreaterThan(10);
  });

  it('at a prompt, a mistyped slug deletes nothing; the right one deletes (main() with a scripted prompter)', async () => {
    const answers = ['doomd'];
    const prompter: Prompter = {
      interactive: true,
      input: async () => answers.shift() ?? '',
      password: async () => '',
      select: async () => '',
      confirm: async () => false,
    };
    const errors: string[] = [];
    const run = () =>
      main({
        argv: ['org', 'delete', 'doomed'],
        env: sb.env(doomed.configDir) as NodeJS.ProcessEnv,
        cwd: ROOT,
        prompter,
        io: { stdout: { write: () => true }, stderr: { write: (t: string) => errors.push(t) }, stdin: process.stdin },
      });
    expect(await run()).toBe(2);
    expect(errors.join('')).toContain('nothing was deleted');
    expect(rowsOf(doomedId)).toBeGreaterThan(10);
    const before = rowsOutside(doomedId);
    answers.push('doomed');
    expect(await run()).toBe(0);
    expect(rowsOf(doomedId)).toBe(0);
    expect(rowsOutside(doomedId)).toEqual(before);
    expect(before.tickets!.length).toBeGreaterThan(0);
  });

  it('leaves the store consistent, forgets it as the active org, and former members get a clear exit 4', async () => {
    const check = await owner.run(['db', 'check', '--json']);
    expect(check.code, check.stdout).toBe(0);
    expect(savedActiveOrg(doomed)).toBeUndefined();
    const stale = await mem.run(['org', 'current']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain('no longer available');
    expect((await mem.run(['org', 'list', '--json'])).json()).toEqual([]); // mem had left acme earlier
  });

  it('takes the org from its argument, not the active one, with -y under --no-input', async () => {
    const other = await sb.person('other@example.com');
    await other.run(['org', 'create', 'Keep Me']);
    await other.run(['org', 'create', 'Drop Me']);
    await other.run(['org', 'switch', 'keep-me']);
    const r = await other.run(['--no-input', '--org', 'keep-me', 'org', 'delete', 'drop-me', '-y', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({ deleted: 'drop-me' });
    expect((await other.run(['org', 'list', '-q'])).stdout).toBe('keep-me\n');
    expect(savedActiveOrg(other)).toBeDefined();
  });
});

