import { nodeCrypto } from '../lib/node-crypto.js';
import type { ScryptParams } from '../lib/scrypt.js';
import { sha256 } from '../lib/sha256.js';

/** Production cost: about 128 MiB and a few hundred milliseconds per hash on this class of machine. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** Recognisable prefixes, like GitHub's ghp_: secret scanners and people can tell what leaked. */
export const SECRET_PREFIX = { session: 'tkts_', token: 'tktp_', invite: 'tkti_' } as const;

/** 32 random bytes, shown once; only the SHA-256 is stored. */
export function newSecret(kind: keyof typeof SECRET_PREFIX): { secret: string; hash: string } {
  const secret = SECRET_PREFIX[kind] + nodeCrypto().randomBytes(32).toString('base64url');
  return { secret, hash: sha256(secret) };
}
