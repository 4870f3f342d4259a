// The terms of search (src/lib/search-terms.ts): Latin text splits as it always did (the ASCII fast
// path gives what the Unicode path gives), and text without spaces between words (CJK) becomes
// pairs of characters, so that a search finds a run inside a longer one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchTerms, searchWordTerms } from '../../src/lib/search-terms.js';

/** The terms as they were before issue 12 (one path for every text). */
const before = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter((t) => t.length > 0);

describe('search terms', () => {
  it('are what they were for any text without CJK, Thai, Lao, Khmer or Myanmar', () => {
    const latin = fc.string({ unit: fc.constantFrom(...'aZ09 -_.,;:!?"\'()[]{}#@*/\\\t\nÉéüßçøÅ', '\u0301', 'ŉ', 'İ', 'Ω', 'я', 'ا') });
    fc.assert(fc.property(fc.oneof(fc.string(), latin), (text) => {
      if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3005\u30fc\uff70]/u.test(text)) return;
      expect(searchTerms(text)).toEqual(before(text));
    }), { numRuns: 3000 });
    expect(searchTerms('Foo-bar BAZ_9 Çava')).toEqual(['foo', 'bar', 'baz', '9', 'cava']);
  });

  it('index CJK runs as pairs and the last character; a search is the pairs, one character a prefix', () => {
    expect(searchTerms('日本語のテキスト')).toEqual(['日本', '本語', '語の', 'のテ', 'テキ', 'キス', 'スト', 'ト']);
    expect(searchTerms('abc日本 x')).toEqual(['abc', '日本', '本', 'x']);
    expect(searchTerms('京')).toEqual(['京']);
    expect(searchWordTerms('日本語')).toEqual({ terms: ['日本', '本語'], prefix: false });
    expect(searchWordTerms('京')).toEqual({ terms: ['京'], prefix: true });
    expect(searchWordTerms('日本語-abc')).toEqual({ terms: ['日本', '本語', '語', 'abc'], prefix: false });
    expect(searchWordTerms('foo')).toEqual({ terms: ['foo'], prefix: false });
  });
});
