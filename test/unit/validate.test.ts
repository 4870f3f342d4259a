import { describe, expect, it } from 'vitest';
import * as validate from '../../src/domain/validate.js';

describe('input validation', () => {
  it('derives slugs and keys from names', () => {
    expect(validate.slugFromName('Acme Corp')).toBe('acme-corp');
    expect(validate.slugFromName('  Ünïcode — Straße!! ')).toBe('unicode-stra-e');
    expect(validate.slugFromName('日本')).toBeUndefined();
    expect(validate.slugFromName('🎉')).toBeUndefined();
    expect(validate.keyFromName('日本語')).toBeUndefined();
    expect(validate.keyFromName('🎉 2026')).toBeUndefined();
    expect(validate.keyFromName('Acme Corp')).toBe('ACME');
    expect(validate.keyFromName('Side Project')).toBe('SIDE');
    expect(validate.keyFromName('A Big Company')).toBe('ABC');
    expect(validate.keyFromName('X')).toBe('XX');
    expect(validate.keyFromName('Supercalifragilistic')).toBe('SUPERCALIF');
  });

  it('rejects NUL, control and bidi characters and over-long text', () => {
    const rule = { field: 'title', max: 10 };
    expect(validate.text('  ok  ', rule)).toBe('ok');
    expect(() => validate.text('a\u0000b', rule)).toThrow(/NUL/);
    expect(() => validate.text('a\u001bb', rule)).toThrow(/control/);
    expect(() => validate.text('a\u202eb', rule)).toThrow(/bidirectional/);
    expect(() => validate.text('x'.repeat(11), rule)).toThrow(/too long/);
    expect(() => validate.text('   ', rule)).toThrow(/empty/);
    expect(validate.text('line 1\r\nline 2\ttab', { field: 'body', max: 100, multiline: true })).toBe('line 1\nline 2\ttab');
  });

  it('counts characters of long texts in windows exactly as one pass of the segmenter would', () => {
    const whole = (v: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(v)].length;
    const parts = ['a', 'é', 'e\u0301', '😀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '\r\n', '日', '\u0301\u0302', 'ก\u0e31'];
    for (let seed = 0; seed < 20; seed++) {
      let text = '';
      for (let i = 0; text.length < 5000 + seed * 331; i++) text += parts[(i * (seed + 3) + (i >> 3)) % parts.length];
      expect(validate.characterCount(text), `seed ${seed}`).toBe(whole(text));
    }
    const started = Date.now();
    expect(validate.characterCount('😀'.repeat(70_000))).toBe(70_000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('normalises emails and checks slugs and keys', () => {
    expect(validate.email(' Alice@Example.COM ')).toBe('alice@example.com');
    expect(() => validate.email('not-an-email')).toThrow();
    expect(() => validate.slug('-bad')).toThrow();
    expect(validate.slug('good-1')).toBe('good-1');
    expect(() => validate.ticketKey('A')).toThrow();
    expect(() => validate.ticketKey('abc')).toThrow();
    expect(() => validate.password('short')).toThrow(/10 characters/);
  });
});

describe('lookalike emails (issue 11, item 11)', () => {
  it('NFKC-normalises and lower-cases, so compatibility forms and case are the same address', () => {
    expect(validate.email('ＡＬＩＣＥ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('alice@example.com'); // full-width
    expect(validate.email('Ａlice@Example.COM')).toBe('alice@example.com');
    expect(validate.email('ﬁnn@example.com')).toBe('finn@example.com'); // the "ﬁ" ligature
    expect(validate.email('e\u0301mile@example.com')).toBe('\u00e9mile@example.com'); // composed
    expect(validate.email('\u00c9MILE@example.com')).toBe('\u00e9mile@example.com');
    expect(validate.sameEmail('ＢＯＢ@example.com', 'bob@example.com')).toBe(true);
  });

  it('keeps a different script different, and refuses invisible characters', () => {
    expect(validate.email('\u0430lice@example.com')).not.toBe('alice@example.com'); // Cyrillic а
    expect(validate.sameEmail('\u0430lice@example.com', 'alice@example.com')).toBe(false);
    for (const hidden of ['al\u200bice@example.com', 'alice\u00ad@example.com', 'al\u2060ice@example.com', 'alice@exa\ufe0fmple.com']) {
      expect(() => validate.email(hidden), JSON.stringify(hidden)).toThrow(/not a valid email/);
    }
  });
});

describe('lengths count characters as people do (issue 11, item 14)', () => {
  // Each a single user-perceived character of several UTF-16 units and/or code points.
  const CHARACTERS = {
    emoji: '😀', // 2 UTF-16 units
    family: '👨‍👩‍👧‍👦', // 7 code points, 11 units
    flag: '🇯🇵', // 2 code points
    'combining marks': 'e\u0301\u0323', // e + acute + dot below
    CJK: '漢', // 1 unit, 3 UTF-8 bytes
    'CJK extension B': '𠀋', // 2 units
  };

  it.each(Object.entries(CHARACTERS))('%s: the limit is accepted, one more is refused', (_name, c) => {
    const rule = { field: 'title', max: 200 };
    expect(validate.text(c.repeat(200), rule)).toBe(c.repeat(200));
    expect(() => validate.text(c.repeat(201), rule)).toThrow('title is too long (201 characters, at most 200)');
    expect(validate.characterCount(c.repeat(7))).toBe(7);
  });

  it('a ticket title of 200 emoji, and a name of 100 with accents, are accepted', async () => {
    const { title } = await import('../../src/domain/tickets/rules.js');
    expect(title('🎉'.repeat(200))).toHaveLength(400);
    expect(() => title('🎉'.repeat(201))).toThrow(/201 characters, at most 200/);
    expect(validate.personName('Zoë'.repeat(33) + 'é')).toBeTruthy();
    expect(() => validate.personName('Zoë'.repeat(33) + 'éé')).toThrow(/101 characters, at most 100/);
  });

  it('one character cannot smuggle unbounded text: at most 10 code points a character', () => {
    const rule = { field: 'title', max: 200 };
    expect(() => validate.text('e' + '\u0301'.repeat(5000), rule)).toThrow(/too long \(5001 code points/);
    expect(validate.text('e' + '\u0301'.repeat(1999), rule)).toHaveLength(2000);
  });
});
