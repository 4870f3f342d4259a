// The plain-JavaScript SHA-256 (src/lib/sha256.ts) must equal node:crypto's on every input:
// stores hold hashes made by either.
import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../src/lib/sha256.js';

const reference = (data: Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

describe('sha256', () => {
  it('matches the published test vectors', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto around every padding boundary', () => {
    for (let length = 0; length <= 200; length++) {
      const data = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      expect(sha256Hex(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('matches node:crypto on random bytes and on text (UTF-8)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => sha256Hex(data) === reference(data)));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) =>
        sha256(text) === crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
      ),
    );
  });

  it('hashes a large input like node:crypto', () => {
    const data = crypto.randomBytes(1 << 20);
    expect(sha256Hex(data)).toBe(reference(data));
  });
});
