// Password hashing with scrypt, in a self-describing format: scrypt$N$r$p$<salt b64>$<hash b64>,
// so the cost can be raised later without breaking old hashes.
import type { ScryptOptions } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** The key derivation, injectable so that a test can count derivations (login timing). */
export type DeriveKey = (password: string, salt: Buffer, keylen: number, params: ScryptParams) => Promise<Buffer>;

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function maxmemFor({ N, r, p }: ScryptParams): number {
  // scrypt needs 128 * N * r * p bytes (plus a little); Node's default cap is 32 MiB.
  return 128 * N * r * p + 32 * 1024 * 1024;
}

export const scryptDerive: DeriveKey = (password, salt, keylen, params) => {
  const options: ScryptOptions = { ...params, maxmem: maxmemFor(params) };
  return new Promise((resolve, reject) =>
    nodeCrypto().scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
};

export async function hashPassword(password: string, params: ScryptParams, derive: DeriveKey = scryptDerive): Promise<string> {
  const salt = nodeCrypto().randomBytes(SALT_LENGTH);
  const key = await derive(password.normalize('NFC'), salt, KEY_LENGTH, params);
  return formatHash(params, salt, key);
}

function formatHash(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

// What a stored hash may ask for. Anything outside is not a hash tkt wrote (damage or tampering),
// and deriving with it could take minutes or gigabytes, or make node:crypto throw: it never verifies.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 1024 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function validParams({ N, r, p }: ScryptParams): boolean {
  const whole = (n: number, max: number) => Number.isSafeInteger(n) && n >= 1 && n <= max;
  return whole(N, MAX_N) && N >= 2 && (N & (N - 1)) === 0 && whole(r, MAX_R) && whole(p, MAX_P) && 128 * N * r * p <= MAX_MEMORY;
}

/** scrypt$N$r$p$salt$key with parameters in range and a non-empty salt and key; else undefined. */
function parseHash(stored: string): { params: ScryptParams; salt: Buffer; expected: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((x) => /^[0-9]{1,10}$/.test(x))) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!validParams(params) || !BASE64.test(salt) || !BASE64.test(key)) return undefined;
  const expected = Buffer.from(key, 'base64');
  if (expected.length < 16 || expected.length > 64) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), expected };
}

export async function verifyPassword(password: string, stored: string, derive: DeriveKey = scryptDerive): Promise<boolean> {
  const hash = parseHash(stored);
  if (!hash) return false;
  const actual = await derive(password.normalize('NFC'), hash.salt, hash.expected.length, hash.params);
  return nodeCrypto().timingSafeEqual(actual, hash.expected);
}

/**
 * A hash to check a password against when the email is unknown: the same cost as a real one and
 * made without a derivation (fixed salt, an all-zero key that no password derives to in practice),
 * so that an unknown email costs exactly one derivation, like a wrong password.
 */
export function decoyHash(params: ScryptParams): string {
  return formatHash(params, Buffer.alloc(SALT_LENGTH, 0x5a), Buffer.alloc(KEY_LENGTH));
}

/**
 * The hash `password` would have under stored parameters without their key (scrypt$N$r$p$salt, what
 * a PostgreSQL store hands out instead of the hash): the database compares it with the stored one.
 * Unparsable parameters give the decoy's (one derivation, like a wrong password).
 */
export async function hashLike(password: string, paramsAndSalt: string | null, fallback: ScryptParams, derive: DeriveKey = scryptDerive): Promise<string> {
  const parsed = paramsAndSalt !== null ? parseHash(`${paramsAndSalt}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`) : undefined;
  const { params, salt, expected } = parsed ?? parseHash(decoyHash(fallback))!;
  const key = await derive(password.normalize('NFC'), salt, expected.length, params);
  return formatHash(params, salt, key);
}
