import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../src/lib/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('open', 'open')).toBe(0);
    expect(editDistance('opne', 'open')).toBe(1); // a swap
    expect(editDistance('opn', 'open')).toBe(1);
    expect(editDistance('dne', 'done')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('nearest', () => {
  const statuses = ['open', 'in_progress', 'done', 'canceled'];
  it('finds the candidate a typo was meant to be', () => {
    expect(nearest('opne', statuses)).toBe('open');
    expect(nearest('cancelled', statuses)).toBe('canceled');
    expect(nearest('in_progres', statuses)).toBe('in_progress');
    expect(nearest('DOEN', statuses)).toBe('done');
    expect(nearest('urgnet', ['none', 'low', 'medium', 'high', 'urgent'])).toBe('urgent');
  });
  it('suggests nothing for a word far from every candidate', () => {
    expect(nearest('banana', statuses)).toBeUndefined();
    expect(nearest('x', ['number', 'created'])).toBeUndefined();
  });
  it('prefers the nearer candidate', () => {
    expect(nearest('hig', ['high', 'low'])).toBe('high');
    expect(nearest('lo', ['low', 'high'])).toBe('low');
  });
});
