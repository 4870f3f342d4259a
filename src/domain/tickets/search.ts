// What a search means: the words of the text, each folded and split into terms exactly as the
// store splits ticket text for its index (src/lib/search-terms.ts).
import { usageError } from '../../errors.js';
import { searchWordTerms } from '../../lib/search-terms.js';
import type { SearchWord } from '../../store/ports/tickets.js';

/** More terms than this in one --search is a usage error: every term is a walk of the index. */
export const MAX_SEARCH_TERMS = 16;

/**
 * The words of a search. Everything but a final `*` is literal text; a word without letters or
 * digits (such as `"` or `--`) cannot be in the index and is left out, as it always was.
 */
export function searchWords(text: string): SearchWord[] {
  const words = text
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => {
      const star = word.length > 1 && word.endsWith('*');
      const { terms, prefix } = searchWordTerms(star ? word.slice(0, -1) : word);
      return { terms, prefix: star || prefix };
    })
    .filter((word) => word.terms.length > 0);
  const count = words.reduce((n, word) => n + word.terms.length, 0);
  if (count > MAX_SEARCH_TERMS) {
    throw usageError(
      `--search has ${count} terms; at most ${MAX_SEARCH_TERMS} are allowed`,
      'a term is a word, or each part of a word joined by punctuation (foo-bar is two terms)',
    );
  }
  return words;
}
