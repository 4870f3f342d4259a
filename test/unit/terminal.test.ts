// The terminal layer: what terminalOf decides from the streams and the environment, tables that
// fit the width, times for people, the pager hook, and prompts that validate on stderr.
import { PassThrough, Readable } from 'node:stream';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeStdinRead, renderTarget, terminalOf, type IO } from '../../src/cli/io.js';
import { createPrompter } from '../../src/cli/prompter.js';
import { render, type RenderTarget } from '../../src/output/render.js';
import { localAndRelative, relativeTime } from '../../src/output/time.js';
import { item, list } from '../../src/output/types.js';

function fakeIO(tty: { stdout: boolean; columns?: number; rows?: number; stdin?: boolean }, page?: IO['page']): IO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (io.out += t), isTTY: tty.stdout, columns: tty.columns, rows: tty.rows },
    stderr: { write: (t: string) => (io.err += t), isTTY: true },
    stdin: Object.assign(Readable.from([]), { isTTY: tty.stdin ?? false }),
    ...(page ? { page } : {}),
  };
  return io;
}

const wanted = { color: true, input: true };

describe('terminalOf', () => {
  it('colour: --no-color wins; FORCE_COLOR and CLICOLOR_FORCE beat NO_COLOR; otherwise only on a terminal', () => {
    const tty = fakeIO({ stdout: true });
    const pipe = fakeIO({ stdout: false });
    expect(terminalOf(tty, {}, wanted).color).toBe(true);
    expect(terminalOf(pipe, {}, wanted).color).toBe(false);
    expect(terminalOf(tty, { NO_COLOR: '1' }, wanted).color).toBe(false);
    expect(terminalOf(tty, { NO_COLOR: '' }, wanted).color).toBe(true); // empty counts as unset (no-color.org)
    expect(terminalOf(pipe, { FORCE_COLOR: '1' }, wanted).color).toBe(true);
    expect(terminalOf(pipe, { CLICOLOR_FORCE: '1' }, wanted).color).toBe(true);
    expect(terminalOf(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, wanted).color).toBe(true);
    expect(terminalOf(pipe, { FORCE_COLOR: '0' }, wanted).color).toBe(false);
    expect(terminalOf(pipe, { CLICOLOR_FORCE: '0' }, wanted).color).toBe(false);
    expect(terminalOf(tty, { FORCE_COLOR: '1' }, { color: false, input: true }).color).toBe(false);
  });

  it('TKT_FORCE_TTY renders for people into a pipe, but never starts a pager there', () => {
    const t = terminalOf(fakeIO({ stdout: false }), { TKT_FORCE_TTY: '1' }, wanted);
    expect([t.stdoutIsTTY, t.color, t.pager]).toEqual([true, true, undefined]);
    expect(terminalOf(fakeIO({ stdout: false }), { TKT_FORCE_TTY: '1', NO_COLOR: '1' }, wanted).color).toBe(false);
    expect(terminalOf(fakeIO({ stdout: false }), { TKT_FORCE_TTY: '0' }, wanted).stdoutIsTTY).toBe(false);
  });

  it('width: the terminal, then COLUMNS, then 80', () => {
    expect(terminalOf(fakeIO({ stdout: true, columns: 132 }), { COLUMNS: '100' }, wanted).width).toBe(132);
    expect(terminalOf(fakeIO({ stdout: true }), { COLUMNS: '100' }, wanted).width).toBe(100);
    expect(terminalOf(fakeIO({ stdout: false, columns: 132 }), { COLUMNS: 'wide' }, wanted).width).toBe(80);
  });

  it('pager: TKT_PAGER, then PAGER, then less -FRX; none when piped or set empty', () => {
    const tty = fakeIO({ stdout: true });
    expect(terminalOf(tty, {}, wanted).pager).toBe('less -FRX');
    expect(terminalOf(tty, { PAGER: 'more' }, wanted).pager).toBe('more');
    expect(terminalOf(tty, { PAGER: 'more', TKT_PAGER: 'most -s' }, wanted).pager).toBe('most -s');
    expect(terminalOf(tty, { PAGER: 'more', TKT_PAGER: '' }, wanted).pager).toBeUndefined();
    expect(terminalOf(tty, { PAGER: 'cat' }, wanted).pager).toBeUndefined();
    expect(terminalOf(fakeIO({ stdout: false }), { PAGER: 'more' }, wanted).pager).toBeUndefined();
  });

  it('prompting needs stdin and stderr terminals and no --no-input', () => {
    expect(terminalOf(fakeIO({ stdout: false, stdin: true }), {}, wanted).canPrompt).toBe(true);
    expect(terminalOf(fakeIO({ stdout: true, stdin: false }), {}, wanted).canPrompt).toBe(false);
    expect(terminalOf(fakeIO({ stdout: false, stdin: true }), {}, { color: true, input: false }).canPrompt).toBe(false);
  });
});

describe('paged results', () => {
  const many = list({
    items: Array.from({ length: 30 }, (_, n) => ({ n: String(n + 1) })),
    fields: ['n'],
    columns: [{ header: 'N', value: (i: { n: string }) => i.n }],
    id: (i) => i.n,
    paged: true,
  });

  it('long output goes to the pager with the rendered text; short output and unpaged results are printed', async () => {
    const paged: Array<[string, string]> = [];
    const io = fakeIO({ stdout: true, rows: 24 }, async (command, text) => (paged.push([command, text]), true));
    const target = renderTarget(io, terminalOf(io, { PAGER: 'more' }, wanted), 0);
    await render(many, target, { json: undefined, quiet: false });
    expect(paged).toHaveLength(1);
    expect(paged[0]![0]).toBe('more');
    expect(paged[0]![1].split('\n').slice(0, 3)).toEqual(['\u001b[1mN\u001b[22m', '1', '2']);
    expect(io.out).toBe('');
    await render({ ...many, items: many.items.slice(0, 5) }, target, { json: undefined, quiet: false });
    await render({ ...many, paged: undefined }, target, { json: undefined, quiet: false });
    expect(paged).toHaveLength(1);
    expect(io.out.split('\n').length).toBe(6 + 31 + 1);
  });

  it('--json and -q are never paged; a pager that cannot start leaves the text printed', async () => {
    const io = fakeIO({ stdout: true, rows: 10 }, async () => false);
    const target = renderTarget(io, terminalOf(io, {}, { color: false, input: true }), 0);
    await render(many, target, { json: undefined, quiet: false });
    expect(io.out.split('\n')).toHaveLength(32);
    let pagerCalls = 0;
    const io2 = fakeIO({ stdout: true, rows: 10 }, async () => (pagerCalls++, true));
    const target2 = renderTarget(io2, terminalOf(io2, {}, wanted), 0);
    await render(many, target2, { json: true, quiet: false });
    await render(many, target2, { json: undefined, quiet: true });
    expect(pagerCalls).toBe(0);
  });
});

async function table(result: Parameters<typeof render>[0], width: number, now = 0) {
  let out = '';
  const target: RenderTarget = { out: (t) => (out += t), err: () => undefined, tty: true, color: false, width, now };
  await render(result, target, { json: undefined, quiet: false });
  return out;
}

describe('tables fit the terminal', () => {
  const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
  const rows = [
    { key: 'ACME-1', status: 'in_progress', title: `A long title that keeps going well past the end of an eighty column terminal ${family}` },
    { key: 'ACME-2', status: 'open', title: `short ${family}` },
    { key: 'ACME-3', status: 'open', title: '漢字'.repeat(60) },
  ];
  const tickets = list({
    items: rows,
    fields: ['key', 'status', 'title'],
    columns: [
      { header: 'KEY', value: (t: (typeof rows)[number]) => t.key },
      { header: 'STATUS', value: (t) => t.status },
      { header: 'TITLE', value: (t) => t.title, flex: true },
    ],
    id: (t) => t.key,
  });

  it.each([40, 80, 160])('at %i columns no row is wider, and only the flexible column is cut, with …', async (width) => {
    const lines = (await table(tickets, width)).trimEnd().split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    expect(lines.map((l) => l.slice(0, 21))).toEqual(['KEY     STATUS       ', 'ACME-1  in_progress  ', 'ACME-2  open         ', 'ACME-3  open         ']);
    expect(lines[2]).toBe(`ACME-2  open         short ${family}`);
    expect(lines[3]!.endsWith('…')).toBe(true);
    expect(lines.join('')).not.toContain('\uFFFD');
  });

  it('never splits a grapheme: an emoji at the cut is kept whole or dropped whole', async () => {
    for (let width = 25; width <= 120; width++) {
      const out = await table(tickets, width);
      expect(Buffer.from(out, 'utf8').toString('utf8')).not.toContain('\uFFFD'); // no lone surrogate
      const title = out.split('\n')[1]!.slice(21);
      if (title.includes('\u{1F468}')) expect(title).toContain(family);
      expect(out).not.toMatch(/\u200D(?!\u{1F469}|\u{1F467})/u);
    }
  });

  it('wide enough: nothing is cut; without a flexible column the widest one gives way', async () => {
    expect(await table(tickets, 400)).toContain('漢字'.repeat(60) + '\n');
    const noFlex = { ...tickets, columns: tickets.columns.map(({ flex: _flex, ...c }) => c) };
    for (const line of (await table(noFlex, 80)).trimEnd().split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
  });
});

describe('times for people', () => {
  const saved = process.env.TZ;
  beforeAll(() => void (process.env.TZ = 'UTC'));
  afterAll(() => void (saved === undefined ? delete process.env.TZ : (process.env.TZ = saved)));
  const now = Date.parse('2026-11-29T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('relative within a week, then a date (with the year when not this year)', () => {
    expect(relativeTime(ago(10_000), now)).toBe('just now');
    expect(relativeTime(ago(60_000), now)).toBe('1 minute ago');
    expect(relativeTime(ago(3 * 3600_000 + 5), now)).toBe('3 hours ago');
    expect(relativeTime(ago(30 * 3600_000), now)).toBe('yesterday');
    expect(relativeTime(ago(3 * 86400_000), now)).toBe('3 days ago');
    expect(relativeTime('2026-11-02T09:00:00Z', now)).toBe('Nov 2');
    expect(relativeTime('2025-11-27T09:00:00Z', now)).toBe('Nov 27, 2025');
    expect(relativeTime('2026-12-24T09:00:00Z', now)).toBe('Dec 24'); // a clock ahead: a date, not "in …"
    expect(relativeTime('not a time', now)).toBe('not a time');
    expect(localAndRelative(ago(3 * 3600_000), now)).toBe('2026-11-29 09:00 (3 hours ago)');
  });

  it('on a terminal a time column and detail are relative; piped and JSON keep ISO 8601 UTC', async () => {
    const row = { key: 'ACME-1', updatedAt: ago(2 * 3600_000) };
    const result = list({
      items: [row],
      fields: ['key', 'updatedAt'],
      columns: [
        { header: 'KEY', value: (t: typeof row) => t.key },
        { header: 'UPDATED', value: (t) => t.updatedAt, time: 'relative' },
      ],
      id: (t) => t.key,
    });
    expect(await table(result, 80, now)).toBe('KEY     UPDATED\nACME-1  2 hours ago\n');
    let piped = '';
    await render(result, { out: (t) => (piped += t), err: () => undefined, tty: false, color: false, now }, { json: undefined, quiet: false });
    expect(piped).toBe(`ACME-1\t${row.updatedAt}\n`);
    const view = item({ item: row, fields: ['key', 'updatedAt'], details: [{ label: 'updated', value: (t) => t.updatedAt, time: 'both' }], id: (t) => t.key });
    expect(await table(view, 80, now)).toBe('updated: 2026-11-29 10:00 (2 hours ago)\n');
  });
});

describe('prompts', () => {
  it('ask on the given terminal stream (stderr), never stdout, and ask again until the answer is valid', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const prompter = createPrompter(true, { input, output });
    const answer = prompter.password('Password', '--password-stdin', {
      validate: (a) => (a.length < 8 ? 'at least 8 characters' : undefined),
    });
    const shows = async (text: string) => {
      for (let i = 0; i < 200 && !shown.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
      expect(shown).toContain(text);
    };
    await shows('Password');
    input.write('short\r');
    await shows('at least 8 characters');
    input.write(' and long\r'); // the refused answer stays, to be edited
    expect(await answer).toBe('short and long');
    expect(shown).not.toContain('short'); // masked
  });

  it('without a terminal, a question is a usage error naming the flag', async () => {
    await expect(createPrompter(false).input('Title', '--title')).rejects.toThrow(/prompting is off/);
  });

  it('reading - from a terminal says so on stderr; from a pipe it says nothing', () => {
    const tty = fakeIO({ stdout: false, stdin: true });
    noticeStdinRead(tty, 'the body');
    expect(tty.err).toBe('Reading the body from stdin; end with Ctrl-D.\n');
    const pipe = fakeIO({ stdout: false, stdin: false });
    noticeStdinRead(pipe, 'the body');
    expect([pipe.err, pipe.out]).toEqual(['', '']);
  });
});
