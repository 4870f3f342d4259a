import { usageError } from '../errors.js';
import { displayEmail } from './email.js';
import { localAndRelative, relativeTime } from './time.js';
import type { Column, CommandResult, ItemResult, Line, ListResult, MessageResult, Span, Styler, TextResult, TimeStyle, Tone } from './types.js';

export interface RenderTarget {
  out(text: string): void;
  err(text: string): void;
  /** Tables and details for people; false means plain tab-separated lines. */
  tty: boolean;
  color: boolean;
  /** Columns a table may use (default 80). */
  width?: number;
  /** Now, in ms, for relative times (default: the system clock). */
  now?: number;
  /** Shows the text of a paged result (through the pager when it is long); absent: no pager. */
  page?(text: string): Promise<void>;
}

export interface RenderOptions {
  /** true: every field; string[]: only these; undefined: no JSON. */
  json: true | string[] | undefined;
  quiet: boolean;
}

// What a person's terminal must never receive from data: C0/C1 controls but tab (ESC could repaint
// or retitle the terminal), DEL, bidi controls (they reorder what is shown) and the Unicode line
// and paragraph separators (a fake line break). Shown as \u escapes instead, in every value
// rendered for people or piped as plain text; JSON keeps the exact text.
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** Line breaks a reader of plain output (or a terminal) would take as a new record. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** A one-line message with control and bidi characters shown as \u escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// JSON.stringify escapes C0 controls but leaves DEL, C1, bidi controls and U+2028/U+2029 raw, and
// JSON is often read on a terminal (`tkt … --json`, `jq`'s input shown as is). Outside strings
// JSON output has none of them, so each can be written as its \u escape: the same JSON value.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text (indented, unless `indent` is 0) that parses to exactly `value` and holds no raw control, bidi or line-separator character. */
export function jsonText(value: unknown, indent = 2): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text of several lines for people (a ticket's body): each line made printable, tabs kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

export async function render(result: CommandResult, target: RenderTarget, options: RenderOptions): Promise<void> {
  if (!result) return;
  if (result.kind !== 'message' && result.paged && target.page && !options.json && !options.quiet) {
    let text = '';
    await renderNow(result, { ...target, out: (t) => void (text += t) }, options);
    if (text) await target.page(text);
  } else {
    await renderNow(result, target, options);
  }
  if (result.kind === 'list' && result.footer && target.tty && !options.json && !result.document && !options.quiet && result.items.length > 0) {
    target.err(printable(result.footer) + '\n');
  }
}

async function renderNow(result: Exclude<CommandResult, void>, target: RenderTarget, options: RenderOptions): Promise<void> {
  const style = await styler(target.color && target.tty);
  if (result.kind === 'message') return renderMessage(result, target, options);
  if (result.kind === 'text') return renderText(result, target, options);
  if (options.json) selectFields(options.json, result.fields); // an unknown field fails before anything is printed
  if (result.message && !options.quiet) target.err(printable(result.message) + '\n');
  if (result.kind === 'list') return renderList(result, target, { ...options, json: options.json ?? result.document }, style);
  return renderItem(result, target, options, style);
}

function renderMessage(result: MessageResult, target: RenderTarget, options: RenderOptions): void {
  if (options.json && result.json) {
    target.out(jsonText(pick(result.json, selectFields(options.json, Object.keys(result.json)))) + '\n');
  }
  if (!options.quiet) target.err(printable(result.message) + '\n');
}

function renderText(result: TextResult, target: RenderTarget, options: RenderOptions): void {
  if (result.message && !options.quiet) target.err(printable(result.message) + '\n');
  if (options.json && result.json) {
    target.out(jsonText(pick(result.json, selectFields(options.json, Object.keys(result.json)))) + '\n');
  } else {
    target.out(options.quiet ? printable(result.id) + '\n' : result.verbatim ? result.text : printableLines(result.text));
  }
}

/** Picks the fields a --json list asked for, failing on unknown ones with the valid list. */
export function selectFields(requested: true | string[], fields: readonly string[]): readonly string[] {
  if (requested === true) return fields;
  const unknown = requested.filter((f) => !fields.includes(f));
  if (unknown.length > 0) {
    throw usageError(`unknown JSON field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, `available fields: ${fields.join(', ')}`);
  }
  return requested;
}

function pick(item: object, fields: readonly string[]): Record<string, unknown> {
  const source = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = source[f] ?? null;
  return out;
}

/** Lines written LINES_PER_WRITE at a time (one write a line cost an import of 100,000 tickets 0.1 s). */
const LINES_PER_WRITE = 512;

function outLines<T>(target: RenderTarget, items: readonly T[], line: (item: T) => string): void {
  for (let start = 0; start < items.length; start += LINES_PER_WRITE) {
    let text = '';
    for (const item of items.slice(start, start + LINES_PER_WRITE)) text += line(item) + '\n';
    target.out(text);
  }
}

function renderList<T extends object>(result: ListResult<T>, target: RenderTarget, options: RenderOptions, style: Styler) {
  if (options.json) {
    const fields = selectFields(options.json, result.fields);
    target.out(jsonText(result.items.map((i) => pick(i, fields))) + '\n');
    return;
  }
  if (options.quiet) {
    outLines(target, result.items, (i) => printable(result.id(i)));
    return;
  }
  if (!target.tty) {
    outLines(target, result.items, (i) => result.columns.map((c) => plainCell(c.value(i))).join('\t'));
    return;
  }
  if (result.summary) return;
  if (result.items.length === 0) {
    target.err(printable(result.empty ?? 'Nothing to show.') + '\n');
    return;
  }
  return renderTable(result, target, style);
}

const GAP = 2;
/** A flexible column keeps at least this many columns, even when the row then wraps. */
const MIN_FLEX = 10;

async function renderTable<T extends object>(result: ListResult<T>, target: RenderTarget, style: Styler) {
  const [{ default: stringWidth }, { default: cliTruncate }] = await Promise.all([import('string-width'), import('cli-truncate')]);
  const now = target.now ?? Date.now();
  const { columns } = result;
  const rows = result.items.map((i) => columns.map((c) => tableCell(c.time ? timeText(c.value(i), c.time, now) : forPeople(c, c.value(i)))));
  const widths = columns.map((c, n) => Math.max(stringWidth(c.header), ...rows.map((r) => stringWidth(r[n]!))));
  const total = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  const width = target.width ?? 80;
  if (total > width) {
    const marked = columns.findIndex((c: Column<T>) => c.flex);
    const flex = marked >= 0 ? marked : widths.indexOf(Math.max(...widths));
    const fit = Math.max(width - (total - widths[flex]!), Math.min(MIN_FLEX, widths[flex]!), stringWidth(columns[flex]!.header));
    if (fit < widths[flex]!) {
      for (const r of rows) r[flex] = cliTruncate(r[flex]!, fit, { position: 'end' });
      widths[flex] = fit;
    }
  }
  const line = (cells: string[], tones: Array<Tone | undefined>) =>
    cells
      .map((cell, n) => style(tones[n], cell) + (n < cells.length - 1 ? ' '.repeat(widths[n]! - stringWidth(cell) + GAP) : ''))
      .join('')
      .trimEnd();
  const out = [line(columns.map((c) => c.header), columns.map(() => 'strong' as const))];
  result.items.forEach((i, r) => out.push(line(rows[r]!, columns.map((c) => c.tone?.(i)))));
  target.out(out.join('\n') + '\n');
}

function timeText(value: string, time: TimeStyle, now: number): string {
  if (!value) return value;
  return time === 'both' ? localAndRelative(value, now) : relativeTime(value, now);
}

function renderItem<T extends object>(result: ItemResult<T>, target: RenderTarget, options: RenderOptions, style: Styler) {
  const { item } = result;
  if (options.json) {
    target.out(jsonText(pick(item, selectFields(options.json, result.fields))) + '\n');
    return;
  }
  if (options.quiet) {
    target.out(printable(result.id(item)) + '\n');
    return;
  }
  if (!target.tty) {
    if (result.primary) {
      target.out(printable(result.primary(item)) + '\n');
      return;
    }
    for (const d of result.details) target.out(`${d.label}\t${plainCell(d.value(item))}\n`);
    if (result.extra) target.out(renderLines(result.extra(item), plainStyler));
    return;
  }
  if (result.summary) return;
  const width = Math.max(...result.details.map((d) => d.label.length));
  const now = target.now ?? Date.now();
  for (const d of result.details) {
    const value = d.time ? timeText(d.value(item), d.time, now) : forPeople(d, d.value(item));
    target.out(`${style('muted', (d.label + ':').padEnd(width + 1))} ${style(d.tone?.(item), printable(oneLine(value)))}\n`);
  }
  if (result.extra) target.out(renderLines(result.extra(item), style));
}

function renderLines(lines: Line[], style: Styler): string {
  const part = (p: string | Span) => (typeof p === 'string' ? printable(p) : style(p.tone, printable(p.text)));
  return lines.map((line) => line.map(part).join('')).join('\n') + '\n';
}

/** A value for a person's terminal (tables and details only). */
function forPeople(spec: { email?: true }, value: string): string {
  return spec.email ? displayEmail(value) : value;
}

/** One record a line: tabs and line breaks inside a value would break cut/awk. */
function plainCell(value: string): string {
  return printable(value.replace(LINE_BREAKS, ' '));
}

function oneLine(value: string): string {
  return value.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ');
}

function tableCell(value: string): string {
  return printable(oneLine(value));
}

const TONES: Record<Tone, (c: typeof import('chalk').default) => (s: string) => string> = {
  muted: (c) => c.dim,
  success: (c) => c.green,
  warning: (c) => c.yellow,
  danger: (c) => c.red,
  accent: (c) => c.cyan,
  strong: (c) => c.bold,
  info: (c) => c.blue,
};

const plainStyler: Styler = (_tone, text) => text;

async function styler(color: boolean): Promise<Styler> {
  if (!color) return plainStyler;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return (tone, text) => (tone ? TONES[tone](chalk)(text) : text);
}
