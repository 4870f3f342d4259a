// A whole organization in one archive: export → import → (members accept) → export gives the same
// content, with the slug and ticket key renamed, the archive's ids and times kept, and the
// import's own events (org.import, invitations) appended. Passwords and sessions never leave; a
// damaged archive imports nothing; an import that fails half-way leaves no trace.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';
import { parseStoreLocator } from '../../src/store/locator.js';
import { openStore } from '../../src/store/open.js';
import { SYSTEM_ROLES } from '../../src/domain/permissions.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme
let bob: Person; // member
let vera: Person; // viewer

const acme = (p: Person, args: string[], input?: string) => p.run(['--org', 'acme', ...args], input !== undefined ? { input } : {});
const records = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
const orgSlugs = () => withStore(sb, (db) => (db.prepare('SELECT slug FROM organizations ORDER BY slug').all() as Array<{ slug: string }>).map((r) => r.slug));

beforeAll(async () => {
  [alice, bob, vera] = (await Promise.all(['alice', 'bob', 'vera'].map((n) => sb.person(`${n}@example.com`, n.toUpperCase())))) as [Person, Person, Person];
  expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
  withStore(sb, (db) => {
    seedMember(db, 'acme', 'bob@example.com', 'member');
    seedMember(db, 'acme', 'vera@example.com', 'viewer');
  });
  const ok = async (p: Person, args: string[], input?: string) => {
    const r = await acme(p, args, input);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  await ok(alice, ['role', 'create', 'lead', '--name', 'Lead', '--permissions', 'ticket:read,ticket:comment,member:read']);
  // A workflow of its own: an added status new tickets get, another with a rule, a ticket in it.
  await ok(alice, ['workflow', 'status', 'add', 'triage', '--category', 'unstarted', '--name', 'Triage', '--default']);
  await ok(alice, ['workflow', 'status', 'add', 'in_review', '--category', 'started', '--name', 'In review']);
  await ok(alice, ['workflow', 'transition', 'allow', 'in_review', 'done']);
  await ok(alice, ['ticket', 'create', '--title', 'Login fails', '--body', 'Line one\n\n  "quoted", ünïcödé 🎉', '--label', 'bug', '--label', 'ui', '--priority', 'high', '--assignee', '@me']);
  await ok(bob, ['ticket', 'create', '--title', 'Second', '--body-file', '-'], 'from stdin\n');
  await ok(alice, ['ticket', 'create', '--title', 'Third']);
  await ok(bob, ['ticket', 'comment', '1', '--body', 'me too']);
  await ok(alice, ['ticket', 'comment', '1', '--body', 'fixed?\nmaybe']);
  await ok(alice, ['ticket', 'move', '2', 'done']);
  await ok(alice, ['ticket', 'move', '1', 'in_review']);
  await ok(alice, ['ticket', 'delete', '3', '-y']);
  const bin = path.join(sb.dir, 'data.bin');
  fs.writeFileSync(bin, Buffer.from(Array.from({ length: 600 * 1024 }, (_, i) => (i * 7) % 256)));
  await ok(alice, ['attachment', 'add', '1', bin]);
  await ok(bob, ['attachment', 'add', '2', '-', '--name', 'log.txt'], 'log line\n');
  await ok(bob, ['attachment', 'add', '1', '-', '--name', 'same-log.txt'], 'log line\n'); // same content: stored once
});

describe('org export and import', () => {
  it('round trip: export → import → accept → export holds the same content', async () => {
    const first = path.join(sb.dir, 'acme.tkt');
    const exported = await acme(alice, ['org', 'export', '--out', first, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json()).toMatchObject({ org: 'acme', tickets: 2, attachments: 3 });
    const a = records(first);
    expect(a[0]).toMatchObject({ type: 'header', format: 2, org: { slug: 'acme', key: 'ACME' } });
    expect(a.filter((r) => r.type === 'workflow')).toEqual([
      {
        type: 'workflow',
        statuses: [
          { code: 'open', name: 'Open', category: 'unstarted', isDefault: false },
          { code: 'triage', name: 'Triage', category: 'unstarted', isDefault: true },
          { code: 'in_progress', name: 'In progress', category: 'started', isDefault: false },
          { code: 'in_review', name: 'In review', category: 'started', isDefault: false },
          { code: 'done', name: 'Done', category: 'completed', isDefault: false },
          { code: 'canceled', name: 'Canceled', category: 'canceled', isDefault: false },
        ],
        transitions: [{ from: 'in_review', to: 'done', allowed: true }],
      },
    ]);
    expect(a.filter((r) => r.type === 'ticket').map((t) => [t.number, t.status, t.statusCategory])).toEqual([
      [1, 'in_review', 'started'],
      [2, 'done', 'completed'],
    ]);
    expect(a.at(-1)).toEqual({ type: 'end', records: a.length - 1 });
    expect(a.filter((r) => r.type === 'content')).toHaveLength(2);
    // Emails and names of members only: no password hash, no session or token.
    const secrets = withStore(sb, (db) => [
      ...(db.prepare('SELECT password_hash AS s FROM users').all() as Array<{ s: string }>),
      ...(db.prepare('SELECT token_hash AS s FROM credentials').all() as Array<{ s: string }>),
    ]);
    const text = fs.readFileSync(first, 'utf8');
    for (const { s } of secrets) expect(text).not.toContain(s);
    expect(a.filter((r) => r.type === 'member').map((m) => Object.keys(m).sort().join())).toEqual(Array(3).fill('email,name,role,type'));

    const imported = await alice.run(['org', 'import', first, '--slug', 'acme-copy', '--key', 'COPY', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const invites = imported.json<Array<{ email: string; role: string; token: string }>>();
    expect(invites.map((i) => [i.email, i.role])).toEqual([
      ['bob@example.com', 'member'],
      ['vera@example.com', 'viewer'],
    ]);
    expect(imported.stderr).toContain('invited back');
    for (const [p, i] of [[bob, invites[0]!], [vera, invites[1]!]] as const) {
      const accepted = await p.run(['invite', 'accept', i.token]);
      expect(accepted.code, accepted.stderr).toBe(0);
    }
    // The copy works like any org: numbering goes on after the archived tickets.
    const view = (await alice.run(['--org', 'acme-copy', 'ticket', 'view', 'COPY-1', '--json'])).json();
    expect(view).toMatchObject({ title: 'Login fails', labels: ['bug', 'ui'], assignee: { email: 'alice@example.com' } });
    expect(view.comments.map((c: { author: { email: string }; body: string }) => [c.author.email, c.body])).toEqual([
      ['bob@example.com', 'me too'],
      ['alice@example.com', 'fixed?\nmaybe'],
    ]);
    const got = await alice.run(['--org', 'acme-copy', 'attachment', 'get', '1', 'data.bin', '-o', path.join(sb.dir, 'copy.bin')]);
    expect(got.code, got.stderr).toBe(0);
    expect(fs.readFileSync(path.join(sb.dir, 'copy.bin')).equals(fs.readFileSync(path.join(sb.dir, 'data.bin')))).toBe(true);

    const second = path.join(sb.dir, 'acme-copy.tkt');
    expect((await alice.run(['--org', 'acme-copy', 'org', 'export', '--out', second])).code).toBe(0);
    const b = records(second);
    const renamed = (r: unknown) => JSON.parse(JSON.stringify(r).replaceAll('COPY-', 'ACME-').replaceAll('"acme-copy"', '"acme"').replaceAll('"COPY"', '"ACME"'));
    const part = (rs: any[], type: string) => rs.filter((r) => r.type === type).map(renamed);
    for (const type of ['role', 'member', 'workflow', 'ticket', 'content', 'chunk', 'attachment']) expect(part(b, type), type).toEqual(part(a, type));
    // The copy's workflow is the archive's, not the defaults: its rule binds, new tickets get triage.
    const copy = (args: string[]) => alice.run(['--org', 'acme-copy', ...args]);
    expect((await copy(['ticket', 'move', 'COPY-1', 'open'])).code).toBe(6);
    expect((await copy(['ticket', 'create', '--title', 'new', '--json'])).json()).toMatchObject({ status: 'triage' });
    const before = part(a, 'event');
    const after = part(b, 'event');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e: { action: string }) => e.action)).toEqual(['org.import', 'invite.create', 'invite.create', 'invite.accept', 'invite.accept']);
    expect((await sb.run(['db', 'check'])).code).toBe(0);
  });

  it('the slug and key must be free (exit 6); import needs a login; export needs org:update', async () => {
    const file = path.join(sb.dir, 'acme.tkt');
    expect((await alice.run(['org', 'import', file])).code).toBe(6); // acme exists
    expect((await alice.run(['org', 'import', file, '--slug', 'other', '--key', 'COPY'])).code).toBe(6);
    expect((await sb.run(['org', 'import', file, '--slug', 'x1', '--key', 'XONE'])).code).toBe(3);
    expect((await acme(bob, ['org', 'export', '--out', path.join(sb.dir, 'bob.tkt')])).code).toBe(4);
    expect((await acme(alice, ['org', 'export', '--out', file])).code).toBe(6); // exists, no --clobber
    expect(orgSlugs()).toEqual(['acme', 'acme-copy']);
  });

  it('a damaged archive imports nothing (exit 2), and names the line', async () => {
    const good = fs.readFileSync(path.join(sb.dir, 'acme.tkt'), 'utf8').trimEnd().split('\n');
    const cases: Array<[string, string[]]> = [
      ['cut short', good.slice(0, -3)],
      ['a changed chunk', good.map((l) => (l.includes('"type":"chunk"') ? l.replace(/"data":"[A-Za-z0-9+/]{8}/, '"data":"AAAAAAAA') : l))],
      ['a newer format', good.map((l, i) => (i === 0 ? l.replace('"format":2', '"format":99') : l))],
      ['a rule naming a status the workflow lacks', good.map((l) => l.replace('"to":"done"', '"to":"shipped"'))],
      ['two default statuses', good.map((l) => l.replace('"isDefault":false', '"isDefault":true'))],
      ['no workflow record', good.filter((l) => !l.includes('"type":"workflow"'))],
      ['not JSON', [...good.slice(0, 5), '{oops', ...good.slice(5)]],
      ['an unknown status', good.map((l) => l.replace('"status":"done"', '"status":"weird"'))],
    ];
    for (const [what, lines] of cases) {
      const file = path.join(sb.dir, 'bad.tkt');
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      const r = await alice.run(['org', 'import', file, '--slug', 'acme-bad', '--key', 'BAD']);
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr, what).toMatch(/line \d+|format 99/);
    }
    expect(orgSlugs()).toEqual(['acme', 'acme-copy']);
  });

  it('a format 1 archive (before workflows) imports with the default four statuses; a status they lack is exit 2 naming it', async () => {
    const good = fs.readFileSync(path.join(sb.dir, 'acme.tkt'), 'utf8').trimEnd().split('\n');
    const v1 = (lines: string[]) => {
      const kept = lines.filter((l) => !l.includes('"type":"workflow"')).map((l) => l.replace('"format":2', '"format":1').replace(/,"statusCategory":"[a-z]+"/, ''));
      kept[kept.length - 1] = JSON.stringify({ type: 'end', records: kept.length - 1 });
      const file = path.join(sb.dir, 'v1.tkt');
      fs.writeFileSync(file, `${kept.join('\n')}\n`);
      return file;
    };
    const lacking = await alice.run(['org', 'import', v1(good), '--slug', 'acme-v1', '--key', 'VONE']);
    expect(lacking.code, lacking.stderr).toBe(2);
    expect(lacking.stderr).toMatch(/line \d+.*ticket 1 has status in_review/);
    const file = v1(good.map((l) => l.replace('"status":"in_review"', '"status":"in_progress"')));
    const r = await alice.run(['org', 'import', file, '--slug', 'acme-v1', '--key', 'VONE']);
    expect(r.code, r.stderr).toBe(0);
    const list = (await alice.run(['--org', 'acme-v1', 'workflow', 'show', '--json'])).json<Array<{ code: string; default: boolean; movesTo: string[] }>>();
    expect(list.map((x) => [x.code, x.default, x.movesTo.length])).toEqual([
      ['open', true, 3],
      ['in_progress', false, 3],
      ['done', false, 3],
      ['canceled', false, 3],
    ]);
    expect((await alice.run(['--org', 'acme-v1', 'ticket', 'view', 'VONE-1', '--json'])).json()).toMatchObject({ status: 'in_progress' });
    expect(orgSlugs()).toEqual(['acme', 'acme-copy', 'acme-v1']);
  });

  it('an import that fails half-way through its transaction leaves no trace', async () => {
    const header = records(path.join(sb.dir, 'acme.tkt'))[0];
    // Either store, as alice (on PostgreSQL the database learns who asks from her session).
    const store = await openStore(parseStoreLocator(sb.db, sb.dir));
    const config = JSON.parse(fs.readFileSync(path.join(alice.configDir, 'config.json'), 'utf8')) as { stores: Record<string, { session: string }> };
    store.presentToken?.(Object.values(config.stores)[0]!.session);
    const aliceId = withStore(sb, (db) => (db.prepare("SELECT id FROM users WHERE email = 'alice@example.com'").get() as { id: number }).id);
    try {
      await expect(
        store.archive.importOrg(
          {
            org: { slug: 'half', name: 'Half', ticketKey: 'HALF' },
            importerId: aliceId,
            systemRoles: SYSTEM_ROLES.map((r) => ({ code: r.code, name: r.name, permissions: [...r.permissions] })),
            ownerRole: 'owner',
            workflow: { statuses: [{ code: 'open', name: 'Open', category: 'unstarted', isDefault: false }], transitions: [] },
            invites: [],
            audit: () => [],
          },
          function* () {
            yield header;
            yield { type: 'ticket', number: 1, title: 't', body: '', status: 'open', priority: 'none', assignee: null, reporter: { email: 'x@y.z', name: 'X' }, labels: ['l'], createdAt: 1, updatedAt: 1, comments: [] };
            throw new Error('the archive broke off');
          },
        ),
      ).rejects.toThrow('broke off');
    } finally {
      await store.close();
    }
    expect(orgSlugs()).toEqual(['acme', 'acme-copy', 'acme-v1']);
    expect(withStore(sb, (db) => (db.prepare("SELECT count(*) AS n FROM labels WHERE name = 'l'").get() as { n: number }).n)).toBe(0);
  });
});
