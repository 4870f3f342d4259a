// Issue 12: real trackers' data imports whole. GitHub's own format (gh issue list --json …) with
// comments, people mapped by --people, --unknown-people, --on-duplicate, --dry-run; text with every
// awkward character class stored exactly and neutralised when shown; export → import → export
// byte for byte; invalid UTF-8 named by record and byte offset; search in CJK text.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of every org here
const ticketsIn = (slug: string) =>
  withStore(sb, (db) =>
    (db.prepare('SELECT count(*) AS n FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = ?').get(slug) as { n: number }).n,
  );
const file = (name: string, content: string | Buffer) => {
  const p = path.join(sb.dir, name);
  fs.writeFileSync(p, content);
  return p;
};

beforeAll(async () => {
  [alice] = (await Promise.all([sb.person('alice@example.com', 'Alice'), sb.person('bob@example.com', 'Bob')])) as [Person, Person];
  for (const [name, key] of [['Gh', 'GH'], ['Awkward', 'AW'], ['Copy', 'CP'], ['Misc', 'MI']] as const) {
    expect((await alice.run(['org', 'create', name, '--key', key])).code).toBe(0);
  }
  withStore(sb, (db) => seedMember(db, 'gh', 'bob@example.com', 'member'));
});

// What `gh issue list --state all --limit 100000 --json number,title,body,state,stateReason,labels,
// assignees,author,createdAt,updatedAt,closedAt,comments` writes (abridged: a real one has more
// fields in each label, author and comment, which are ignored).
const GH = [
  {
    assignees: [{ id: 'MDQ6VXNlcjE=', login: 'Octocat', name: 'The Octocat' }, { id: 'x', login: 'hubot', name: '' }],
    author: { id: 'MDQ6VXNlcjI=', is_bot: false, login: 'hubot', name: 'Hubot' },
    body: '### Steps\r\n\r\n```\r\n$ npm test\r\n\u001b[31m✖ 2 failing\u001b[39m\r\n```\r\n',
    closedAt: '2024-03-02T10:00:00Z',
    comments: [
      {
        id: 'IC_1',
        author: { login: 'octocat' },
        authorAssociation: 'MEMBER',
        body: 'Fixed in #13 \u{1F389}',
        createdAt: '2024-03-02T09:59:00Z',
        includesCreatedEdit: false,
        isMinimized: false,
        minimizedReason: '',
        reactionGroups: [],
        url: 'https://github.com/o/r/issues/12#issuecomment-1',
        viewerDidAuthor: false,
      },
      { id: 'IC_2', author: { login: 'drive-by' }, body: 'same here', createdAt: '2024-03-02T09:59:30Z' },
      { id: 'IC_3', author: null, body: 'from a deleted account', createdAt: '2024-03-02T09:59:40Z' },
    ],
    createdAt: '2024-03-01T08:00:00Z',
    labels: [{ id: 'LA_1', name: 'bug', description: "Something isn't working", color: 'd73a4a' }, { id: 'LA_2', name: 'good first issue', description: '', color: '7057ff' }],
    number: 12,
    state: 'CLOSED',
    stateReason: 'COMPLETED',
    title: 'Tests fail on \u001b[1mCI\u001b[0m',
    updatedAt: '2024-03-02T10:00:00Z',
  },
  { assignees: [], author: { login: 'octocat' }, body: '', closedAt: '2024-03-05T00:00:00Z', comments: [], createdAt: '2024-03-04T00:00:00Z', labels: [], number: 13, state: 'CLOSED', stateReason: 'NOT_PLANNED', title: 'Won\u2019t do', updatedAt: '2024-03-05T00:00:00Z' },
  { assignees: [{ login: 'bobby' }], author: { login: 'bobby' }, body: '日本語の説明', closedAt: null, comments: [], createdAt: '2024-03-06T00:00:00Z', labels: [{ name: 'i18n' }], number: 14, state: 'OPEN', stateReason: null, title: '日本語のタイトル', updatedAt: '2024-03-06T00:00:00Z' },
];

describe('--from github', () => {
  it('imports a gh issue list export whole: states, labels, people, comments, external', async () => {
    const gh = file('issues.json', JSON.stringify(GH, null, 2));
    const people = file('people.csv', 'login,email\noctocat,alice@example.com\nBobby,bob@example.com\n');
    // An author no --people line maps is refused by default, naming the record and the comment.
    const refused = await alice.run(['--org', 'gh', 'ticket', 'import', '--from', 'github', gh, '--people', people]);
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([2, 'tkt: record 1: the author of comment 2, @drive-by (GitHub), is not a member of gh']);
    const dry = await alice.run(['--org', 'gh', 'ticket', 'import', '--from', 'github', gh, '--people', people, '--unknown-people', 'unassign', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('Dry run: would import 3 tickets with 3 comments into gh; nothing was written. 1 title had control characters replaced by spaces.');
    expect(ticketsIn('gh')).toBe(0);

    const r = await alice.run(['--org', 'gh', 'ticket', 'import', '--from', 'github', gh, '--people', people, '--unknown-people', 'unassign']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('GH-1\tTests fail on  [1mCI [0m\nGH-2\tWon\u2019t do\nGH-3\t日本語のタイトル\n');
    expect(r.stderr).toContain('Imported 3 tickets with 3 comments into gh (GH-1 … GH-3). 1 title had control characters replaced by spaces.');
    const [one, two, three] = (await alice.run(['--org', 'gh', 'ticket', 'export'])).json<any[]>();
    expect(one).toMatchObject({
      status: 'done',
      labels: ['bug', 'good first issue'],
      assignee: { email: 'alice@example.com' },
      external: 'github#12',
      body: '### Steps\n\n```\n$ npm test\n\u001b[31m✖ 2 failing\u001b[39m\n```',
      createdAt: '2024-03-01T08:00:00.000Z',
      updatedAt: '2024-03-02T10:00:00.000Z',
    });
    expect(one.comments).toEqual([
      { author: { email: 'alice@example.com', name: 'Alice' }, body: 'Fixed in #13 \u{1F389}', createdAt: '2024-03-02T09:59:00.000Z' },
      { author: { email: 'alice@example.com', name: 'Alice' }, body: 'Originally by @drive-by (GitHub)\n\nsame here', createdAt: '2024-03-02T09:59:30.000Z' },
      { author: { email: 'alice@example.com', name: 'Alice' }, body: 'Originally by @ghost (GitHub)\n\nfrom a deleted account', createdAt: '2024-03-02T09:59:40.000Z' },
    ]);
    expect(two).toMatchObject({ status: 'canceled', external: 'github#13', assignee: null, comments: [] });
    expect(three).toMatchObject({ status: 'open', external: 'github#14', assignee: { email: 'bob@example.com' }, labels: ['i18n'] });

    // external: shown by ticket view, searchable.
    const view = await alice.run(['--org', 'gh', 'ticket', 'view', 'GH-2']);
    expect(view.stdout).toContain('external\tgithub#13\n');
    expect((await alice.run(['--org', 'gh', 'ticket', 'list', '--status', 'all', '-q', '--search', 'github#13'])).stdout).toBe('GH-2\n');

    // The same file again: refused (naming the first duplicate), or skipped.
    const again = await alice.run(['--org', 'gh', 'ticket', 'import', '--from', 'github', gh, '--people', people, '--unknown-people', 'me']);
    expect([again.code, again.stderr.split('\n')[0]]).toEqual([2, 'tkt: record 1: github#12 is already GH-1']);
    const skip = await alice.run(['--org', 'gh', 'ticket', 'import', '--from', 'github', gh, '--people', people, '--unknown-people', 'me', '--on-duplicate', 'skip']);
    expect([skip.code, skip.stdout]).toEqual([0, '']);
    expect(skip.stderr).toContain('3 duplicates skipped');
    expect(ticketsIn('gh')).toBe(3);

    // The issue changed on GitHub: reopened, retitled, relabelled, one more comment. update writes it over.
    const changed = [
      {
        ...GH[0],
        title: 'Tests fail on CI again',
        state: 'OPEN',
        stateReason: 'REOPENED',
        labels: [{ name: 'bug' }, { name: 'regression' }],
        updatedAt: '2024-04-01T00:00:00Z',
        comments: [...GH[0]!.comments, { author: { login: 'octocat' }, body: 'Back again', createdAt: '2024-04-01T00:00:00Z' }],
      },
      GH[1],
      GH[2],
    ];
    const changedFile = file('issues-2.json', JSON.stringify(changed));
    const args = ['--org', 'gh', 'ticket', 'import', '--from', 'github', changedFile, '--people', people, '--unknown-people', 'unassign', '--on-duplicate', 'update'];
    const dryUpdate = await alice.run([...args, '--dry-run']);
    expect(dryUpdate.stderr).toContain('3 tickets would be updated');
    const updated = await alice.run(args);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toBe('GH-1\tTests fail on CI again\nGH-2\tWon\u2019t do\nGH-3\t日本語のタイトル\n');
    expect(updated.stderr).toContain('Imported 0 tickets into gh. 3 tickets updated.');
    expect((await alice.run(args)).code).toBe(0); // again: nothing new
    expect(ticketsIn('gh')).toBe(3);
    const [after] = (await alice.run(['--org', 'gh', 'ticket', 'export', '--search', 'github#12'])).json<any[]>();
    expect(after).toMatchObject({ title: 'Tests fail on CI again', status: 'open', labels: ['bug', 'regression'], updatedAt: '2024-04-01T00:00:00.000Z' });
    expect(after.comments.map((c: { body: string }) => c.body.split('\n')[0])).toEqual([
      'Fixed in #13 \u{1F389}',
      'Originally by @drive-by (GitHub)',
      'Originally by @ghost (GitHub)',
      'Back again',
    ]);
    const history = (await alice.run(['--org', 'gh', 'ticket', 'view', 'GH-1', '--json'])).json<any>().history.map((h: { action: string }) => h.action);
    expect(history).toEqual(['ticket.import', 'ticket.edit', 'ticket.move']);
    expect((await alice.run(['--org', 'gh', 'ticket', 'list', '-q', '--search', 'again'])).stdout).toBe('GH-1\n');
  });

  it('--unknown-people me assigns to the importer; an assignee nobody maps fails by default', async () => {
    const issue = { ...GH[2], number: 99, assignees: [{ login: 'nobody' }] };
    const gh = file('one.json', JSON.stringify(issue)); // a single object
    const refused = await alice.run(['--org', 'misc', 'ticket', 'import', '--from', 'github', gh]);
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([2, 'tkt: record 1: assignee @nobody (GitHub) is not a member of misc']);
    const r = await alice.run(['--org', 'misc', 'ticket', 'import', '--from', 'github', gh, '--unknown-people', 'me', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [t] = (await alice.run(['--org', 'misc', 'ticket', 'export', '--search', 'github#99'])).json<any[]>();
    expect(t).toMatchObject({ assignee: { email: 'alice@example.com' }, external: 'github#99' });
  });
});

// ---- every awkward character class ----

const ESC = ['\u001b[31mred\u001b[0m', '\u001b]0;pwned\u0007', '\u001b[2J\u001b[H', '\u001bc'];
const C0 = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).filter((c) => c !== '\r' && c !== '\n').join('');
const C1 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join('');
const BIDI = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
const OTHER = ['\ufffd', '\u2028', '\u2029', '\ufeff', '\u200b', '日本語のテキスト', '한국어', 'ภาษาไทย', '👨‍👩‍👧‍👦', '🏳️‍🌈', 'é', 'e\u0301', 'Z̤̈a̧̓l̗g̖o', '\u{10FFFF}', '\uE000'];

/** A body of about `n` characters holding every class, ending in a letter (trailing whitespace is dropped). */
function awkward(n: number, seed: number): string {
  const parts = [...ESC, C0, C1, BIDI, ...OTHER, 'line\nbreak', '\tindent', 'CR\ralone'];
  let text = '';
  for (let i = seed; text.length < n; i++) text += parts[i % parts.length] + ' ';
  return text.slice(0, n).trimEnd() + 'z';
}

describe('text with every awkward character class', () => {
  const records = Array.from({ length: 6 }, (_, i) => ({
    title: `Title ${i} ${ESC[i % ESC.length]} ${BIDI} ${OTHER[i]} \ufffd`,
    body: awkward(i === 0 ? 60_000 : 500 + i * 97, i),
    labels: [`label ${OTHER[i + 5]}`],
    createdAt: `2024-01-0${i + 1}T00:00:00.000Z`,
    updatedAt: `2024-02-0${i + 1}T00:00:00.000Z`,
    external: `github#${i + 1}`,
    comments: [
      { author: 'alice@example.com', body: awkward(2_000, i + 3), createdAt: `2024-01-0${i + 1}T01:00:00.000Z` },
      { author: { email: 'bob@example.com' }, body: awkward(60_000, i + 7), createdAt: `2024-01-0${i + 1}T02:00:00.000Z` },
    ],
  }));

  it('imports whole, and export → import → export is byte for byte the same', async () => {
    // bob is not a member of awkward: his comments are credited to the importer, his email on top.
    const first = await alice.run(['--org', 'awkward', 'ticket', 'import', file('awkward.json', JSON.stringify(records)), '--unknown-people', 'unassign']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Imported 6 tickets with 12 comments into awkward (AW-1 … AW-6). 6 titles had control characters replaced by spaces.');
    const exported = (await alice.run(['--org', 'awkward', 'ticket', 'export'])).stdout;
    const items = JSON.parse(exported) as any[];
    expect(items.map((t) => t.body)).toEqual(records.map((r) => r.body));
    expect(items[0].body).toHaveLength(records[0]!.body.length);
    expect(items[2].comments[0].body).toBe(records[2]!.comments[0]!.body);
    expect(items[2].comments[1].body).toBe(`Originally by bob@example.com\n\n${records[2]!.comments[1]!.body}`);
    // ESC, BEL, the 12 bidi characters and U+2028 became spaces; U+FFFD stays.
    expect(items[1].title).toBe(`Title 1  ]0;pwned  ${' '.repeat(12)}   \ufffd`);

    const copied = await alice.run(['--org', 'copy', 'ticket', 'import', '-'], { input: exported });
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stderr).not.toContain('titles had');
    const again = (await alice.run(['--org', 'copy', 'ticket', 'export'])).stdout;
    const withoutOrg = (text: string) => text.replace(/"key": "[A-Z]+-/g, '"key": "X-').replace(/"org": "[a-z]+"/g, '"org": "x"');
    expect(Buffer.from(withoutOrg(again))).toEqual(Buffer.from(withoutOrg(exported)));
    expect(again.length).toBeGreaterThan(700_000);
    // The search rows an import builds itself are whole: db check finds nothing wrong.
    const check = await alice.run(['db', 'check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('is shown neutralised in plain output and tables, exact in JSON', async () => {
    const view = await alice.run(['--org', 'awkward', 'ticket', 'view', 'AW-2']);
    const list = await alice.run(['--org', 'awkward', 'ticket', 'list', '--status', 'all']);
    for (const out of [view.stdout, list.stdout]) {
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    }
    expect(view.stdout).toContain('\\u001b[31mred\\u001b[0m');
    const json = (await alice.run(['--org', 'awkward', 'ticket', 'view', 'AW-1', '--json'])).json<any>();
    expect(json.body).toBe(records[0]!.body);
  });

  it('refuses NUL (saying why), a body over 65,536 characters, updatedAt before createdAt, naming the record', async () => {
    const cases: Array<[unknown, string]> = [
      [[{ title: 'a' }, { title: 'b', body: 'x\u0000y' }], 'record 2: body contains a NUL character (U+0000)'],
      [[{ title: 'a', comments: [{ author: 'alice@example.com', body: 'ok' }, { author: 'alice@example.com', body: '\u0000' }] }], 'record 1: comments[1].body contains a NUL character (U+0000)'],
      [[{ title: 'a', body: 'é'.repeat(65_537) }], 'record 1: body is too long (65537 characters, at most 65536)'],
      [[{ title: 'a' }, { title: 'b', createdAt: '2024-02-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' }], 'record 2: updatedAt (2024-01-01T00:00:00Z) is earlier than createdAt (2024-02-01T00:00:00Z)'],
    ];
    for (const [content, message] of cases) {
      const r = await alice.run(['--org', 'misc', 'ticket', 'import', file('bad.json', JSON.stringify(content))]);
      expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, `tkt: ${message}`]);
    }
    const nul = await alice.run(['--org', 'misc', 'ticket', 'import', file('bad.json', JSON.stringify(cases[0]![0]))]);
    expect(nul.stderr).toContain('end of the text');
    // 65,536 characters of 4 bytes each are fine.
    const big = await alice.run(['--org', 'misc', 'ticket', 'import', '-'], { input: JSON.stringify([{ title: 'big', body: '😀'.repeat(65_536) }]) });
    expect(big.code, big.stderr).toBe(0);
  });

  it('names the record and the byte offset of invalid UTF-8, from a file and from stdin', async () => {
    const head = Buffer.from('[{"title":"a"},\n{"title":"b"},\n{"title":"c');
    const bytes = Buffer.concat([head, Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]);
    const fromFile = await alice.run(['--org', 'misc', 'ticket', 'import', file('latin.json', bytes)]);
    expect([fromFile.code, fromFile.stderr.split('\n')[0]]).toEqual([2, `tkt: record 3: the import "${path.join(sb.dir, 'latin.json')}" is not valid UTF-8 (at byte ${head.length})`]);
    const fromStdin = await alice.run(['--org', 'misc', 'ticket', 'import', '-'], { input: bytes });
    expect([fromStdin.code, fromStdin.stderr.split('\n')[0]]).toEqual([2, `tkt: record 3: the import on stdin is not valid UTF-8 (at byte ${head.length})`]);
  });
});

describe('other shapes of input', () => {
  it('reads NDJSON (what jq -c .[] writes) and CSV headers in any case', async () => {
    const ndjson = [{ title: 'nd one', external: 'jira#1' }, { title: 'nd two', labels: ['x'] }].map((r) => JSON.stringify(r)).join('\n') + '\n';
    const r = await alice.run(['--org', 'misc', 'ticket', 'import', file('lines.ndjson', ndjson), '--format', 'json']);
    expect([r.code, r.stdout.replace(/MI-\d+/g, 'K')]).toEqual([0, 'K\tnd one\nK\tnd two\n']);
    const csv = await alice.run(['--org', 'misc', 'ticket', 'import', file('caps.csv', 'TITLE,Status,CREATEDAT,External\ncsv one,Done,2024-01-01T00:00:00Z,jira#2\n')]);
    expect(csv.code, csv.stderr).toBe(0);
    const [t] = (await alice.run(['--org', 'misc', 'ticket', 'export', '--search', 'jira#2'])).json<any[]>();
    expect(t).toMatchObject({ title: 'csv one', status: 'done', createdAt: '2024-01-01T00:00:00.000Z', external: 'jira#2' });
  });

  it('finds CJK words inside text with no spaces; Latin words as before', async () => {
    const r = await alice.run(['--org', 'misc', 'ticket', 'import', '-'], {
      input: JSON.stringify([{ title: '日本語の検索が動かない' }, { title: '東京都庁' }, { title: 'Searching plain words' }]),
    });
    expect(r.code, r.stderr).toBe(0);
    const find = async (q: string) => (await alice.run(['--org', 'misc', 'ticket', 'list', '--status', 'all', '--search', q])).lines().map((l) => l.split('\t').at(-1));
    expect(await find('日本語')).toEqual(['日本語の検索が動かない', '日本語のタイトル']);
    expect(await find('検索')).toEqual(['日本語の検索が動かない']);
    expect(await find('動かない')).toEqual(['日本語の検索が動かない']);
    expect(await find('京')).toEqual(['東京都庁']);
    expect(await find('庁')).toEqual(['東京都庁']);
    expect(await find('京都')).toEqual(['東京都庁']);
    expect(await find('日本 検索')).toEqual(['日本語の検索が動かない']);
    expect(await find('本日')).toEqual([]);
    expect(await find('東京 日本')).toEqual([]);
    expect(await find('plain')).toEqual(['Searching plain words']);
    expect(await find('searc*')).toEqual(['Searching plain words']);
    expect(await find('earching')).toEqual([]);
  });
});
