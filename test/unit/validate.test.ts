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
