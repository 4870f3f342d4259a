// Attachments through the real CLI: add, list, get, delete; content stored once per org and never
// shared between orgs; limits and quota (exit 6 saying what is left); permissions; another org's,
// a deleted and a never-existing attachment looking the same; names that must not escape the
// target folder; the audit trail and the ticket's history; peak memory with a 25 MiB file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runNode, Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme
let bob: Person; // member of acme
let vera: Person; // viewer in acme
let carol: Person; // owner of globex

const acme = (p: Person, args: string[], options: { input?: string | Buffer; cwd?: string } = {}) => p.run(['--org', 'acme', ...args], options);
const globex = (p: Person, args: string[], options: { input?: string | Buffer; cwd?: string } = {}) => p.run(['--org', 'globex', ...args], options);
const count = (sql: string, ...params: unknown[]) => withStore(sb, (db) => (db.prepare(sql).get(...params) as { n: number }).n);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function file(name: string, content: Buffer | string): string {
  const p = path.join(sb.dir, 'files', name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

function folder(name: string): string {
  const dir = path.join(sb.dir, 'out', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// A minimal valid PNG (1×1), told from its magic bytes whatever it is called.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  [alice, bob, vera, carol] = (await Promise.all(
    ['alice', 'bob', 'vera', 'carol'].map((n) => sb.person(`${n}@example.com`, n[0]!.toUpperCase() + n.slice(1))),
  )) as [Person, Person, Person, Person];
  expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
  expect((await carol.run(['org', 'create', 'Globex'])).code).toBe(0);
  withStore(sb, (db) => {
    seedMember(db, 'acme', 'bob@example.com', 'member');
    seedMember(db, 'acme', 'vera@example.com', 'viewer');
  });
  for (const t of ['One', 'Two', 'Three']) expect((await acme(alice, ['ticket', 'create', '--title', t])).code).toBe(0);
  expect((await globex(carol, ['ticket', 'create', '--title', 'G1'])).code).toBe(0);
});

describe('add, list, get, delete', () => {
  it('adds files with their type from the content, lists them, and -q prints ids', async () => {
    const log = file('crash.log', 'boom\nat line 3\n');
    const pic = file('screenshot.txt', PNG); // a PNG under a misleading name
    const added = await acme(alice, ['attachment', 'add', 'ACME-1', log, pic, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const items = added.json<Array<Record<string, unknown>>>();
    expect(items.map((a) => [a.id, a.name, a.size, a.type, a.sha256])).toEqual([
      [1, 'crash.log', 15, 'text/plain', sha('boom\nat line 3\n')],
      [2, 'screenshot.txt', PNG.length, 'image/png', sha(PNG)],
    ]);
    expect(Object.keys(items[0]!)).toEqual(['id', 'ticket', 'name', 'size', 'type', 'sha256', 'uploader', 'createdAt']);

    const quiet = await acme(bob, ['attachment', 'add', '2', '-', '--name', 'notes.md', '-q'], { input: '# notes\n' });
    expect([quiet.code, quiet.stdout]).toEqual([0, '3\n']);

    const listed = await acme(vera, ['attachment', 'list', 'ACME-1']);
    expect(listed.code).toBe(0);
    expect(listed.lines().map((l) => l.split('\t').slice(0, 5))).toEqual([
      ['1', 'crash.log', '15 B', 'text/plain', 'alice@example.com'],
      ['2', 'screenshot.txt', `${PNG.length} B`, 'image/png', 'alice@example.com'],
    ]);
    expect((await acme(vera, ['attachment', 'list', '3', '--json'])).json()).toEqual([]);
    expect((await acme(vera, ['attachment', 'list', '1', '-q'])).stdout).toBe('1\n2\n');
  });

  it('gets by name or id: into the current folder, -o PATH exactly there, -o - to stdout', async () => {
    const dir = folder('get');
    const byName = await acme(vera, ['attachment', 'get', 'ACME-1', 'crash.log'], { cwd: dir });
    expect(byName.code, byName.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'crash.log'), 'utf8')).toBe('boom\nat line 3\n');
    const exact = path.join(dir, 'sub-picture.png');
    expect((await acme(vera, ['attachment', 'get', '1', '#2', '-o', exact])).code).toBe(0);
    expect(fs.readFileSync(exact).equals(PNG)).toBe(true);
    const out = await acme(vera, ['attachment', 'get', '2', 'notes.md', '-o', '-']);
    expect([out.code, out.stdout]).toEqual([0, '# notes\n']);
    expect(fs.readdirSync(dir).sort()).toEqual(['crash.log', 'sub-picture.png']); // no partial files left
  });

  it('refuses to overwrite without --clobber (exit 6, file unchanged); --clobber overwrites', async () => {
    const dir = folder('clobber');
    fs.writeFileSync(path.join(dir, 'crash.log'), 'mine');
    const refused = await acme(vera, ['attachment', 'get', '1', 'crash.log'], { cwd: dir });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('--clobber');
    expect(fs.readFileSync(path.join(dir, 'crash.log'), 'utf8')).toBe('mine');
    expect((await acme(vera, ['attachment', 'get', '1', 'crash.log', '-o', path.join(dir, 'crash.log')])).code).toBe(6);
    expect((await acme(vera, ['attachment', 'get', '1', 'crash.log', '--clobber'], { cwd: dir })).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'crash.log'), 'utf8')).toBe('boom\nat line 3\n');
    expect(fs.readdirSync(dir)).toEqual(['crash.log']);
  });

  it('the same file twice in one org is stored once; the same file in two orgs is stored twice', async () => {
    const same = file('same.bin', Buffer.alloc(300 * 1024, 7)); // two chunks
    expect((await acme(alice, ['attachment', 'add', '1', same])).code).toBe(0);
    expect((await acme(bob, ['attachment', 'add', '3', same])).code).toBe(0);
    expect((await globex(carol, ['attachment', 'add', '1', same])).code).toBe(0);
    const digest = sha(fs.readFileSync(same));
    expect(count('SELECT count(*) AS n FROM attachments WHERE sha256 = ?', digest)).toBe(3);
    expect(count('SELECT count(*) AS n FROM attachment_blobs WHERE sha256 = ?', digest)).toBe(2);
    expect(count('SELECT count(DISTINCT organization_id) AS n FROM attachment_blobs WHERE sha256 = ?', digest)).toBe(2);
    expect(count('SELECT count(*) AS n FROM attachment_chunks WHERE sha256 = ?', digest)).toBe(4);
    // Every attachment points at its own org's blob (the composite key allows nothing else).
    expect(
      count(`SELECT count(*) AS n FROM attachments a WHERE NOT EXISTS
        (SELECT 1 FROM attachment_blobs b WHERE b.organization_id = a.organization_id AND b.sha256 = a.sha256)`),
    ).toBe(0);
    // Globex's copy survives acme deleting both of its own.
    const ids = (await acme(alice, ['attachment', 'list', '1', '--json'])).json<Array<{ id: number; name: string }>>().filter((a) => a.name === 'same.bin');
    expect((await acme(alice, ['-y', 'attachment', 'delete', '1', String(ids[0]!.id)])).code).toBe(0);
    expect(count('SELECT count(*) AS n FROM attachment_blobs WHERE sha256 = ?', digest)).toBe(2); // still used on ACME-3
    expect((await acme(bob, ['-y', 'attachment', 'delete', '3', 'same.bin'])).code).toBe(0);
    expect(count('SELECT count(*) AS n FROM attachment_blobs WHERE sha256 = ?', digest)).toBe(1);
    const back = await globex(carol, ['attachment', 'get', '1', 'same.bin', '-o', '-']);
    expect([back.code, back.stdout === '\x07'.repeat(300 * 1024)]).toEqual([0, true]);
  });
});

describe('isolation and permissions', () => {
  it("another org's ticket or attachment, a deleted one and one that never existed look the same (exit 5)", async () => {
    const gid = (await globex(carol, ['attachment', 'list', '1', '--json'])).json<Array<{ id: number }>>()[0]!.id;
    const deleted = await acme(alice, ['attachment', 'add', '1', file('gone.txt', 'gone')]);
    expect(deleted.code).toBe(0);
    expect((await acme(alice, ['-y', 'attachment', 'delete', '1', 'gone.txt'])).code).toBe(0);
    const missing = async (args: string[]) => {
      const r = await acme(alice, args);
      expect(r.code, r.stderr).toBe(5);
      return r.stderr.replace(/"[^"]*"|#\d+/g, 'X');
    };
    const shapes = new Set([
      await missing(['attachment', 'get', '1', 'gone.txt']),
      await missing(['attachment', 'get', '1', 'never.txt']),
      await missing(['attachment', 'get', '1', String(gid + 1000)]),
      await missing(['-y', 'attachment', 'delete', '1', 'gone.txt']),
    ]);
    expect(shapes.size).toBe(1);
    // Globex's attachment id, asked for on an acme ticket: not found, like any id.
    // Acme's attachment asked for from globex (by its ticket key, name and id): not there.
    for (const args of [['get', 'ACME-1', 'crash.log', '-o', '-'], ['get', 'ACME-1', '1', '-o', '-'], ['list', 'ACME-1'], ['delete', '-y', 'ACME-1', '1']]) {
      const theirs = await globex(carol, ['attachment', ...args]);
      expect([theirs.code, theirs.stdout], args.join(' ')).toEqual([5, '']);
    }
    expect((await globex(carol, ['attachment', 'get', '1', 'crash.log'])).code).toBe(5);
    // Globex's ticket from acme: the same answer as a ticket that never existed.
    const foreign = await acme(alice, ['attachment', 'list', 'GLOBEX-1']);
    const never = await acme(alice, ['attachment', 'list', 'ACME-99']);
    expect([foreign.code, never.code]).toEqual([5, 5]);
    expect(foreign.stderr.replace('GLOBEX-1', 'K')).toBe(never.stderr.replace('ACME-99', 'K'));
    expect((await acme(carol, ['attachment', 'list', '1'])).code).toBe(4); // not a member
  });

  it('add needs ticket:comment, get ticket:read; delete ticket:delete or being the uploader', async () => {
    const viewerAdd = await acme(vera, ['attachment', 'add', '1', file('v.txt', 'v')]);
    expect(viewerAdd.code).toBe(4);
    expect(viewerAdd.stderr).toContain('ticket:comment');
    expect((await acme(bob, ['attachment', 'add', '1', file('bob.txt', 'bob')])).code).toBe(0);
    const notHis = await acme(bob, ['-y', 'attachment', 'delete', '1', 'crash.log']);
    expect(notHis.code).toBe(4);
    expect(notHis.stderr).toContain('ticket:delete');
    expect((await acme(vera, ['-y', 'attachment', 'delete', '1', 'bob.txt'])).code).toBe(4);
    expect((await acme(bob, ['-y', 'attachment', 'delete', '1', 'bob.txt', '--json'])).json()).toMatchObject({ name: 'bob.txt', deleted: true });
    expect((await acme(bob, ['attachment', 'add', '1', file('bob2.txt', 'bob2')])).code).toBe(0);
    expect((await acme(alice, ['-y', 'attachment', 'delete', '1', 'bob2.txt'])).code).toBe(0);
    expect((await acme(alice, ['attachment', 'delete', '1', 'crash.log'])).code).toBe(2); // no -y, no terminal
  });

  it('every add and delete is audited and shows in the ticket history', async () => {
    const audit = (await acme(alice, ['audit', 'list', '--action', 'attachment', '--json'])).json<Array<{ action: string; target: string }>>();
    expect(audit.filter((e) => e.action === 'attachment.add').length).toBeGreaterThanOrEqual(6);
    expect(audit.filter((e) => e.action === 'attachment.delete').length).toBeGreaterThanOrEqual(4);
    const view = (await acme(vera, ['ticket', 'view', '1', '--json'])).json();
    expect(view.history.map((h: { action: string }) => h.action)).toContain('attachment.delete');
    expect(view.attachments.map((a: { name: string }) => a.name)).toEqual(['crash.log', 'screenshot.txt']);
    const text = await acme(vera, ['ticket', 'view', '1']);
    expect(text.stdout).toContain('attached crash.log');
  });
});

describe('limits', () => {
  it('a file past 25 MiB is exit 6 saying how much too much; nothing is written', async () => {
    const big = file('big.bin', Buffer.alloc(25 * 1024 * 1024 + 1));
    const before = count('SELECT count(*) AS n FROM attachment_chunks');
    const r = await acme(alice, ['attachment', 'add', '1', big]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('25 MiB');
    expect(r.stderr).toContain('1 B too much');
    const piped = await acme(alice, ['attachment', 'add', '1', '-', '--name', 'big'], { input: fs.readFileSync(big) });
    expect(piped.code).toBe(6);
    expect(count('SELECT count(*) AS n FROM attachment_chunks')).toBe(before);
    fs.rmSync(big);
  });

  it('past the org quota is exit 6 saying what is left; only org:update sets it', async () => {
    expect((await acme(bob, ['org', 'set', '--attachment-quota', '2MiB'])).code).toBe(4);
    const set = await acme(alice, ['org', 'set', '--attachment-quota', '1MiB', '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.json()).toMatchObject({ org: 'acme', attachmentQuota: 1024 * 1024 });
    const used = count("SELECT sum(size) AS n FROM attachment_blobs WHERE organization_id = (SELECT id FROM organizations WHERE slug = 'acme')");
    const tooBig = file('quota.bin', Buffer.alloc(1024 * 1024 - used + 1, 1));
    const r = await acme(alice, ['attachment', 'add', '1', tooBig]);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/left of 1 MiB/);
    const fits = file('fits.bin', Buffer.alloc(1024 * 1024 - used, 2));
    expect((await acme(alice, ['attachment', 'add', '1', fits])).code).toBe(0);
    // Content already stored costs nothing more.
    expect((await acme(alice, ['attachment', 'add', '2', fits])).code).toBe(0);
    expect((await acme(alice, ['org', 'set', '--attachment-quota', 'default'])).code).toBe(0);
    expect((await acme(alice, ['org', 'set', '--attachment-quota', 'lots'])).code).toBe(2);
    expect((await globex(carol, ['attachment', 'add', '1', tooBig])).code).toBe(0); // another org's quota is its own
  });
});

describe('writing files safely', () => {
  const hostile: Array<[string, string]> = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\x', 'x'],
    ['a/b', 'b'],
    ['-rf', 'rf'],
    ['..', 'attachment-'],
    ['.bashrc', 'bashrc'],
    ['\x1b[31mred\x1b[0m.txt', '[31mred[0m.txt'],
    ['evil\u202Etxt.exe', 'eviltxt.exe'],
    ['/abs/path', 'path'],
    ['  . -y', 'y'],
  ];

  it('get writes only inside the target folder, under a safe base name', async () => {
    const dir = folder('hostile');
    for (const [name, expected] of hostile) {
      const add = await acme(alice, ['attachment', 'add', '3', '-', '--name', name, '-q'], { input: `content of ${name}` });
      expect(add.code, add.stderr).toBe(0);
      const id = add.stdout.trim();
      const got = await acme(alice, ['attachment', 'get', '3', id], { cwd: dir });
      expect(got.code, got.stderr).toBe(0);
      const written = got.stdout.trim();
      expect(path.dirname(written)).toBe(dir);
      expect(path.basename(written)).toBe(expected === 'attachment-' ? `attachment-${id}` : expected);
      expect(fs.readFileSync(written, 'utf8')).toBe(`content of ${name}`);
    }
    expect(fs.existsSync(path.join(sb.dir, 'etc'))).toBe(false);
    expect(fs.readdirSync(dir).every((n) => !n.startsWith('.') && !n.startsWith('-') && !/[\x00-\x1f\u202e]/.test(n))).toBe(true);
  });

  it('a 10,000-character name is kept, shown neutralised, and written under a short base name', async () => {
    const long = `${'é'.repeat(9_990)}.tar.gz.x`;
    const add = await acme(alice, ['attachment', 'add', '3', '-', '--name', long, '-q'], { input: 'long' });
    expect(add.code, add.stderr).toBe(0);
    const dir = folder('long');
    const got = await acme(alice, ['attachment', 'get', '3', add.stdout.trim()], { cwd: dir });
    expect(got.code, got.stderr).toBe(0);
    const base = path.basename(got.stdout.trim());
    expect(Buffer.byteLength(base)).toBeLessThanOrEqual(200);
    expect(base.endsWith('.x')).toBe(true);
    expect((await acme(alice, ['attachment', 'add', '3', '-', '--name', 'y'.repeat(10_001)], { input: 'x' })).code).toBe(2);
    const listed = await acme(alice, ['attachment', 'list', '3']);
    expect(listed.stdout).not.toContain('\x1b');
    expect(listed.stdout).not.toContain('\u202e');
  });
});

describe('memory', () => {
  it('adding and getting a 25 MiB file peaks under 96 MiB of RSS', async () => {
    const big = file('25mib.bin', Buffer.alloc(25 * 1024 * 1024, 3));
    expect((await globex(carol, ['org', 'set', '--attachment-quota', '1GiB'])).code).toBe(0);
    const rss = async (args: string[]) => {
      const out = path.join(sb.dir, `rss-${Math.random()}`);
      const r = await runNode(['-r', path.join(ROOT, 'bench', 'maxrss.cjs'), BIN, '--org', 'globex', ...args], {
        ...sb.env(carol.configDir),
        TKT_BENCH_RSS_FILE: out,
      }, { cwd: sb.dir });
      expect(r.code, r.stderr).toBe(0);
      return Number(fs.readFileSync(out, 'utf8').split(' ')[0]) / 1024;
    };
    const addMiB = await rss(['attachment', 'add', '1', big]);
    const target = path.join(sb.dir, 'out', '25mib.copy');
    const getMiB = await rss(['attachment', 'get', '1', '25mib.bin', '-o', target]);
    console.log(`peak RSS: add ${addMiB.toFixed(1)} MiB, get ${getMiB.toFixed(1)} MiB (25 MiB file)`);
    expect(addMiB).toBeLessThan(96);
    expect(getMiB).toBeLessThan(96);
    expect(sha(fs.readFileSync(target))).toBe(sha(fs.readFileSync(big)));
  });
});

describe('db check', () => {
  it("verifies every attachment's SHA-256 (--quick skips it) and finds orphan content", async () => {
    expect((await sb.run(['db', 'check'])).code).toBe(0);
    withStore(sb, (db) => {
      const row = db.prepare('SELECT organization_id AS o, sha256 AS s, seq, length(data) AS n FROM attachment_chunks ORDER BY organization_id, sha256, seq LIMIT 1').get() as {
        o: number;
        s: string;
        seq: number;
        n: number;
      };
      db.prepare('UPDATE attachment_chunks SET data = ? WHERE organization_id = ? AND sha256 = ? AND seq = ?').run(Buffer.alloc(row.n, 0xee), row.o, row.s, row.seq);
    });
    expect((await sb.run(['db', 'check', '--quick'])).code).toBe(0);
    const full = await sb.run(['db', 'check']);
    expect(full.code).toBe(7);
    expect(full.stderr).toContain('SHA-256');
    withStore(sb, (db) => {
      db.prepare("INSERT INTO attachment_blobs (organization_id, sha256, size, created_at) SELECT id, 'abc', 1, 0 FROM organizations WHERE slug = 'acme'").run();
      db.prepare("INSERT INTO attachment_chunks (organization_id, sha256, seq, data) SELECT id, 'abc', 0, ? FROM organizations WHERE slug = 'acme'").run(Buffer.from([0]));
    });
    const quick = await sb.run(['db', 'check', '--quick']);
    expect(quick.code).toBe(7);
    expect(quick.stderr).toContain('used by no attachment');
  });

  it('deleting a ticket takes its attachments and their content with it', async () => {
    withStore(sb, (db) => db.prepare("DELETE FROM attachment_blobs WHERE sha256 = 'abc'").run());
    const chunks = () => count("SELECT count(*) AS n FROM attachment_chunks WHERE organization_id = (SELECT id FROM organizations WHERE slug = 'acme')");
    const before = chunks();
    expect((await acme(alice, ['ticket', 'create', '--title', 'doomed'])).code).toBe(0);
    const key = (await acme(alice, ['ticket', 'list', '-q', '--limit', '1'])).stdout.trim();
    expect((await acme(alice, ['attachment', 'add', key, file('doomed.bin', Buffer.alloc(600 * 1024, 9))])).code).toBe(0);
    expect(chunks()).toBe(before + 3);
    expect((await acme(alice, ['-y', 'ticket', 'delete', key])).code).toBe(0);
    expect(chunks()).toBe(before);
    expect((await sb.run(['db', 'check', '--quick'])).code).toBe(0);
  });

  it("deleting an org takes all its attachment content, and only its own", async () => {
    const orgChunks = (slug: string) => count('SELECT count(*) AS n FROM attachment_chunks WHERE organization_id = (SELECT id FROM organizations WHERE slug = ?)', slug);
    const acmeBefore = orgChunks('acme');
    expect(orgChunks('globex')).toBeGreaterThan(0);
    expect((await carol.run(['org', 'delete', 'globex', '-y'])).code).toBe(0);
    expect(count('SELECT count(*) AS n FROM attachment_chunks WHERE organization_id NOT IN (SELECT id FROM organizations)')).toBe(0);
    expect(count('SELECT count(*) AS n FROM attachment_blobs WHERE organization_id NOT IN (SELECT id FROM organizations)')).toBe(0);
    expect(orgChunks('acme')).toBe(acmeBefore);
    expect((await sb.run(['db', 'check', '--quick'])).code).toBe(0);
  });
});
