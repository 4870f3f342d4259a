// The terms of a text for full-text search, shared by the domain (what a search asks for) and
// the store (what its index holds), so both split and fold text the same way.

const SEPARATOR = /[^\p{L}\p{N}\p{Co}]+/u;
const MARK = /\p{M}/gu;

/**
 * The terms of a text, in order: lower-cased, accents removed, split at every character that is
 * not a letter, a digit or private-use. Terms hold only ASCII letters and digits and non-ASCII
 * characters, so the index (the FTS5 ascii tokenizer) never splits them further.
 */
export function searchTerms(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(MARK, '')
    .normalize('NFC')
    .split(SEPARATOR)
    .filter((term) => term.length > 0);
}

