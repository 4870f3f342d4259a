import { createRequire } from 'node:module';

// node:crypto takes several milliseconds to load, and most commands need none of it (a session is
// looked up by a SHA-256 computed in JavaScript, ./sha256.ts), so it is loaded on first use.
let cryptoModule: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  return (cryptoModule ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}
