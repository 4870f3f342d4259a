// A progress line for people on stderr, for work that may take a while (a large import). It shows
// only once the work has run for a second, redraws at most ten times a second, and is wiped when
// the work ends, so a quick command prints nothing extra. Writes are synchronous on a terminal,
// so it also draws while a store transaction holds the thread.

export interface Progress {
  /** `done` of `total` (total unknown: just the count). */
  update(label: string, done: number, total?: number): void;
  end(): void;
}

export const noProgress: Progress = { update: () => undefined, end: () => undefined };

export function progressLine(write: (text: string) => unknown, now: () => number = Date.now): Progress {
  const started = now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      if (t - started < 1000 || t - lastDraw < 100) return;
      lastDraw = t;
      drawn = true;
      const count = total ? `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}` : done.toLocaleString('en-US');
      const bar = total ? ` [${'#'.repeat(Math.round((20 * done) / total)).padEnd(20, '.')}]` : '';
      write(`\r\u001b[2K${label} ${count}${bar}`);
    },
    end() {
      if (drawn) write('\r\u001b[2K');
    },
  };
}
