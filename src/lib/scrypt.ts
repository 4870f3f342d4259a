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

export async function verifyPassword(password: string, stored: string, derive: DeriveKey = scryptDerive): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const params = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await derive(password.normalize('NFC'), salt, expected.length, params);
  return nodeCrypto().timingSafeEqual(actual, expected);
}

/**
 * A hash to check a password against when the email is unknown: the same cost as a real one and
 * made without a derivation (fixed salt, an all-zero key that no password derives to in practice),
 * so that an unknown email costs exactly one derivation, like a wrong password.
 */
export function decoyHash(params: ScryptParams): string {
  return formatHash(params, Buffer.alloc(SALT_LENGTH, 0x5a), Buffer.alloc(KEY_LENGTH));
}
