import fs from 'node:fs';
import { usageError } from '../errors.js';

// The process's streams behind one object, so commands and tests never touch process.* directly.
export interface IO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function processIO(): IO {
  return { stdout: lazyStdout(), stderr: process.stderr, stdin: lazyStdin() };
}

/**
 * process.stdout, created only for a terminal: into a pipe or a file, output goes straight to fd 1
 * with synchronous writes, which is what process.stdout does there too (on Linux and macOS),
 * without creating the stream, which costs every command start-up time. A reader that went away
 * is an EPIPE error (main() ends the command quietly); a non-blocking pipe that is full hands the
 * rest over to process.stdout.
 */
function lazyStdout(): IO['stdout'] {
  if (maybeTerminal(1)) return process.stdout;
  let stream: NodeJS.WriteStream | undefined;
  return {
    write(text: string) {
      if (stream) return stream.write(text);
      let rest = Buffer.from(text, 'utf8');
      try {
        while (rest.length > 0) rest = rest.subarray(fs.writeSync(1, rest));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        stream = process.stdout;
        return stream.write(rest);
      }
      return true;
    },
  };
}

/**
 * process.stdin, created on first use: creating it costs every command start-up time (a file or
 * /dev/null on stdin loads Node's file streams), and most commands never read it. Whether it is a
 * terminal is answered without creating it when fd 0 is a pipe, a file, a socket or /dev/null.
 */
function lazyStdin(): IO['stdin'] {
  return new Proxy({} as IO['stdin'], {
    get(_, key) {
      if (key === 'isTTY' && !maybeTerminal(0)) return undefined;
      const stdin = process.stdin;
      const value = Reflect.get(stdin, key, stdin) as unknown;
      return typeof value === 'function' ? value.bind(stdin) : value;
    },
  });
}

function maybeTerminal(fd: number): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return false; // no such fd: not a terminal either
  }
  if (!stat.isCharacterDevice()) return false;
  try {
    return stat.rdev !== fs.statSync('/dev/null').rdev;
  } catch {
    return true; // no /dev/null here: ask the stream
  }
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
