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
}

/** Trims (single-line) and checks a piece of text. */
export function text(value: string, rule: TextRule): string {
  const cleaned = rule.multiline ? value.replace(/\r\n/g, '\n') : value.trim();
  if (cleaned.includes('\u0000')) throw usageError(`${rule.field} contains a NUL byte`);
  if ((rule.multiline ? CONTROL : CONTROL_SINGLE_LINE).test(cleaned)) {
    throw usageError(`${rule.field} contains control characters`);
  }
  if (BIDI.test(cleaned)) throw usageError(`${rule.field} contains bidirectional override characters`);
  if (cleaned.includes('\ufffd')) throw usageError(`${rule.field} is not valid UTF-8`);
  const min = rule.min ?? 1;
  if (cleaned.length < min) throw usageError(`${rule.field} must not be empty`);
  if (cleaned.length > rule.max) {
    throw usageError(`${rule.field} is too long (${cleaned.length} characters, at most ${rule.max})`);
  }
  return cleaned;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: string, field = 'email'): string {
  const normalised = text(value, { field, max: 254 }).toLowerCase();
  if (!EMAIL.test(normalised)) throw usageError(`${field} is not a valid email address: ${JSON.stringify(value)}`);
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
