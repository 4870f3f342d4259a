import type { TktError } from '../errors.js';

// What a command returns: data (already in its JSON shape) plus how to show it to a person.
// Commands never write to stdout themselves; src/output/render.ts does.

export type Tone = 'muted' | 'success' | 'warning' | 'danger' | 'accent' | 'strong' | 'info';

export type Styler = (tone: Tone | undefined, text: string) => string;

/** Part of a line for people with a tone; the renderer makes its text printable, then styles it. */
export interface Span {
  tone: Tone | undefined;
  text: string;
}

export const span = (tone: Tone | undefined, text: string): Span => ({ tone, text });

/** A line of text for people: plain strings and toned spans. */
export type Line = Array<string | Span>;

/**
 * The value is an ISO 8601 time (or empty): on a terminal shown relative and local ("3 hours ago",
 * "Nov 27"), with 'both' also as a local date and time; JSON and plain output keep the ISO text.
 */
export type TimeStyle = 'relative' | 'both';

export interface Column<T> {
  header: string;
  value: (item: T) => string;
  tone?: (item: T) => Tone | undefined;
  /** The value is an email address: on a TTY its non-ASCII characters are shown escaped (output/email.ts). */
  email?: true;
  /**
   * This column gives up width when the table is wider than the terminal: its values are cut with
   * `…`. At most one per table (the ticket title); without one, the widest column does.
   */
  flex?: true;
  time?: TimeStyle;
}

export interface Detail<T> {
  label: string;
  value: (item: T) => string;
  tone?: (item: T) => Tone | undefined;
  /** As Column.email. */
  email?: true;
  time?: TimeStyle;
}

interface Paged {
  /** On a terminal, output longer than the screen goes through the pager (TKT_PAGER, PAGER, less -FRX). */
  paged?: true;
}

interface Common {
  /** On a terminal the message says it all (a change, a write on many tickets): no table or card. */
  summary?: true;
  /** For people, on stderr (not shown with --quiet). */
  message?: string;
  /** Rendered first, then the command fails with this (db check that found problems). */
  failWith?: TktError;
}

export interface ListResult<T extends object> extends Common, Paged {
  kind: 'list';
  items: T[];
  /** Every field a --json field list may name, in output order. */
  fields: readonly string[];
  columns: Column<T>[];
  /** What -q prints for each item. */
  id: (item: T) => string;
  /** Said on stderr when the list is empty and stdout is a TTY. */
  empty?: string;
  /** The list is a document: JSON on stdout whatever the terminal (ticket export); --json fields narrow it. */
  document?: true;
  /** For people, on stderr after a table (never when piped, with --json or -q): "Showing 30 of 5,008 tickets · …". */
  footer?: string;
}

export interface ItemResult<T extends object> extends Common, Paged {
  kind: 'item';
  item: T;
  fields: readonly string[];
  details: Detail<T>[];
  id: (item: T) => string;
  /** When stdout is not a TTY, print only this (a created token, a new ticket key). */
  primary?: (item: T) => string;
  /** More lines for people after the details (a ticket's body and comments). */
  extra?: (item: T) => Line[];
}

export interface MessageResult extends Common {
  kind: 'message';
  message: string;
  /** What --json prints. */
  json?: Record<string, unknown>;
}

/** Text for stdout whatever the terminal: a guide for people (the demo's), or a document (CSV). */
export interface TextResult extends Common, Paged {
  kind: 'text';
  text: string;
  /** A document, printed byte for byte; otherwise text for people, made printable line by line. */
  verbatim?: true;
  /** What -q prints. */
  id: string;
  /** What --json prints instead, if the command has a JSON form. */
  json?: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandResult = ListResult<any> | ItemResult<any> | MessageResult | TextResult | void;

export function list<T extends object>(result: Omit<ListResult<T>, 'kind'>): ListResult<T> {
  return { kind: 'list', ...result };
}

export function item<T extends object>(result: Omit<ItemResult<T>, 'kind'>): ItemResult<T> {
  return { kind: 'item', ...result };
}

export function text(result: Omit<TextResult, 'kind'>): TextResult {
  return { kind: 'text', ...result };
}

export function message(text: string, json?: Record<string, unknown>): MessageResult {
  return { kind: 'message', message: text, ...(json ? { json } : {}) };
}

export { isoTime } from '../lib/time.js';
