import fs from 'node:fs';
import { usageError } from '../errors.js';

// The process's streams behind one object, so commands and tests never touch process.* directly.
export interface IO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function processIO(): IO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: lazyStdin() };
}

/**
 * process.stdin, created on first use: creating it costs every command start-up time (a file on
 * stdin loads Node's file streams), and most commands never read it. Whether it is a terminal is
 * answered without creating it when fd 0 is a pipe, a file or a socket (never a terminal).
 */
function lazyStdin(): IO['stdin'] {
  return new Proxy({} as IO['stdin'], {
    get(_, key) {
      if (key === 'isTTY') {
        try {
          if (!fs.fstatSync(0).isCharacterDevice()) return undefined;
        } catch {
          return undefined; // no fd 0 at all
        }
      }
      const stdin = process.stdin;
      const value = Reflect.get(stdin, key, stdin) as unknown;
      return typeof value === 'function' ? value.bind(stdin) : value;
    },
  });
}

/** Reads all of stdin as strict UTF-8 (invalid bytes are an error, not U+FFFD), at most maxBytes. */
export async function readAllStdin(io: IO, what: string, maxBytes = 1024 * 1024): Promise<string> {
  return decodeUtf8(await readCapped(io.stdin, what, maxBytes), what);
}

/** A stream's chunks, refusing (exit 2) more than maxBytes in all: `--body-file /dev/zero` must not eat memory. */
async function* cappedChunks(stream: NodeJS.ReadableStream, what: string, maxBytes: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw usageError(`${what} is too large (more than ${formatBytes(maxBytes)})`);
    }
    yield bytes;
  }
}

/** Reads a stream to its end, at most maxBytes. */
export async function readCapped(stream: NodeJS.ReadableStream, what: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const bytes of cappedChunks(stream, what, maxBytes)) chunks.push(bytes);
  return Buffer.concat(chunks);
}

/**
 * A stream's text chunk by chunk, for an input too large to hold twice (an import): the same
 * checks as readCapped + decodeUtf8, with the same outcome when both fail (too large wins).
 */
export async function* readTextChunks(stream: NodeJS.ReadableStream, what: string, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let invalid = false;
  for await (const bytes of cappedChunks(stream, what, maxBytes)) {
    if (invalid) continue;
    try {
      const text = decoder.decode(bytes, { stream: true });
      if (text !== '') yield text;
    } catch {
      invalid = true; // reported once the whole stream is read, as decodeUtf8 would
    }
  }
  try {
    if (!invalid) yield decoder.decode();
  } catch {
    invalid = true;
  }
  if (invalid) throw usageError(`${what} is not valid UTF-8`);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw usageError(`${what} is not valid UTF-8`);
  }
}
