// Streaming a large file through the PostgreSQL driver leaves a few short-lived Buffers per 256 KiB
// chunk (socket reads, the protocol message, the row's or parameter's copy). V8 frees a Buffer's
// memory only when a collection runs, and its external-memory heuristics let tens of MiB of dead
// Buffers pile up first: a 25 MiB `attachment get` peaked at 94-96 MiB of RSS against 56 MiB at rest,
// at the limit of 96. A full collection every few MiB keeps the peak near SQLite's, for a few
// milliseconds each (measured: add 93 -> 66 MiB, get 95 -> 84 MiB). `gc` is not exposed without
// --expose-gc, which a bin script cannot pass to node: the flag is set at run time
// (v8.setFlagsFromString) and the function taken from a context made after it, once, on the first
// 4 MiB of a transfer only.
import v8 from 'node:v8';
import vm from 'node:vm';

const EVERY_BYTES = 4 * 1024 * 1024;

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null; // a runtime without it streams all the same, with a higher peak
    }
  }
  return collect;
}

/** Counts the bytes a transfer moved and collects garbage every few MiB. */
export class GarbageBudget {
  private since = 0;

  moved(bytes: number): void {
    this.since += bytes;
    if (this.since < EVERY_BYTES) return;
    this.since = 0;
    collector()?.();
  }
}
