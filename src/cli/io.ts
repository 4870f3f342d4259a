import { usageError } from '../errors.js';

// The process's streams behind one object, so commands and tests never touch process.* directly.
export interface IO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function processIO(): IO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Reads all of stdin as strict UTF-8 (invalid bytes are an error, not U+FFFD), at most maxBytes. */
export async function readAllStdin(io: IO, what: string, maxBytes = 1024 * 1024): Promise<string> {
  return decodeUtf8(await readCapped(io.stdin, what, maxBytes), what);
}

/** Reads a stream to its end, refusing (exit 2) more than maxBytes: `--body-file /dev/zero` must not eat memory. */
export async function readCapped(stream: NodeJS.ReadableStream, what: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw usageError(`${what} is too large (more than ${formatBytes(maxBytes)})`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
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
