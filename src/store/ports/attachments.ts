// Attachments as the domain sees them: files on a ticket of the bound organization. Content is
// addressed by SHA-256 within the org (stored once per org however often it is attached, never
// shared with another org) and kept in the store in chunks.
import type { AuditInput, Decide } from './common.js';
import type { ActorState } from './members.js';
import type { PersonRef, TicketRecord } from './tickets.js';

export interface AttachmentRecord {
  /** The id people see, numbered per org. */
  id: number;
  /** The ticket's key. */
  ticket: string;
  /** As given when added; only ever written out through a safe base name. */
  name: string;
  size: number;
  /** Detected from the content. */
  type: string;
  sha256: string;
  uploader: PersonRef;
  createdAt: number;
}

/** One file to add: what the domain measured, and its content as a (synchronous) sequence of chunks. */
export interface NewAttachment {
  name: string;
  size: number;
  type: string;
  sha256: string;
  /**
   * The content again, read while it is written. The store hashes what it writes and refuses
   * (rolls back) when it is not `sha256` / `size` (the file changed meanwhile). Only read when
   * the org does not hold this content yet. A chunk may be a view of a reused buffer: use it
   * (write it, hash it) before asking for the next one, never keep it.
   */
  chunks: () => Iterable<Uint8Array>;
}

export interface AttachmentAddState extends ActorState {
  number: number;
  ticket: TicketRecord | null;
  /** Bytes of content the org stores now (each distinct content once). */
  usedBytes: number;
  /** The org's quota in bytes; null: the default. */
  quota: number | null;
  /** Of the files added, the bytes that are new content for this org (the rest is already stored). */
  newBytes: number;
}

export type AttachmentRef = { id: number } | { name: string };

export interface AttachmentDeleteState extends ActorState {
  number: number;
  ticket: TicketRecord | null;
  /** null when the ticket has no such attachment. */
  attachment: AttachmentRecord | null;
}

/** What the quota of the org is, and how much of it is used. */
export interface AttachmentUsage {
  usedBytes: number;
  quota: number | null;
}

/**
 * The attachments of the bound organization. `add` and `delete` are one transaction each, with
 * their audit events, serializable against each other (the quota is judged on the sums inside
 * the transaction).
 */
export interface AttachmentRepo {
  /** All files or none; the decide's events need the ids the attachments get. */
  add(
    number: number,
    files: NewAttachment[],
    decide: Decide<AttachmentAddState, (ids: number[]) => AuditInput[]>,
  ): Promise<{ ticket: TicketRecord; attachments: AttachmentRecord[] }>;
  /** Oldest first; null when this org has no such ticket. */
  list(number: number): Promise<AttachmentRecord[] | null>;
  /** null when there is no such ticket or attachment (a name: the newest of that name). */
  find(number: number, ref: AttachmentRef): Promise<AttachmentRecord | null>;
  /**
   * The content of `sha256` in this org, chunk by chunk (one chunk in memory at a time). Throws
   * when the content went missing meanwhile.
   */
  content(sha256: string): AsyncIterable<Uint8Array>;
  delete(number: number, ref: AttachmentRef, decide: Decide<AttachmentDeleteState, AuditInput>): Promise<AttachmentRecord>;
  usage(): Promise<AttachmentUsage>;
  /** Sets the quota (bytes; null: the default) as decided. */
  setQuota(quota: number | null, decide: Decide<ActorState & AttachmentUsage, AuditInput | null>): Promise<AttachmentUsage>;
}
