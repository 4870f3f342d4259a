// Every value rendered for people, or piped as plain text, is neutralised in the output layer: no
// raw control or bidi character reaches a terminal, and no field of a plain record holds a line
// break. JSON keeps the exact text.
import { describe, expect, it } from 'vitest';
import { render } from '../../src/output/render.js';
import { item, list, message, span, text, type CommandResult } from '../../src/output/types.js';

const HOSTILE = [
  '\u001b]0;pwned\u0007', // OSC: set the window title
  '\u001b[2J', // clear the screen
  'a\rb', // carriage return
  'x\u2028y', // line separator
  'p\u2029q', // paragraph separator
  'n\u0085m', // NEL
  'v\u000bf\u000c', // vertical tab, form feed
  '\u202eevil\u202c', // right-to-left override
  '\u2066iso\u2069', // bidi isolate
  'del\u007f', // DEL
  '\u009bc1', // C1 CSI
  'b\bs', // backspace
];

async function rendered(result: CommandResult, mode: { tty: boolean; json?: true; quiet?: boolean }) {
  let out = '';
  let err = '';
  await render(result, { out: (t) => (out += t), err: (t) => (err += t), tty: mode.tty, color: false }, { json: mode.json, quiet: mode.quiet ?? false });
  return { out, err };
}

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function results(value: string): CommandResult[] {
  return [
    list({ items: [{ v: value }], fields: ['v'], columns: [{ header: 'V', value: (i) => i.v }], id: (i) => i.v, message: value }),
    item({ item: { v: value }, fields: ['v'], details: [{ label: 'v', value: (i) => i.v }], id: (i) => i.v, extra: (i) => [[i.v], [span('strong', i.v)]] }),
    item({ item: { v: value }, fields: ['v'], details: [], id: (i) => i.v, primary: (i) => i.v }),
    message(value, { v: value }),
    text({ text: `${value}\n`, id: value }),
  ];
}

describe('rendering hostile text', () => {
  it.each(HOSTILE)('%j: nothing raw on a terminal or in a pipe, one record a line', async (value) => {
    for (const result of results(value)) {
      for (const mode of [{ tty: true }, { tty: false }, { tty: false, quiet: true }]) {
        const { out, err } = await rendered(result, mode);
        expect(out, JSON.stringify(mode)).not.toMatch(RAW);
        expect(err, JSON.stringify(mode)).not.toMatch(RAW);
        if (!mode.tty && result?.kind === 'list') expect(out.split('\n').filter(Boolean)).toHaveLength(1);
      }
    }
  });

  it.each(HOSTILE)('%j: JSON keeps the exact text', async (value) => {
    const { out } = await rendered(list({ items: [{ v: value }], fields: ['v'], columns: [], id: (i) => i.v }), { tty: true, json: true });
    expect(JSON.parse(out)).toEqual([{ v: value }]);
  });

  it('a verbatim document (CSV) is printed byte for byte', async () => {
    const csv = 'title\n"a\u001b[2Jb"\n';
    expect((await rendered(text({ text: csv, id: csv, verbatim: true }), { tty: false })).out).toBe(csv);
  });

  it('tabs and line breaks in a plain field become one space; text for people keeps its lines', async () => {
    const plain = await rendered(list({ items: [{ v: 'a\tb\r\nc' }], fields: ['v'], columns: [{ header: 'V', value: (i) => i.v }, { header: 'W', value: () => 'w' }], id: () => '' }), { tty: false });
    expect(plain.out).toBe('a b c\tw\n');
    expect((await rendered(text({ text: 'one\ntwo\u001b\n', id: '' }), { tty: true })).out).toBe('one\ntwo\\u001b\n');
  });

  it('a change on a terminal is one line for people; piped, its key; --json, the record', async () => {
    const change = item({ item: { key: 'ACME-3' }, fields: ['key'], details: [{ label: 'key', value: (t) => t.key }], id: (t) => t.key, primary: (t) => t.key, message: 'Assigned ACME-3 to bob@example.com.', summary: true });
    expect(await rendered(change, { tty: true })).toEqual({ out: '', err: 'Assigned ACME-3 to bob@example.com.\n' });
    expect((await rendered(change, { tty: false })).out).toBe('ACME-3\n');
    expect(JSON.parse((await rendered(change, { tty: true, json: true })).out)).toEqual({ key: 'ACME-3' });
  });
});
