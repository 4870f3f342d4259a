// Password hashing with scrypt, in a self-describing format: scrypt$N$r$p$<salt b64>$<hash b64>,
// so the cost can be raised later without breaking old hashes.
import type { ScryptOptions } from 'node:crypto';
import { nodeCrypto } from './node-crypto.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    nodeCrypto().scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function maxmemFor({ N, r, p }: ScryptParams): number {
  // scrypt needs 128 * N * r * p bytes (plus a little); Node's default cap is 32 MiB.
  return 128 * N * r * p + 32 * 1024 * 1024;
}

export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = nodeCrypto().randomBytes(SALT_LENGTH);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: maxmemFor(params) });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const params = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = await scrypt(password.normalize('NFC'), salt, expected.length, {
    ...params,
    maxmem: maxmemFor(params),
  });
  return nodeCrypto().timingSafeEqual(actual, expected);
}
