// Attachment content on its way into either store: cut into rows of at most CHUNK_BYTES, hashed
// as it is written, and refused when it is not what the domain measured (the file changed).
import { createHash } from 'node:crypto';
import { TktError } from '../errors.js';
import type { NewAttachment } from './ports/attachments.js';

/** The largest piece of content one row (and one bound parameter) holds. */
export const CHUNK_BYTES = 256 * 1024;

/** The content read while writing is not what was measured (the file changed), or went missing while read. */
export class ContentChanged extends TktError {
  constructor(what: string) {
    super('conflict', `the content of ${what} changed while it was read; nothing was written`, 'try again');
  }
}

/**
 * The rows of `file`'s content, in order. A piece is a view of the reader's chunk, valid until the
 * next is asked for; `copy` for a driver that sends it later. After the last piece, throws
 * ContentChanged when what was read is not `file.size` bytes hashing to `file.sha256`.
 */
export function* contentPieces(file: NewAttachment, options: { copy: boolean }): Generator<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  for (const chunk of file.chunks()) {
    for (let at = 0; at < chunk.length; at += CHUNK_BYTES) {
      const view = Buffer.from(chunk.buffer, chunk.byteOffset + at, Math.min(CHUNK_BYTES, chunk.length - at));
      const piece = options.copy ? Buffer.from(view) : view;
      hash.update(piece);
      size += piece.length;
      yield piece;
    }
  }
  if (size !== file.size || hash.digest('hex') !== file.sha256) throw new ContentChanged(file.name);
}
