// Export and import through the real CLI: a lossless round trip into another org (JSON and CSV,
// tricky text included), export filters without a default limit, and bad files that write nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of source and of the import targets
let vera: Person; // viewer in source

const ticketsIn = (slug: string) =>
  withStore(sb, (db) =>
    (db.prepare('SELECT count(*) AS n FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = ?').get(slug) as { n: number }).n,
  );
const file = (name: string, content: string | Buffer) => {
  const p = path.join(sb.dir, name);
  fs.writeFileSync(p, content);
  return p;
};

// Text that breaks naive CSV and JSON handling.
const TRICKY = [
  { title: 'Plain', body: '', status: 'open', priority: 'none', labels: [] },
  {
    title: 'Comma, "quotes" and \'single\'',
    body: 'Line 1\nLine 2, with "quotes"\n\n\tTabbed line\n  - item; semi;colon\n\\backslash\\ and a trailing quote"',
    status: 'in_progress',
    priority: 'urgent',
    labels: ['bug', 'needs review', 'Ünïcödé'],
  },
  { title: 'Ünïcödé — 日本語 — emoji 🎉👩‍💻', body: 'Ça marche ? Ja, natürlich. 中文', status: 'done', priority: 'high', labels: ['i18n'] },
  { title: '=SUM(A1:A2) looks like a formula', body: '+1\n-1\n@cmd', status: 'canceled', priority: 'low', labels: ['x:y', 'a/b'] },
  { title: "SQL'); DROP TABLE tickets; --", body: '" OR ""="', status: 'open', priority: 'medium', labels: ["o'brien"] },
];

beforeAll(async () => {
  [alice, vera] = (await Promise.all([sb.person('alice@example.com', 'Alice'), sb.person('vera@example.com', 'Vera')])) as [Person, Person];
  for (const [name, key] of [['Source', 'SRC'], ['Json Copy', 'JC'], ['Csv Copy', 'CC'], ['Stdin Copy', 'SC']] as const) {
    expect((await alice.run(['org', 'create', name, '--key', key])).code).toBe(0);
  }
  withStore(sb, (db) => seedMember(db, 'source', 'vera@example.com', 'viewer'));
  // The source tickets arrive by an import, then get an assignee through the normal command.
  const seeded = await alice.run(['--org', 'source', 'ticket', 'import', file('seed.json', JSON.stringify(TRICKY))]);
  expect(seeded.code, seeded.stderr).toBe(0);
  expect(seeded.stdout.split('\n')[0]).toBe('SRC-1\tPlain');
  expect((await alice.run(['--org', 'source', 'ticket', 'assign', 'SRC-2', '@me'])).code).toBe(0);
});

type Exported = { title: string; body: string; status: string; priority: string; labels: string[]; assignee: { email: string } | null };
const essence = (items: Exported[]) => items.map(({ title, body, status, priority, labels, assignee }) => ({ title, body, status, priority, labels, assignee: assignee?.email ?? null }));

describe('export → import into another org', () => {
  let source: Exported[];

  it('export --format json is the list JSON, oldest first, by a viewer', async () => {
    const r = await vera.run(['--org', 'source', 'ticket', 'export']);
    expect(r.code, r.stderr).toBe(0);
    source = r.json();
    expect(source.map((t) => (t as unknown as { key: string }).key)).toEqual(['SRC-1', 'SRC-2', 'SRC-3', 'SRC-4', 'SRC-5']);
    expect(essence(source)).toEqual(TRICKY.map((t, i) => ({ ...t, labels: [...t.labels].sort(), assignee: i === 1 ? 'alice@example.com' : null })));
  });

  it('round-trips exactly through JSON', async () => {
    const exported = (await alice.run(['--org', 'source', 'ticket', 'export', '--format', 'json'])).stdout;
    const imported = await alice.run(['--org', 'json-copy', 'ticket', 'import', file('export.json', exported), '-q']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.lines()).toEqual(['JC-1', 'JC-2', 'JC-3', 'JC-4', 'JC-5']);
    const copy = (await alice.run(['--org', 'json-copy', 'ticket', 'export'])).json();
    expect(essence(copy)).toEqual(essence(source));
    expect(copy.map((t: { createdAt: string }) => t.createdAt)).toEqual(source.map((t) => (t as unknown as { createdAt: string }).createdAt));
  });

  it('round-trips exactly through CSV (format from the extension, and from stdin with --format)', async () => {
    const csv = (await alice.run(['--org', 'source', 'ticket', 'export', '--format', 'csv'])).stdout;
    expect(csv.split('\n')[0]).toBe('key,number,title,body,status,statusCategory,priority,assignee,reporter,labels,createdAt,updatedAt,org,external');
    expect(csv).toContain('"bug,needs review,Ünïcödé"'); // labels: one cell, comma-joined
    const fromFile = await alice.run(['--org', 'csv-copy', 'ticket', 'import', file('export.csv', csv)]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toContain('Imported 5 tickets into csv-copy (CC-1 … CC-5).');
    const fromStdin = await alice.run(['--org', 'stdin-copy', 'ticket', 'import', '-', '--format', 'csv', '-q'], { input: csv });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    for (const org of ['csv-copy', 'stdin-copy']) {
      expect(essence((await alice.run(['--org', org, 'ticket', 'export'])).json())).toEqual(essence(source));
    }
  });

  it('export takes the list filters and has no default limit', async () => {
    const many = JSON.stringify(Array.from({ length: 35 }, (_, i) => ({ title: `bulk ${i}`, labels: ['bulk'] })));
    expect((await alice.run(['--org', 'json-copy', 'ticket', 'import', '-', '-q'], { input: many })).code).toBe(0);
    const all = await alice.run(['--org', 'json-copy', 'ticket', 'export', '--label', 'bulk', '--json', 'key']);
    expect(all.json()).toHaveLength(35);
    const done = await alice.run(['--org', 'source', 'ticket', 'export', '--format', 'csv', '--status', 'done', '--status', 'canceled']);
    expect(parse(done.stdout).map((row: string[]) => row[0])).toEqual(['key', 'SRC-3', 'SRC-4']);
    expect((await alice.run(['--org', 'source', 'ticket', 'export', '--format', 'csv', '--json'])).code).toBe(2);
    expect((await alice.run(['--org', 'source', 'ticket', 'export', '--format', 'xml'])).code).toBe(2);
  });
});

describe('bad imports: exit 2 with the place and the reason, nothing written', () => {
  it('refuses each bad file and leaves the org untouched', async () => {
    const before = ticketsIn('csv-copy');
    const bigTitle = 'x'.repeat(1024 * 1024);
    const cases: Array<[string, string | Buffer, string]> = [
      ['header.csv', 'tittle,body\nA,b\n', 'line 1: unknown column "tittle"'],
      ['no-title.csv', 'body,status\nb,open\n', 'no title column'],
      ['empty.csv', '', 'the CSV is empty'],
      ['ragged.csv', 'title,body\nA,b,c\n', 'not valid CSV'],
      ['status.csv', 'title,body,status\nA,"multi\nline\nbody",open\nB,,finished\n', 'line 5: status "finished" is not a status of csv-copy'],
      ['member.csv', 'title,assignee\nA,\nB,vera@example.com\n', 'line 3: assignee vera@example.com is not a member of csv-copy'],
      ['priority.json', JSON.stringify([{ title: 'a' }, { title: 'b' }, { title: 'c', priority: 'p0' }]), 'record 3: unknown priority "p0"'],
      ['huge.json', JSON.stringify([{ title: 'ok' }, { title: bigTitle }]), 'record 2: title is too long (1048576 characters, at most 200)'],
      ['nul.json', JSON.stringify([{ title: 'a', body: 'nul\u0000here' }]), 'record 1: body contains a NUL character (U+0000)'],
      ['field.json', JSON.stringify([{ title: 'a', tittle: 'b' }]), 'record 1: unknown field "tittle"'],
      ['notitle.json', JSON.stringify([{ body: 'b' }]), 'record 1: title is required'],
      ['labels.json', JSON.stringify([{ title: 'a', labels: 'bug' }]), 'record 1: labels must be an array'],
      ['label-comma.json', JSON.stringify([{ title: 'a', labels: ['a,b'] }]), 'contains a comma'],
      ['time.json', JSON.stringify([{ title: 'a', createdAt: 'yesterday' }]), 'createdAt is not an ISO 8601 time'],
      ['number.json', '42', 'must be a JSON array'],
      ['broken.json', '[{"title": "a"', 'not valid JSON'],
      ['sql.json', "'; DROP TABLE tickets; --", 'not valid JSON'],
      ['latin1.csv', Buffer.concat([Buffer.from('title\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]), 'not valid UTF-8'],
    ];
    const results = await Promise.all(
      cases.map(([name, content]) => alice.run(['--org', 'csv-copy', 'ticket', 'import', file(name, content)])),
    );
    results.forEach((r, i) => {
      const [name, , reason] = cases[i]!;
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toContain(reason);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
    expect(results[4]!.stderr).toContain('nothing was imported');
    const stdin = await alice.run(['--org', 'csv-copy', 'ticket', 'import', '-'], { input: Buffer.from([0x5b, 0xff, 0x5d]) });
    expect([stdin.code, stdin.stderr.includes('not valid UTF-8')]).toEqual([2, true]);
    expect(ticketsIn('csv-copy')).toBe(before);
  });

  it('a viewer cannot import', async () => {
    const r = await vera.run(['--org', 'source', 'ticket', 'import', '-'], { input: '[{"title":"x"}]' });
    expect(r.code).toBe(4);
  });
});
