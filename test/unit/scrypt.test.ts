// A stored password hash is data from the store: one with parameters tkt never writes (damage or
// tampering) must not verify, must not make node:crypto throw (exit 1), and must not cost a
// derivation at whatever N, r and p it names (issue 11 #13).
import { describe, expect, it } from 'vitest';
import { hashPassword, scryptDerive, verifyPassword, type DeriveKey } from '../../src/lib/scrypt.js';
import { FAST_SCRYPT } from '../support/memory.js';

const PASSWORD = 'correct horse battery';

function counting(): { derive: DeriveKey; calls: () => number } {
  let calls = 0;
  return { derive: (...args) => (calls++, scryptDerive(...args)), calls: () => calls };
}

describe('verifyPassword with a damaged stored hash', () => {
  it('a well-formed hash still verifies (the control)', async () => {
    const stored = await hashPassword(PASSWORD, FAST_SCRYPT);
    const c = counting();
    expect(await verifyPassword(PASSWORD, stored, c.derive)).toBe(true);
    expect(await verifyPassword('wrong', stored, c.derive)).toBe(false);
    expect(c.calls()).toBe(2);
  });

  it.each([
    ['N not a power of two', (p: string[]) => ((p[1] = '1000'), p)],
    ['N = 1', (p: string[]) => ((p[1] = '1'), p)],
    ['N = 0', (p: string[]) => ((p[1] = '0'), p)],
    ['huge N', (p: string[]) => ((p[1] = String(2 ** 40)), p)],
    ['huge r', (p: string[]) => ((p[2] = '1000000000'), p)],
    ['huge p', (p: string[]) => ((p[3] = '1000000000'), p)],
    ['N * r * p past the memory cap', (p: string[]) => ((p[1] = String(2 ** 20)), (p[2] = '32'), (p[3] = '16'), p)],
    ['negative r', (p: string[]) => ((p[2] = '-8'), p)],
    ['negative p', (p: string[]) => ((p[3] = '-1'), p)],
    ['NaN N', (p: string[]) => ((p[1] = 'NaN'), p)],
    ['fractional r', (p: string[]) => ((p[2] = '8.5'), p)],
    ['empty N', (p: string[]) => ((p[1] = ''), p)],
    ['N in hex', (p: string[]) => ((p[1] = '0x400'), p)],
    ['empty key', (p: string[]) => ((p[5] = ''), p)],
    ['a one-byte key', (p: string[]) => ((p[5] = 'AA=='), p)],
    ['empty salt', (p: string[]) => ((p[4] = ''), p)],
    ['key not base64', (p: string[]) => ((p[5] = '!!!!'), p)],
  ])('%s: false, without deriving and without throwing', async (_, damage) => {
    const parts = (await hashPassword(PASSWORD, FAST_SCRYPT)).split('$');
    const stored = damage(parts).join('$');
    const c = counting();
    // The right password: only the damage can make it fail.
    await expect(verifyPassword(PASSWORD, stored, c.derive)).resolves.toBe(false);
    expect(c.calls()).toBe(0);
  });
});
