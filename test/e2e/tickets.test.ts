// Tickets through the real CLI: keys, fields, listing modes, the audit trail, permissions, bad
// input, a shell pipeline, and several processes creating tickets at once.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BIN, ROOT, Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme
let bob: Person; // member of acme
let vera: Person; // viewer in acme
let carol: Person; // owner of globex

const count = (sql: string, ...params: unknown[]) =>
  withStore(sb, (db) => (db.prepare(sql).get(...params) as { n: number }).n);
const ticketCount = () => count('SELECT count(*) AS n FROM tickets');

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
});

const acme = (p: Person, args: string[], input?: string | Buffer) => p.run(['--org', 'acme', ...args], input !== undefined ? { input } : {});

describe('create, for people and for scripts', () => {
  it('prints only the new key when piped or with -q; --json gives the contract shape', async () => {
    const first = await acme(alice, ['ticket', 'create', '--title', 'Login fails', '--body', 'Steps', '--priority', 'high', '--label', 'bug', '--label', 'ui,auth', '--assignee', '@me']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('ACME-1\n');
    expect(first.stderr).toContain('Created ACME-1');
    const quiet = await acme(bob, ['ticket', 'create', '--title', 'Second', '-q']);
    expect([quiet.stdout, quiet.stderr]).toEqual(['ACME-2\n', '']);

    const body = 'Line one\n\n  indented "quoted", ünïcödé 🎉\n';
    expect((await acme(alice, ['ticket', 'create', '--title', 'From stdin', '--body-file', '-'], body)).stdout).toBe('ACME-3\n');

    const json = await acme(alice, ['ticket', 'view', 'ACME-3', '--json']);
    const t = json.json();
    expect(Object.keys(t)).toEqual([
      'key', 'number', 'title', 'body', 'status', 'statusCategory', 'priority', 'assignee', 'reporter', 'labels', 'createdAt', 'updatedAt', 'org', 'external', 'comments', 'history', 'attachments',
    ]);
    expect(t).toMatchObject({
      key: 'ACME-3',
      number: 3,
      title: 'From stdin',
      body: 'Line one\n\n  indented "quoted", ünïcödé 🎉',
      status: 'open',
      priority: 'none',
      assignee: null,
      reporter: { email: 'alice@example.com', name: 'Alice' },
      labels: [],
      org: 'acme',
      external: null,
      comments: [],
    });
    expect(t.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(t.history.map((h: { action: string }) => h.action)).toEqual(['ticket.create']);
  });
});

describe('listing', () => {
  it('piped: one tab-separated line per ticket; --json fields; -q keys; an empty list is exit 0', async () => {
    const plain = await acme(bob, ['ticket', 'list']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.lines()).toEqual([
      'ACME-3\topen\tnone\t-\t-\tFrom stdin',
      'ACME-2\topen\tnone\t-\t-\tSecond',
      'ACME-1\topen\thigh\talice@example.com\tauth,bug,ui\tLogin fails',
    ]);
    expect((await acme(bob, ['ticket', 'list', '--json', 'key,assignee', '--assignee', '@me'])).json()).toEqual([]);
    expect((await acme(bob, ['ticket', 'list', '--label', 'bug', '--json=key,assignee'])).json()).toEqual([
      { key: 'ACME-1', assignee: { email: 'alice@example.com', name: 'Alice' } },
    ]);
    const unknownField = await acme(bob, ['ticket', 'list', '--json', 'key,tittle']);
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toContain('assignee');
    expect((await acme(bob, ['ticket', 'list', '-q', '--status', 'open', '--assignee', 'none', '--limit', '1'])).stdout).toBe('ACME-3\n');
    const empty = await acme(bob, ['ticket', 'list', '--search', "'; DROP TABLE tickets; --", '--json']);
    expect([empty.code, empty.stdout.trim()]).toEqual([0, '[]']);
    expect((await acme(bob, ['ticket', 'list', '--search', 'login OR "NEAR(', '-q'])).code).toBe(0);
    const tooMany = await acme(bob, ['ticket', 'list', '--search', Array.from({ length: 17 }, (_, i) => `w${i}*`).join(' ')]);
    expect([tooMany.code, tooMany.stderr]).toEqual([2, expect.stringContaining('--search has 17 terms; at most 16 are allowed')]);
    expect((await acme(bob, ['ticket', 'list', '--sort', 'priority', '-q'])).lines()).toEqual(['ACME-1', 'ACME-3', 'ACME-2']);
    expect((await acme(bob, ['ticket', 'list', '--status', 'stuck'])).code).toBe(2);
  });

  it('on a terminal: a table coloured by status and priority (none with NO_COLOR)', async () => {
    const onTerminal = async (args: string[], env: Record<string, string> = {}) => {
      let out = '';
      const io = {
        stdout: { write: (t: string) => (out += t), isTTY: true },
        stderr: { write: () => true, isTTY: true },
        stdin: Object.assign(Readable.from([]), { isTTY: false }),
      };
      const code = await main({ argv: ['--org', 'acme', ...args], io, env: sb.env(bob.configDir, env), cwd: sb.dir });
      return { code, out };
    };
    const table = await onTerminal(['ticket', 'list']);
    expect(table.code).toBe(0);
    const plain = table.out.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain.split('\n')[0]).toMatch(/^KEY\s+STATUS\s+PRIORITY\s+ASSIGNEE\s+LABELS\s+TITLE$/);
    expect(plain).toMatch(/ACME-1\s+open\s+high\s+alice@example.com\s+auth,bug,ui\s+Login fails/);
    expect(table.out).toContain('\x1b[34mopen'); // status: blue
    expect(table.out).toContain('\x1b[33mhigh'); // priority: yellow
    const noColor = await onTerminal(['ticket', 'list'], { NO_COLOR: '1' });
    expect(noColor.out).not.toContain('\x1b[');
    expect(noColor.out).toBe(plain);
  });

  it('works in a pipeline: every open unassigned ticket assigned to me through -', async () => {
    const dir = path.join(sb.dir, 'bin');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'tkt'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    const env = { ...sb.env(bob.configDir), PATH: `${dir}:${process.env.PATH}`, TKT_ORG: 'acme' };
    const { stderr } = await promisify(execFile)(
      'sh',
      ['-c', 'tkt ticket list -q --status open --assignee none --limit 0 | tkt ticket assign - @me'],
      { env, cwd: ROOT },
    );
    expect(stderr).toContain('Assigned to bob@example.com 2 tickets: ACME-3, ACME-2.');
    expect((await acme(bob, ['ticket', 'list', '-q', '--assignee', '@me'])).lines()).toEqual(['ACME-3', 'ACME-2']);
  });
});

describe('changing a ticket', () => {
  it('edit, assign, move, close, reopen, comment, unassign: each shown in view and in the audit log', async () => {
    const run = async (p: Person, args: string[], input?: string) => {
      const r = await acme(p, args, input);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    expect((await run(alice, ['ticket', 'edit', '#1', '--title', 'Login fails on Safari', '--add-label', 'p1', '--remove-label', 'ui', '--priority', 'urgent'])).stdout).toBe('ACME-1\n');
    await run(alice, ['ticket', 'assign', 'acme-1', 'BOB@example.com']);
    await run(bob, ['ticket', 'move', '1', 'in_progress']);
    expect((await run(bob, ['ticket', 'move', '1', 'in_progress'])).stderr).toContain('already in_progress');
    await run(bob, ['ticket', 'close', 'ACME-1']);
    await run(bob, ['ticket', 'reopen', 'ACME-1']);
    await run(bob, ['ticket', 'comment', 'ACME-1', '--body-file', '-'], 'Fixed in **1.2**.\nPlease check.');
    await run(alice, ['ticket', 'unassign', 'ACME-1']);

    const view = (await acme(vera, ['ticket', 'view', 'ACME-1', '--json'])).json();
    expect(view).toMatchObject({ title: 'Login fails on Safari', priority: 'urgent', status: 'open', assignee: null, labels: ['auth', 'bug', 'p1'] });
    expect(view.comments).toEqual([expect.objectContaining({ author: { email: 'bob@example.com', name: 'Bob' }, body: 'Fixed in **1.2**.\nPlease check.' })]);
    expect(view.history.map((h: { action: string; actor: { email: string } }) => `${h.actor.email.split('@')[0]} ${h.action}`)).toEqual([
      'alice ticket.create', 'alice ticket.edit', 'alice ticket.assign', 'bob ticket.move', 'bob ticket.move', 'bob ticket.move', 'bob ticket.comment', 'alice ticket.unassign',
    ]);

    const text = await acme(vera, ['ticket', 'view', '1']);
    expect(text.stdout).toContain('title\tLogin fails on Safari\n');
    expect(text.stdout).toContain('moved it Done → Open');
    expect(text.stdout).toContain('    Please check.');

    const audit = (await acme(alice, ['audit', 'list', '--action', 'ticket', '--json'])).json();
    expect(audit.every((e: { targetType: string; target: string }) => e.targetType === 'ticket' && /^ACME-\d+$/.test(e.target))).toBe(true);
    expect(audit.filter((e: { target: string }) => e.target === 'ACME-1')).toHaveLength(8);
  });
});

describe('keys and organizations', () => {
  it("another org's key and a missing number are exit 5 with the same message; a bad key is exit 2", async () => {
    expect((await carol.run(['--org', 'globex', 'ticket', 'create', '--title', 'Globex only'])).stdout).toBe('GLOBEX-1\n');
    const other = await acme(alice, ['ticket', 'view', 'GLOBEX-1']);
    const missing = await acme(alice, ['ticket', 'view', 'ACME-99']);
    expect([other.code, missing.code]).toEqual([5, 5]);
    expect(other.stderr.replace('GLOBEX-1', 'K')).toBe(missing.stderr.replace('ACME-99', 'K'));
    expect((await acme(alice, ['ticket', 'assign', 'GLOBEX-1', '@me'])).code).toBe(5);
    const bad = await acme(alice, ['ticket', 'view', 'ACME-one', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error.code).toBe('usage');
    // carol's org stays closed to alice altogether
    expect((await alice.run(['--org', 'globex', 'ticket', 'list'])).code).toBe(4);
  });

  it('permissions: a viewer reads but cannot create; a member cannot delete', async () => {
    expect((await acme(vera, ['ticket', 'list', '-q'])).code).toBe(0);
    const create = await acme(vera, ['ticket', 'create', '--title', 'nope']);
    expect(create.code).toBe(4);
    expect(create.stderr).toContain('ticket:create');
    expect((await acme(bob, ['ticket', 'delete', 'ACME-2', '-y'])).code).toBe(4);
  });

  it('delete needs -y without a terminal, then removes the ticket with its comments and label links', async () => {
    const before = ticketCount();
    const refused = await acme(alice, ['ticket', 'delete', 'ACME-1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('-y');
    expect(ticketCount()).toBe(before);
    expect(count('SELECT count(*) AS n FROM comments')).toBe(1);
    const deleted = await acme(alice, ['ticket', 'delete', 'ACME-1', '-y', '--json']);
    expect(deleted.json()).toEqual({ key: 'ACME-1', deleted: true });
    expect(ticketCount()).toBe(before - 1);
    expect(count('SELECT count(*) AS n FROM comments')).toBe(0);
    expect(count("SELECT count(*) AS n FROM ticket_labels tl JOIN labels l ON l.id = tl.label_id WHERE l.name = 'p1'")).toBe(0);
    expect((await acme(alice, ['ticket', 'view', 'ACME-1'])).code).toBe(5);
  });
});

describe('membership changes', () => {
  it("removing a member unassigns their tickets in this org only", async () => {
    const dan = await sb.person('dan@example.com', 'Dan');
    withStore(sb, (db) => {
      seedMember(db, 'acme', 'dan@example.com', 'member');
      seedMember(db, 'globex', 'dan@example.com', 'member');
    });
    expect((await acme(dan, ['ticket', 'assign', 'ACME-2', '@me'])).code).toBe(0);
    expect((await dan.run(['--org', 'globex', 'ticket', 'assign', 'GLOBEX-1', '@me'])).code).toBe(0);
    const removed = await acme(alice, ['member', 'remove', 'dan@example.com', '-y']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await acme(alice, ['ticket', 'view', 'ACME-2', '--json', 'assignee'])).json()).toEqual({ assignee: null });
    expect((await carol.run(['--org', 'globex', 'ticket', 'view', 'GLOBEX-1', '--json', 'assignee'])).json()).toEqual({
      assignee: { email: 'dan@example.com', name: 'Dan' },
    });
  });
});

describe('bad input: exit 2, nothing written', () => {
  it('refuses huge titles, NUL bytes, invalid UTF-8, unknown values, non-members, conflicting flags', async () => {
    const before = ticketCount();
    const cases: Array<[string[], (string | Buffer)?]> = [
      [['ticket', 'create', '--title', 'x'.repeat(100_000)]], // argv itself caps a single argument near 128 KiB
      [['ticket', 'create', '--title', '   ']],
      [['ticket', 'create', '--title', 't', '--body-file', '-'], 'before\u0000after'],
      [['ticket', 'create', '--title', 't', '--body-file', '-'], Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x0a])],
      [['ticket', 'create', '--title', 't', '--body-file', path.join(sb.dir, 'no-such-file')]],
      [['ticket', 'create', '--title', 't', '--priority', 'critical']],
      [['ticket', 'create', '--title', 't', '--assignee', 'carol@example.com']],
      [['ticket', 'create', '--title', 't', '--label', 'a'.repeat(51)]],
      [['ticket', 'create', '--title', 't', '--body', 'b', '--body-file', '-'], 'b'],
      [['ticket', 'create', '--no-input']],
      [['ticket', 'move', 'ACME-2', 'blocked']],
      [['ticket', 'assign', 'ACME-2', 'carol@example.com']],
      [['ticket', 'comment', 'ACME-2', '--body', '  ']],
      [['ticket', 'edit', 'ACME-2']],
      [['ticket', 'list', '--limit', '-1']],
      [['ticket', 'list', '--sort', 'title']],
      [['ticket', 'create', '--title', 't', '--json', 'key,nope']], // checked before the write
      [['ticket', 'view', 'abc\u202edcba\u001b[2J']],
    ];
    const results = await Promise.all(cases.map(([args, input]) => acme(alice, args, input)));
    results.forEach((r, i) => {
      expect(r.code, `${cases[i]![0].join(' ').slice(0, 80)}: ${r.stderr}`).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
    expect(results[0]!.stderr).toContain('title is too long (100000 characters, at most 200)');
    expect(results[2]!.stderr).toContain('NUL');
    expect(results[3]!.stderr).toContain('not valid UTF-8');
    expect(results[6]!.stderr).toContain('carol@example.com is not a member of acme');
    expect(results[9]!.stderr).toContain('--title');
    expect(results.at(-1)!.stderr).toContain('invalid ticket key "abc\\u202edcba\\u001b[2J"'); // echoed escaped
    for (const r of results) expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(ticketCount()).toBe(before);
    expect(count("SELECT count(*) AS n FROM comments")).toBe(0);
  });

  it('stores SQL-looking text literally and shows it back as typed', async () => {
    const title = `x'); DELETE FROM tickets; -- "quoted" %_\\`;
    const created = await acme(alice, ['ticket', 'create', '--title', title, '--label', "o'brien"]);
    expect(created.code, created.stderr).toBe(0);
    const shown = (await acme(alice, ['ticket', 'view', created.stdout.trim(), '--json'])).json();
    expect([shown.title, shown.labels]).toEqual([title, ["o'brien"]]);
  });
});

describe('concurrent writers', () => {
  it('4 processes × 25 creates get exactly the numbers 1..100', async () => {
    expect((await alice.run(['org', 'create', 'Rush', '--key', 'RUSH'])).code).toBe(0);
    const dist = path.join(ROOT, 'dist', 'tkt.js');
    // Each process runs the real CLI entry (main) 25 times in a row, as 25 separate commands.
    const worker = `
      const { main } = await import(${JSON.stringify(dist)});
      for (let i = 0; i < 25; i++) {
        const code = await main({ argv: ['--org', 'rush', 'ticket', 'create', '--title', 'p' + process.env.WORKER + '-' + i] });
        if (code !== 0) process.exit(code);
      }`;
    const results = await Promise.all(
      [1, 2, 3, 4].map(
        (n) =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', worker], {
              env: { ...sb.env(alice.configDir), WORKER: String(n) } as NodeJS.ProcessEnv,
              cwd: ROOT,
            });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (d) => (stdout += d));
            child.stderr.on('data', (d) => (stderr += d));
            child.on('close', (code) => resolve({ code, stdout, stderr }));
          }),
      ),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const keys = results.flatMap((r) => r.stdout.trim().split('\n'));
    expect(keys).toHaveLength(100);
    const numbers = keys.map((k) => Number(k.replace('RUSH-', ''))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const stored = withStore(sb, (db) =>
      db.prepare("SELECT t.number AS n FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'rush' ORDER BY t.number").all(),
    ) as Array<{ n: number }>;
    expect(stored.map((r) => r.n)).toEqual(numbers);
    const check = await sb.run(['db', 'check', '--json']);
    expect(check.code, check.stdout).toBe(0);
  });
});

describe('input size caps', () => {
  it('refuses an endless --body-file (a device) with exit 2 instead of reading until memory runs out', async () => {
    const sb = new Sandbox();
    try {
      const owner = await sb.person('cap@example.com');
      await owner.run(['org', 'create', 'Cap Co']);
      const r = await owner.run(['ticket', 'create', '--title', 'x', '--body-file', '/dev/zero']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('too large');
      expect((await owner.run(['ticket', 'list', '--json'])).json()).toEqual([]);
    } finally {
      sb.cleanup();
    }
  });
});
