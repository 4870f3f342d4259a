// The terms of a text for full-text search, shared by the domain (what a search asks for) and
// the store (what its index holds), so both split and fold text the same way.

// Made on first use: Unicode property classes cost about a millisecond to build, and most
// commands never split text (measured: CPU profiles of `tkt auth status`).
let patterns: { separator: RegExp; mark: RegExp } | undefined;
const compiled = () => (patterns ??= { separator: /[^\p{L}\p{N}\p{Co}]+/u, mark: /\p{M}/gu });

/**
 * The terms of a text, in order: lower-cased, accents removed, split at every character that is
 * not a letter, a digit or private-use. Terms hold only ASCII letters and digits and non-ASCII
 * characters, so the index (the FTS5 ascii tokenizer) never splits them further.
 */
export function searchTerms(text: string): string[] {
  const { separator, mark } = compiled();
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(mark, '')
    .normalize('NFC')
    .split(separator)
    .filter((term) => term.length > 0);
}

