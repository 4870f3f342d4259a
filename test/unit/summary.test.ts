import { describe, expect, it } from 'vitest';
import { counted, keyList, thousands } from '../../src/commands/shared/summary.js';
import { stripComments, titleAndBody } from '../../src/cli/editor.js';

describe('summary lines', () => {
  it('names three keys, then how many more', () => {
    expect(keyList(['A-1'])).toBe('A-1');
    expect(keyList(['A-1', 'A-2', 'A-3'])).toBe('A-1, A-2, A-3');
    expect(keyList(Array.from({ length: 1000 }, (_, i) => `A-${i + 1}`))).toBe('A-1, A-2, A-3 … and 997 more');
  });

  it('counts with thousands separators', () => {
    expect([thousands(999), thousands(1669), thousands(1234567)]).toEqual(['999', '1,669', '1,234,567']);
    expect([counted(1, 'ticket'), counted(1669, 'ticket')]).toEqual(['1 ticket', '1,669 tickets']);
  });
});

describe('editor text', () => {
  it('drops # lines and surrounding blank space; the first line is the title', () => {
    const text = stripComments('# help\n\nTitle  \n\n# more help\nbody 1\n  # kept: not at the start\n\n');
    expect(text).toBe('Title  \n\nbody 1\n  # kept: not at the start');
    expect(titleAndBody(text)).toEqual({ title: 'Title', body: 'body 1\n  # kept: not at the start' });
    expect(titleAndBody('Only a title')).toEqual({ title: 'Only a title', body: '' });
  });
});
