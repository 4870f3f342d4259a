// The terms of a text for full-text search, shared by the domain (what a search asks for) and
// the store (what its index holds), so both split and fold text the same way.
//
// Scripts that do not separate words by spaces (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer,
// Myanmar: "wide" runs below) have no words to index, so a run of them is indexed as its
// overlapping pairs of characters plus its last character alone (日本語 → 日本 本語 語), and a
// search for 日本語 is the phrase of its pairs (日本 本語): consecutive pairs, that is the
// characters anywhere in a run. One character alone is a prefix search (日 → 日*). Every other
// term is what it always was.

// Made on first use: Unicode property classes cost about a millisecond to build, and most
// commands never split text (measured: CPU profiles of `tkt auth status`).
const WIDE =
  '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}\\u3005\\u30fc\\uff70';
let patterns: { separator: RegExp; mark: RegExp; wide: RegExp; wideRun: RegExp } | undefined;
const compiled = () =>
  (patterns ??= {
    separator: /[^\p{L}\p{N}\p{Co}]+/u,
    mark: /\p{M}/gu,
    wide: new RegExp(`[${WIDE}]`, 'u'),
    wideRun: new RegExp(`[${WIDE}]+`, 'gu'),
  });

const ASCII = /^[\x00-\x7f]*$/;
const ASCII_SEPARATOR = /[^a-z0-9]+/;

function folded(text: string): string[] {
  // ASCII text has no marks to remove nor forms to normalise: the same terms, at a third of the cost.
  if (ASCII.test(text)) return text.toLowerCase().split(ASCII_SEPARATOR).filter((term) => term.length > 0);
  const { separator, mark } = compiled();
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(mark, '')
    .normalize('NFC')
    .split(separator)
    .filter((term) => term.length > 0);
}

/**
 * The pieces of a term with wide runs: pairs of characters, and a run's last character alone,
 * except (`openEnd`) for a run that ends the term: a search's last run is only its pairs, so
 * that it matches whatever follows it in the text. Returns whether the last piece is a lone
 * wide character (then a search takes it as a prefix).
 */
function widePieces(term: string, out: string[], openEnd: boolean): boolean {
  const { wideRun } = compiled();
  let last = 0;
  let lone = false;
  for (const m of term.matchAll(wideRun)) {
    if (m.index > last) out.push(term.slice(last, m.index));
    const chars = [...m[0]];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    last = m.index + m[0].length;
    const endsTerm = last === term.length;
    if (!(openEnd && endsTerm) || chars.length === 1) out.push(chars.at(-1)!);
    lone = endsTerm && chars.length === 1;
  }
  if (last < term.length) {
    out.push(term.slice(last));
    lone = false;
  }
  return lone;
}

/**
 * The terms of a text, in order: lower-cased, accents removed, split at every character that is
 * not a letter, a digit or private-use, wide runs as pairs of characters. Terms hold only ASCII
 * letters and digits and non-ASCII characters, so the index (the FTS5 ascii tokenizer) never
 * splits them further.
 */
export function searchTerms(text: string): string[] {
  const terms = folded(text);
  const { wide } = compiled();
  if (!terms.some((term) => wide.test(term))) return terms;
  const out: string[] = [];
  for (const term of terms) {
    if (wide.test(term)) widePieces(term, out, false);
    else out.push(term);
  }
  return out;
}

/** The terms of one word of a search; `prefix` when it ends in one wide character alone. */
export function searchWordTerms(word: string): { terms: string[]; prefix: boolean } {
  const terms = folded(word);
  const { wide } = compiled();
  const out: string[] = [];
  let prefix = false;
  terms.forEach((term, i) => {
    if (wide.test(term)) prefix = widePieces(term, out, i === terms.length - 1);
    else {
      out.push(term);
      prefix = false;
    }
  });
  return { terms: out, prefix };
}
