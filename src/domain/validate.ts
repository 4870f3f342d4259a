// Input rules shared by every use case. Each failure is a usage error (exit 2) naming the field.
import { usageError } from '../errors.js';
import { nearest } from '../lib/suggest.js';
import { quoted } from '../lib/text.js';

// C0/C1 controls (tab and newline are allowed only in multi-line text) and bidi overrides,
// which can make a title display as something other than what it is (Trojan Source).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

export interface TextRule {
  field: string;
  max: number;
  min?: number;
  multiline?: boolean;
  /** U+FFFD is a character of the text (an import), not the mark of a decoding error (argv). */
  replacementCharacter?: boolean;
}

/** Trims (single-line) and checks a piece of text. */
export function text(value: string, rule: TextRule): string {
  const cleaned = rule.multiline ? value.replace(/\r\n/g, '\n') : value.trim();
  if (cleaned.includes('\u0000')) throw nulError(rule.field);
  if ((rule.multiline ? CONTROL : CONTROL_SINGLE_LINE).test(cleaned)) {
    throw usageError(`${rule.field} contains control characters`);
  }
  if (BIDI.test(cleaned)) throw usageError(`${rule.field} contains bidirectional override characters`);
  if (!rule.replacementCharacter && cleaned.includes('\ufffd')) throw usageError(`${rule.field} is not valid UTF-8`);
  const min = rule.min ?? 1;
  if (cleaned.length < min) throw usageError(`${rule.field} must not be empty`);
  checkLength(cleaned, rule);
  return cleaned;
}

/** NUL is the one character no text of tkt holds: say why. */
export function nulError(field: string) {
  return usageError(
    `${field} contains a NUL character (U+0000)`,
    'NUL is the one character tkt does not store: C programs, terminals and many tools take it as the end of the text; remove it',
  );
}

/**
 * How many characters a person sees: user-perceived characters (extended grapheme clusters), so
 * an emoji, a flag, a family emoji or a letter with its accents counts as one, whatever its
 * number of code points or UTF-16 units.
 */
export function characterCount(value: string): number {
  // Segmented a window at a time: Intl.Segmenter's iteration takes time quadratic in the length
  // of the text (measured: 12 s for 65,536 characters, 25 ms in windows). A window's last
  // character may go on past it, so the next window starts there.
  let n = 0;
  for (let start = 0; start < value.length; ) {
    const end = start + SEGMENT_WINDOW;
    if (end >= value.length) {
      for (const _ of graphemes().segment(value.slice(start))) n++;
      break;
    }
    // The last two characters of a window are counted again from the next window: the last may
    // go on past it, and a cut inside a surrogate pair can hide that the one before goes on.
    let count = 0;
    let last = 0;
    let beforeLast = 0;
    for (const s of graphemes().segment(value.slice(start, end))) {
      count++;
      beforeLast = last;
      last = s.index;
    }
    // One or two characters longer than a window (thousands of marks): counted as one, the rest anew.
    if (beforeLast === 0) {
      n++;
      start = end;
    } else {
      n += count - 2;
      start += beforeLast;
    }
  }
  return n;
}

const SEGMENT_WINDOW = 2048;

let segmenter: Intl.Segmenter | undefined;
const graphemes = () => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

/**
 * One character may carry any number of combining marks ("Zalgo" text), so a limit in characters
 * alone would not bound the size: a value may also hold at most this many code points per
 * character of its limit (the longest emoji sequences have 10).
 */
export const MAX_CODE_POINTS_PER_CHARACTER = 10;

/** Below U+0300 (where combining marks start) every code point is a character of its own (CR is refused). */
const SIMPLE = /^[\u0000-\u02ff]*$/;

/** At most rule.max characters (user-perceived characters, as characterCount counts them). */
export function checkLength(value: string, rule: TextRule): void {
  // Never more characters than UTF-16 units: the common case needs no segmenting.
  if (value.length <= rule.max) return;
  if (SIMPLE.test(value)) throw usageError(`${rule.field} is too long (${value.length} characters, at most ${rule.max})`);
  let codePoints = 0;
  for (const _ of value) codePoints++;
  // Never more characters than code points.
  if (codePoints <= rule.max) return;
  if (codePoints > rule.max * MAX_CODE_POINTS_PER_CHARACTER) {
    throw usageError(
      `${rule.field} is too long (${codePoints} code points; at most ${rule.max} characters of ${MAX_CODE_POINTS_PER_CHARACTER} code points each)`,
    );
  }
  const count = characterCount(value);
  if (count > rule.max) throw usageError(`${rule.field} is too long (${count} characters, at most ${rule.max})`);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Invisible in an address: zero-width spaces and joiners, soft hyphens, variation selectors… */
// Built on first use: a Unicode property class costs about half a millisecond of every start.
let invisible: RegExp | undefined;
const invisibleChar = () => (invisible ??= /\p{Default_Ignorable_Code_Point}/u);

/**
 * The one form of an email address that tkt stores and compares: NFKC (full-width and other
 * compatibility forms become their plain letters: ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ is
 * alice@example.com), then lower case, then NFKC again (lower-casing can leave a non-NFKC form).
 */
export function normaliseEmail(value: string): string {
  return value.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** Whether two addresses are the same person's, compared in the one stored form. */
export function sameEmail(a: string, b: string): boolean {
  return normaliseEmail(a) === normaliseEmail(b);
}

export function email(value: string, field = 'email'): string {
  const normalised = text(normaliseEmail(value), { field, max: 254 });
  if (!EMAIL.test(normalised) || invisibleChar().test(normalised)) {
    throw usageError(`${field} is not a valid email address: ${JSON.stringify(value)}`);
  }
  return normalised;
}

export function personName(value: string): string {
  return text(value, { field: 'name', max: 100 });
}

export const MIN_PASSWORD_LENGTH = 10;

export function password(value: string): string {
  if (value.length < MIN_PASSWORD_LENGTH) {
    throw usageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  if (value.length > 1024) throw usageError('the password is too long (at most 1024 characters)');
  if (value.includes('\u0000')) throw usageError('the password contains a NUL byte');
  return value;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const KEY = /^[A-Z]{2,10}$/;

export function slug(value: string, field = 'slug'): string {
  if (!SLUG.test(value)) {
    throw usageError(
      `invalid ${field} ${JSON.stringify(value)}`,
      'a slug is 1-40 characters of a-z, 0-9 and -, not starting or ending with -',
    );
  }
  return value;
}

export function ticketKey(value: string): string {
  if (!KEY.test(value)) throw usageError(`invalid key ${JSON.stringify(value)}`, 'a key is 2-10 upper-case letters A-Z');
  return value;
}

function ascii(value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** "Acme Corp" → acme-corp; undefined when the name has no Latin letter or digit to make one of. */
export function slugFromName(name: string): string | undefined {
  const base = ascii(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return base || undefined;
}

/** "Acme Corp" → ACME: the first word's letters, else the initials, padded to two letters; undefined without a Latin letter. */
export function keyFromName(name: string): string | undefined {
  const words = ascii(name)
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter(Boolean);
  if (words.length === 0) return undefined;
  const first = words[0]!.slice(0, 10);
  if (first.length >= 2) return first;
  const initials = words.map((w) => w[0]).join('').slice(0, 10);
  if (initials.length >= 2) return initials;
  return (first + 'XX').slice(0, 2);
}

/**
 * One of `allowed`, in any case, `-` or a space standing for `_` (`In-Progress`, "in progress"),
 * or an alias; anything else is a usage error that suggests the nearest spelling.
 */
export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string, aliases: Record<string, T> = {}): T {
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((allowed as readonly string[]).includes(v)) return v as T;
  if (Object.hasOwn(aliases, v)) return aliases[v]!;
  const guess = nearest(v, [...allowed, ...Object.keys(aliases)]);
  const suggestion = guess === undefined ? '' : `did you mean ${quoted((allowed as readonly string[]).includes(guess) ? guess : aliases[guess]!)}? `;
  throw usageError(`unknown ${what} ${quoted(value)}`, `${suggestion}valid ${what} values: ${allowed.join(', ')}`);
}
