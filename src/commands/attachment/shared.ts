// What the attachment verbs share: the JSON shape and table of an attachment, and reading the
// files to add (measured once: size, SHA-256, type from the content; read again while stored).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertFileSize, attachmentName, formatSize, MAX_FILE_BYTES } from '../../domain/attachments.js';
import { usageError } from '../../errors.js';
import { quoted } from '../../lib/text.js';
import { isoTime, type Column } from '../../output/types.js';
import type { AttachmentRecord, NewAttachment } from '../../store/ports/attachments.js';

export const ATTACHMENT_FIELDS = ['id', 'ticket', 'name', 'size', 'type', 'sha256', 'uploader', 'createdAt'] as const;

export const attachmentJson = (a: AttachmentRecord) => ({
  id: a.id,
  ticket: a.ticket,
  name: a.name,
  size: a.size,
  type: a.type,
  sha256: a.sha256,
  uploader: a.uploader,
  createdAt: isoTime(a.createdAt),
});

export type AttachmentJson = ReturnType<typeof attachmentJson>;

export const ATTACHMENT_COLUMNS: Column<AttachmentJson>[] = [
  { header: 'ID', value: (a) => String(a.id) },
  { header: 'NAME', value: (a) => a.name, flex: true },
  { header: 'SIZE', value: (a) => formatSize(a.size) },
  { header: 'TYPE', value: (a) => a.type },
  { header: 'BY', value: (a) => a.uploader.email, email: true },
  { header: 'ADDED', value: (a) => a.createdAt ?? '', time: 'relative' },
];

const READ_BYTES = 256 * 1024;
/** How many first bytes the type is told from. */
const HEAD_BYTES = 4100;

/** The file's content, a piece at a time, in ONE reused buffer: a piece is valid until the next is asked for. */
function* chunksOf(file: string): Iterable<Uint8Array> {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(READ_BYTES);
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, READ_BYTES, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The type from the magic bytes (file-type, loaded only here); text or octets when it knows none. */
async function detectType(head: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  if (head.includes(0)) return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'text/plain';
  } catch {
    return 'application/octet-stream';
  }
}

/** Size, SHA-256 and type of a regular file, read once as a stream. */
export async function measure(file: string, name: string): Promise<NewAttachment> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw usageError(`cannot read ${quoted(file)}: no such file`);
  }
  if (!stat.isFile()) throw usageError(`${quoted(file)} is not a file`);
  assertFileSize(name, stat.size);
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  for (const chunk of chunksOf(file)) {
    hash.update(chunk);
    size += chunk.length;
    if (headBytes < HEAD_BYTES) {
      head.push(Buffer.from(chunk.subarray(0, HEAD_BYTES - headBytes)));
      headBytes += head.at(-1)!.length;
    }
  }
  assertFileSize(name, size);
  return { name: attachmentName(name), size, sha256: hash.digest('hex'), type: await detectType(Buffer.concat(head)), chunks: () => chunksOf(file) };
}

/**
 * Stdin, copied to a private temporary file (it can be read only once, and is read twice), stopped
 * as soon as it passes the per-file limit. The caller removes `dir`.
 */
export async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<{ file: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-attach-'));
  const file = path.join(dir, 'stdin');
  const fd = fs.openSync(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > MAX_FILE_BYTES) assertFileSize('stdin', size);
      fs.writeSync(fd, buf);
    }
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  fs.closeSync(fd);
  return { file, dir };
}
