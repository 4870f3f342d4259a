import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/output/progress.js';

describe('the progress line of a long import', () => {
  function clocked() {
    let t = 0;
    let out = '';
    const line = progressLine((s) => (out += s), () => t);
    return { line, at: (ms: number) => (t = ms), out: () => out };
  }

  it('says nothing for work that ends within a second, and leaves nothing behind', () => {
    const p = clocked();
    p.at(500);
    p.line.update('Importing tickets:', 10, 100);
    p.line.end();
    expect(p.out()).toBe('');
  });

  it('after a second draws count and bar on one line, redraws at most every 100 ms, and wipes it at the end', () => {
    const p = clocked();
    p.at(1000);
    p.line.update('Importing tickets:', 50_000, 100_000);
    p.at(1050);
    p.line.update('Importing tickets:', 60_000, 100_000); // too soon: skipped
    p.at(1200);
    p.line.update('Reading records:', 70_000);
    p.line.end();
    expect(p.out()).toBe(
      '\r\u001b[2KImporting tickets: 50,000 of 100,000 [##########..........]' + '\r\u001b[2KReading records: 70,000' + '\r\u001b[2K',
    );
  });
});
