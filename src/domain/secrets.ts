import type { ScryptOptions } from 'node:crypto';
import { createRequire } from 'node:module';
import { sha256Hex } from './sha256.js';

// node:crypto takes several milliseconds to load, and most commands only need sha256 (below), so
// it is loaded when a password is hashed or a secret made.
let cryptoModule: typeof import('node:crypto') | undefined;
const crypto = () => (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** The one key derivation every password check and hash goes through; tests count its calls. */
export type DeriveKey = (password: string, salt: Buffer, keylen: number, params: ScryptParams) => Promise<Buffer>;

export const scryptDerive: DeriveKey = (password, salt, keylen, params) => {
  const options: ScryptOptions = { ...params, maxmem: maxmemFor(params) };
  return new Promise((resolve, reject) =>
    crypto().scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
};

/** Production cost: about 128 MiB and a few hundred milliseconds per hash on this class of machine. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function maxmemFor({ N, r, p }: ScryptParams): number {
  // scrypt needs 128 * N * r * p bytes (plus a little); Node's default cap is 32 MiB.
  return 128 * N * r * p + 32 * 1024 * 1024;
}

/** Format: scrypt$N$r$p$<salt b64>$<hash b64>, so the cost can be raised later without breaking old hashes. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT,
  derive: DeriveKey = scryptDerive,
): Promise<string> {
  const salt = crypto().randomBytes(SALT_LENGTH);
  const key = await derive(password.normalize('NFC'), salt, KEY_LENGTH, params);
  return formatHash(params, salt, key);
}

function formatHash(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string, derive: DeriveKey = scryptDerive): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const params = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await derive(password.normalize('NFC'), salt, expected.length, params);
  return crypto().timingSafeEqual(actual, expected);
}

/**
 * A hash to check a password against when the email is unknown: the same cost as a real one and
 * made without a derivation (fixed salt, an all-zero key that no password derives to in practice),
 * so that an unknown email costs exactly one derivation, like a wrong password.
 */
export function decoyHash(params: ScryptParams = DEFAULT_SCRYPT): string {
  return formatHash(params, Buffer.alloc(SALT_LENGTH, 0x5a), Buffer.alloc(KEY_LENGTH));
}

export function sha256(value: string): string {
  return sha256Hex(Buffer.from(value, 'utf8'));
}

/** Recognisable prefixes, like GitHub's ghp_: secret scanners and people can tell what leaked. */
export const SECRET_PREFIX = { session: 'tkts_', token: 'tktp_', invite: 'tkti_' } as const;

/** 32 random bytes, shown once; only the SHA-256 is stored. */
export function newSecret(kind: keyof typeof SECRET_PREFIX): { secret: string; hash: string } {
  const secret = SECRET_PREFIX[kind] + crypto().randomBytes(32).toString('base64url');
  return { secret, hash: sha256(secret) };
}
