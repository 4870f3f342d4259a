// The full-text index's terms are qualified by organization: ticket text from org 7 is indexed as
// `o7x<term>` for each of its terms, so a term or a prefix (`o7xzeb*`) is a range of the index
// that holds only org 7's entries, and the work of a search never depends on what other orgs
// store. The triggers of migrations/0002_ticket_search_org_terms.sql call tkt_search_text() to
// build the indexed text, so every connection that writes tickets or comments registers it.
import type Database from 'better-sqlite3';
import { searchTerms } from '../../lib/search-terms.js';
import type { SearchWord } from '../ports/tickets.js';

/** The prefix of every index term of an organization; the `x` ends the id (o1x… never starts o12x…). */
export function orgTag(orgId: number): string {
  return `o${orgId}x`;
}

const ASCII = /^[\x00-\x7f]*$/;
const ASCII_TERM = /[a-z0-9]+/g;

/** The text the index holds for `text` of org `orgId`: its terms, each qualified by the org. */
export function searchText(orgId: number, text: string): string {
  const tag = orgTag(orgId);
  if (ASCII.test(text)) {
    // searchTerms' ASCII terms (runs of letters and digits, lower-cased) in one match and one
    // join: an import computes this for every title and body (measured: a quarter less CPU).
    const terms = text.toLowerCase().match(ASCII_TERM);
    return terms === null ? '' : tag + terms.join(` ${tag}`);
  }
  return searchTerms(text)
    .map((term) => tag + term)
    .join(' ');
}

/** Whether this process's import writes the search rows itself (the insert triggers then do nothing). */
let deferred = 0;

/**
 * Runs `write` (inside the caller's transaction) with the search-index insert triggers off; the
 * caller builds the rows of what it inserted (searchRowsSql) before the transaction ends.
 */
export function withSearchDeferred<T>(write: () => T): T {
  deferred = 1;
  try {
    return write();
  } finally {
    deferred = 0;
  }
}

/** Registers tkt_search_text(org_id, text) and tkt_search_deferred() on a connection, for the search-index triggers. */
export function registerSearchFunctions(sqlite: Database.Database): void {
  sqlite.function('tkt_search_deferred', { deterministic: false }, () => deferred);
  sqlite.function('tkt_search_text', { deterministic: true }, (orgId: unknown, text: unknown) =>
    typeof orgId === 'number' || typeof orgId === 'bigint' ? searchText(Number(orgId), typeof text === 'string' ? text : '') : '',
  );
}

/**
 * The FTS5 expression for a search of org `orgId`: each word a phrase of org-qualified terms
 * (the last one a prefix for `word*`). Terms hold only letters and digits, so nothing the person
 * typed can become FTS syntax. Null when there is nothing to look up.
 */
export function ftsQuery(orgId: number, words: readonly SearchWord[]): string | null {
  const tag = orgTag(orgId);
  const phrases = words
    .filter((word) => word.terms.length > 0)
    .map((word) => `"${word.terms.map((term) => tag + term).join(' ')}"${word.prefix ? '*' : ''}`);
  if (phrases.length === 0) return null;
  return `{title body comments}: (${phrases.join(' ')})`;
}
