// The text the search index holds (src/store/sqlite/search-index.ts): its ASCII path (one match
// and one join, what an import computes for every title and body) gives exactly the org-qualified
// terms of searchTerms, for any text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../src/lib/search-terms.js';
import { searchText } from '../../src/store/sqlite/search-index.js';

const qualified = (orgId: number, text: string) =>
  searchTerms(text)
    .map((term) => `o${orgId}x${term}`)
    .join(' ');

describe('search text', () => {
  it('is the org-qualified terms of searchTerms, ASCII or not', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'aZz09 -_.,;:!?"\'()[]{}#@*/\\\t\n\x00\x1b\x7f') });
    const mixed = fc.string({ unit: fc.constantFrom(...'aZ9 -#\nÉéüß日本語', '\u0301') });
    fc.assert(
      fc.property(fc.oneof(ascii, mixed, fc.string()), fc.integer({ min: 1, max: 100_000 }), (text, orgId) => {
        expect(searchText(orgId, text)).toBe(qualified(orgId, text));
      }),
      { numRuns: 3000 },
    );
    expect(searchText(7, 'Foo-bar BAZ_9\ngithub#12')).toBe('o7xfoo o7xbar o7xbaz o7x9 o7xgithub o7x12');
    expect(searchText(7, ' -- ')).toBe('');
    expect(searchText(7, '')).toBe('');
  });
});
