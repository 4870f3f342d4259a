// The streaming JSON scanner of a JSON import: takes a top-level array apart as its text arrives,
// or a sequence of objects (NDJSON, one object a line, or one object alone).

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Takes a top-level JSON array `[ e, e, … ]` apart, element by element, as its text arrives:
 * strings and brackets are followed to find where each element ends, and each element is parsed
 * by JSON.parse. Anything else sets `irregular` (JSON.parse of the whole text then decides).
 */
export class ArrayScanner {
  irregular = false;
  /** In a sequence of objects, what is wrong where the scan stopped (irregular). */
  problem = '';
  /** open: before `[`; first: after `[`; next: after a `,`; closed: after `]`; objects: a sequence of objects. */
  private stage: 'open' | 'first' | 'next' | 'closed' | 'objects' = 'open';
  /** Whether the text is a sequence of objects (NDJSON or one object) rather than an array. */
  get objects(): boolean {
    return this.stage === 'objects';
  }

  /** The complete elements at the start of `text` (the text after the last call's `used`), parsed. */
  scan(text: string, final: boolean): { elements: unknown[]; used: number } {
    const elements: unknown[] = [];
    let i = 0;
    const skipSpace = () => {
      while (isSpace(text.charCodeAt(i))) i++;
    };
    const stop = (irregular: boolean) => {
      this.irregular ||= irregular;
      return { elements, used: i };
    };
    for (;;) {
      skipSpace();
      if (i >= text.length) return stop(final && this.stage !== 'closed' && this.stage !== 'objects');
      const c = text.charCodeAt(i);
      if (this.stage === 'closed') return stop(true);
      if (this.stage === 'open' && c === 0x7b) this.stage = 'objects'; // {
      if (this.stage === 'objects') {
        if (c !== 0x7b) {
          this.problem = `${JSON.stringify(text[i])} where a record should start`;
          return stop(true);
        }
        const end = objectEnd(text, i);
        if (end < 0) {
          this.problem = 'the text ends inside the record';
          return stop(final);
        }
        try {
          elements.push(JSON.parse(text.slice(i, end)));
        } catch (err) {
          this.problem = (err as Error).message;
          return stop(true);
        }
        i = end;
        continue;
      }
      if (this.stage === 'open') {
        if (c !== 0x5b) return stop(true); // [
        this.stage = 'first';
        i++;
        continue;
      }
      if (this.stage === 'first' && c === 0x5d) {
        this.stage = 'closed';
        i++;
        continue;
      }
      const start = i;
      const end = elementEnd(text, i);
      if (end < 0) {
        i = start;
        return stop(final || end === -2);
      }
      try {
        elements.push(JSON.parse(text.slice(start, end)));
      } catch {
        i = start;
        return stop(true);
      }
      this.stage = text.charCodeAt(end) === 0x5d ? 'closed' : 'next';
      i = end + 1;
    }
  }
}

/**
 * Where the element starting at `start` ends: the index of the `,` or `]` after it; -1 when the
 * text ends first, -2 when a `}` closes nothing.
 */
function elementEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth === 0) return c === 0x5d ? i : -2;
      depth--;
    } else if (c === 0x2c && depth === 0) {
      return i;
    }
  }
  return -1;
}

/** The index just after the `}` that closes the object opening at `start`; -1 when the text ends first. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let i = text.indexOf('"', open + 1); i >= 0; i = text.indexOf('"', i + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return -1;
}
