// The attachment rules that need no store: safe base names, sizes, name-or-id references.
import { describe, expect, it } from 'vitest';
import { attachmentName, attachmentRef, formatSize, MAX_BASE_NAME_BYTES, parseSize, safeBaseName } from '../../src/domain/attachments.js';

describe('safeBaseName', () => {
  it.each([
    ['crash.log', 'crash.log'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\x', 'x'],
    ['a/b', 'b'],
    ['dir/', 'attachment-7'],
    ['-rf', 'rf'],
    ['--help', 'help'],
    ['.bashrc', 'bashrc'],
    ['..', 'attachment-7'],
    ['...', 'attachment-7'],
    ['', 'attachment-7'],
    ['name.', 'name'],
    ['\x1b[2Jwiped', '[2Jwiped'],
    ['evil\u202Egpj.exe', 'evilgpj.exe'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['tab\there', 'tabhere'],
    ['  spaced .txt', 'spaced .txt'],
    ['日本語.txt', '日本語.txt'],
  ])('%j → %j', (name, expected) => {
    expect(safeBaseName(name, 7)).toBe(expected);
  });

  it('cuts a long name to at most 200 bytes of UTF-8, keeping the extension and whole characters', () => {
    for (const long of ['a'.repeat(10_000), `${'é'.repeat(5_000)}.tar.gz`, `${'😀'.repeat(3_000)}.png`]) {
      const safe = safeBaseName(long, 1);
      expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(MAX_BASE_NAME_BYTES);
      expect(safe.length).toBeGreaterThan(40);
      expect(safe).not.toContain('\ufffd');
      if (long.includes('.')) expect(safe.endsWith(long.slice(long.lastIndexOf('.')))).toBe(true);
    }
  });
});

describe('sizes and references', () => {
  it('parses sizes in binary units and refuses anything else', () => {
    expect(parseSize('2GiB', 'q')).toBe(2 * 1024 ** 3);
    expect(parseSize('500 MiB', 'q')).toBe(500 * 1024 ** 2);
    expect(parseSize('1.5g', 'q')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('1048576', 'q')).toBe(1048576);
    for (const bad of ['', 'lots', '-1', '2 GiBs', '1e3', 'GiB']) expect(() => parseSize(bad, '--attachment-quota')).toThrow(/--attachment-quota/);
    expect(formatSize(25 * 1024 * 1024)).toBe('25 MiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(3)).toBe('3 B');
  });

  it('digits (or #digits) are an id, anything else a name; a name has no NUL and at most 10,000 characters', () => {
    expect(attachmentRef('12')).toEqual({ id: 12 });
    expect(attachmentRef('#3')).toEqual({ id: 3 });
    expect(attachmentRef('12.log')).toEqual({ name: '12.log' });
    expect(() => attachmentName('a\0b')).toThrow();
    expect(() => attachmentName('')).toThrow();
    expect(() => attachmentName('x'.repeat(10_001))).toThrow();
    expect(attachmentName('x'.repeat(10_000))).toHaveLength(10_000);
  });
});
