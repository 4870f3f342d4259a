// `ticket import` reads a JSON file one record at a time, as its chunks arrive
// (src/domain/tickets/transfer.ts, jsonRecords), to keep a large import's memory down. Whatever the
// text and wherever it is cut into chunks, it must yield and throw exactly what parsing the whole
// text first did: the same records, the same first error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonRecords, NOT_RECORDS } from '../../src/domain/tickets/transfer.js';
import { TICKET_FIELDS } from '../../src/domain/tickets/index.js';

type Outcome = { records: unknown[] } | { error: string };
const where = (i: number) => `record ${i + 1}`;

/** The reading as it was: JSON.parse of everything, then a check of every element. */
function reference(text: string): Outcome {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: `the import is not valid JSON: ${(err as Error).message}` };
  }
  if (!Array.isArray(data)) return { error: NOT_RECORDS };
  for (const [i, record] of data.entries()) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return { error: `${where(i)}: expected an object with ticket fields` };
    const unknown = Object.keys(record).find((name) => ![...TICKET_FIELDS, 'comments'].includes(name));
    if (unknown !== undefined) return { error: `${where(i)}: unknown field ${JSON.stringify(unknown.length > 60 ? `${unknown.slice(0, 57)}…` : unknown)}` };
  }
  return { records: data };
}

/** The text in chunks cut at these places (none: the whole string at once). */
async function streamed(text: string, cuts: number[] = []): Promise<Outcome> {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const input = cuts.length === 0
    ? text
    : {
        async *chunks() {
          let from = 0;
          for (const to of [...at, text.length]) {
            yield text.slice(from, to);
            from = to;
          }
        },
      };
  const records: unknown[] = [];
  try {
    for await (const batch of jsonRecords(input, where)) records.push(...batch);
  } catch (err) {
    return { error: (err as Error).message };
  }
  return { records };
}

const field = fc.constantFrom(...TICKET_FIELDS, 'bogus', 'Title', '');
const tricky = fc.constantFrom('"', '\\', '\\\\', '\\"', '[', ']', '{', '}', ',', ' ', '\n', 'é', '😀', '\u2028');
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.array(tricky, { maxLength: 6 }).map((a) => a.join('')));
const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean(), fc.array(text, { maxLength: 3 }), fc.dictionary(text, text, { maxKeys: 2 }));
const record = fc.dictionary(field, value, { maxKeys: 5 });
const element = fc.oneof({ weight: 8, arbitrary: record }, { weight: 1, arbitrary: fc.jsonValue() });
const layout = fc.constantFrom(undefined, 2, '\t', ' \r\n ');
const documents = fc.tuple(fc.array(element, { maxLength: 6 }), layout).map(([items, indent]) => JSON.stringify(items, null, indent));

describe('reading a JSON import record by record', () => {
  it('gives what parsing the whole text gives, on valid documents, in one piece or in chunks', async () => {
    await fc.assert(
      fc.asyncProperty(documents, fc.array(fc.nat(), { maxLength: 8 }), async (doc, cuts) => {
        expect(await streamed(doc, cuts)).toEqual(reference(doc));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same records or the same first error on damaged documents', async () => {
    const damaged = fc
      .tuple(documents, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', ',', ']', '[', '}', '{', '"', '\\', ' ', 'x', '1', ',]')), { minLength: 1, maxLength: 3 }))
      .map(([doc, edits]) =>
        edits.reduce((t, [at, cut, insert]) => {
          const p = at % (t.length + 1);
          return t.slice(0, p) + insert + t.slice(p + cut);
        }, doc),
      );
    await fc.assert(
      fc.asyncProperty(damaged, fc.array(fc.nat(), { maxLength: 4 }), async (doc, cuts) => {
        // A text that starts with an object is a sequence of objects (NDJSON): see the next test.
        fc.pre(!doc.replace(/^[ \t\r\n]+/, '').startsWith('{'));
        expect(await streamed(doc, cuts)).toEqual(reference(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it('handles the edges by hand', async () => {
    for (const doc of ['[]', ' [ ] ', '[', ']', '', '"x"', '[1,]', '[,1]', '[{]}', '[{"title":"a"}]x', '[{"title":"a\\\\"}]', '[{"title":"a\\""}]',
      '[{"title":"]"},{"title":"}"}]', '[{"title":"x"} , {"title":"y"}\n]', '\uFEFF[]', '[{"title":"a"}{"title":"b"}]', '[[],{}]', '[{"x":1},{"title":1}]']) {
      expect(await streamed(doc), doc).toEqual(reference(doc));
      expect(await streamed(doc, [1, 3, 7, 12]), doc).toEqual(reference(doc));
    }
  });

  it('reads one object a line (NDJSON) or one object, and names the record that is not JSON', async () => {
    const ndjson = '{"title":"a"}\n{"title":"b\\n}{"}\r\n\n  {"title":"c",\n "body":"x"}\n';
    for (const cuts of [[], [1, 5, 14, 15, 20, 33], [3, 17, 30, 40]]) {
      expect(await streamed(ndjson, cuts)).toEqual({ records: [{ title: 'a' }, { title: 'b\n}{' }, { title: 'c', body: 'x' }] });
      expect(await streamed('{}', cuts)).toEqual({ records: [{}] });
      expect(await streamed('{"title":"a"}\n{"title":"b",}\n', cuts)).toMatchObject({ error: expect.stringMatching(/^the import is not valid JSON: record 2 \(one object a record\): /) });
      expect(await streamed('{"title":"a"}\n{"title":"b"', cuts)).toEqual({ error: 'the import is not valid JSON: record 2 (one object a record): the text ends inside the record' });
      expect(await streamed('{"title":"a"}\n[1]', cuts)).toEqual({ error: 'the import is not valid JSON: record 2 (one object a record): "[" where a record should start' });
      expect(await streamed('{"title":"a"}\n{"bogus":1}', cuts)).toEqual({ error: 'record 2: unknown field "bogus"' });
    }
  });
});
