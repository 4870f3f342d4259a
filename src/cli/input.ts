// Reading what a command is given as a file or on stdin: strict UTF-8, capped in size, with the
// same messages whatever the source.
import fs from 'node:fs';
import path from 'node:path';
import { TktError, usageError } from '../errors.js';
import { quoted } from '../lib/text.js';
import { noticeStdinRead, type IO } from './io.js';

/** Reads all of stdin as strict UTF-8 (invalid bytes are an error, not U+FFFD), at most maxBytes. */
export async function readAllStdin(io: IO, what: string, maxBytes = 1024 * 1024): Promise<string> {
  return decodeUtf8(await readCapped(io.stdin, what, maxBytes), what);
}

/** The lines of stdin (at most 64 KiB): a final line break ends the last line, it starts no empty one. */
export async function readStdinLines(io: IO, what: string): Promise<string[]> {
  return (await readAllStdin(io, what, 64 * 1024)).replace(/\r?\n$/, '').split(/\r?\n/);
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

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  ENAMETOOLONG: 'the name is too long',
};

/** What one command reads at most from a file or stdin: a body is far smaller, an import far larger. */
export const MAX_INPUT_BYTES = { body: 1024 * 1024, import: 256 * 1024 * 1024 } as const;

export async function readTextFile(rt: { io: IO; cwd: string }, file: string, what: string, maxBytes: number): Promise<string> {
  if (file === '-') {
    noticeStdinRead(rt.io, what);
    return readAllStdin(rt.io, `${what} on stdin`, maxBytes);
  }
  if (file === '') throw usageError(`${what}: the file name is empty`, 'name a file, or - for stdin');
  let bytes: Buffer;
  try {
    // A stream, not readFileSync: a device or a pipe (/dev/zero) has no size to check up front.
    bytes = await readCapped(fs.createReadStream(path.resolve(rt.cwd, file)), `${what} ${quoted(file)}`, maxBytes);
  } catch (err) {
    throw readError(err, file, what);
  }
  return decodeUtf8(bytes, `${what} ${quoted(file)}`);
}

/** Text either whole or as chunks read when wanted (an input too large to hold twice). */
export type TextInput = string | { chunks(): AsyncIterable<string> };

/**
 * A large input (an import): stdin is read whole; a file is read chunk by chunk when its reader
 * wants it, so that it is never held whole, with the same checks and messages as readTextFile.
 */
export async function readLargeTextFile(rt: { io: IO; cwd: string }, file: string, what: string, maxBytes: number): Promise<TextInput> {
  if (file === '-' || file === '') return readTextFile(rt, file, what, maxBytes);
  return {
    async *chunks() {
      try {
        yield* readTextChunks(fs.createReadStream(path.resolve(rt.cwd, file)), `${what} ${quoted(file)}`, maxBytes);
      } catch (err) {
        throw readError(err, file, what);
      }
    },
  };
}

export function readError(err: unknown, file: string, what: string): unknown {
  if (err instanceof TktError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const reason = FILE_ERRORS[code] ?? (code || 'unreadable');
  return usageError(`cannot read ${what} ${quoted(file)}: ${reason}`);
}
