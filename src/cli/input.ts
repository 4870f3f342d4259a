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
async function* cappedChunks(stream: NodeJS.ReadableStream | Iterable<Buffer>, what: string, maxBytes: number): AsyncGenerator<Buffer> {
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
 * Where the first byte that is not well-formed UTF-8 is (TextDecoder's fatal rules: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or -1. An incomplete sequence at the end counts.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The bytes at the end of `bytes` that start a sequence not complete yet (what a streaming decoder holds back). */
function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

export const notUtf8 = (what: string, offset: number) =>
  usageError(`${what} is not valid UTF-8 (at byte ${offset.toLocaleString('en')})`, 'save it as UTF-8');

/**
 * A stream's text chunk by chunk, for an input too large to hold twice (an import): the same
 * checks as readCapped + decodeUtf8, with the same outcome when both fail (too large wins). On
 * invalid UTF-8 the text before it is still given, so the reader can say which record holds it.
 */
export async function* readTextChunks(stream: NodeJS.ReadableStream | Iterable<Buffer>, what: string, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let invalid = -1;
  let consumed = 0;
  let carry: Uint8Array = new Uint8Array(0);
  for await (const bytes of cappedChunks(stream, what, maxBytes)) {
    if (invalid >= 0) continue;
    let text: string | undefined;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      const joined = Buffer.concat([carry, bytes]);
      const at = Math.max(0, invalidUtf8Offset(joined));
      invalid = consumed - carry.length + at;
      // The text before the bad byte (a BOM at the very start is not text).
      const before = new TextDecoder('utf-8', { ignoreBOM: consumed - carry.length > 0 }).decode(joined.subarray(0, at));
      if (before !== '') yield before;
    }
    if (text !== undefined && text !== '') yield text;
    consumed += bytes.length;
    carry = incompleteTail(bytes);
  }
  if (invalid < 0) {
    try {
      yield decoder.decode();
    } catch {
      invalid = consumed - carry.length;
    }
  }
  if (invalid >= 0) throw notUtf8(what, invalid);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notUtf8(what, Math.max(0, invalidUtf8Offset(bytes)));
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
  if (file === '-') {
    // Read whole (before the guard), decoded as the reader wants it: invalid UTF-8 then names its record.
    noticeStdinRead(rt.io, what);
    const bytes = await readCapped(rt.io.stdin, `${what} on stdin`, maxBytes);
    return { chunks: () => readTextChunks([bytes], `${what} on stdin`, maxBytes) };
  }
  if (file === '') return readTextFile(rt, file, what, maxBytes);
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
