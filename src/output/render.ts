import { usageError } from '../errors.js';
import type { CommandResult, ItemResult, ListResult, MessageResult, Styler, TextResult, Tone } from './types.js';

export interface RenderTarget {
  out(text: string): void;
  err(text: string): void;
  /** Tables and details for people; false means plain tab-separated lines. */
  tty: boolean;
  color: boolean;
}

export interface RenderOptions {
  /** true: every field; string[]: only these; undefined: no JSON. */
  json: true | string[] | undefined;
  quiet: boolean;
}

// C0/C1 controls (but tab) and bidi overrides. In a message meant for a person they come from
// input echoed back (a slug, a file name); printed raw they could repaint or reorder the terminal.
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A one-line message with control and bidi characters shown as \u escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function render(result: CommandResult, target: RenderTarget, options: RenderOptions): Promise<void> {
  if (!result) return;
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
    target.out(JSON.stringify(pick(result.json, selectFields(options.json, Object.keys(result.json))), null, 2) + '\n');
  }
  if (!options.quiet) target.err(printable(result.message) + '\n');
}

function renderText(result: TextResult, target: RenderTarget, options: RenderOptions): void {
  if (result.message && !options.quiet) target.err(printable(result.message) + '\n');
  if (options.json && result.json) {
    target.out(JSON.stringify(pick(result.json, selectFields(options.json, Object.keys(result.json))), null, 2) + '\n');
  } else {
    target.out(options.quiet ? result.id + '\n' : result.text);
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

function renderList<T extends object>(result: ListResult<T>, target: RenderTarget, options: RenderOptions, style: Styler) {
  if (options.json) {
    const fields = selectFields(options.json, result.fields);
    target.out(JSON.stringify(result.items.map((i) => pick(i, fields)), null, 2) + '\n');
    return;
  }
  if (options.quiet) {
    for (const i of result.items) target.out(result.id(i) + '\n');
    return;
  }
  if (!target.tty) {
    for (const i of result.items) target.out(result.columns.map((c) => plainCell(c.value(i))).join('\t') + '\n');
    return;
  }
  if (result.items.length === 0) {
    target.err((result.empty ?? 'Nothing to show.') + '\n');
    return;
  }
  return renderTable(result, target, style);
}

async function renderTable<T extends object>(result: ListResult<T>, target: RenderTarget, style: Styler) {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: result.columns.map((c) => style('strong', c.header)),
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '',
    },
  });
  for (const i of result.items) {
    table.push(result.columns.map((c) => style(c.tone?.(i), oneLine(c.value(i)))));
  }
  target.out(table.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n');
}

function renderItem<T extends object>(result: ItemResult<T>, target: RenderTarget, options: RenderOptions, style: Styler) {
  const { item } = result;
  if (options.json) {
    target.out(JSON.stringify(pick(item, selectFields(options.json, result.fields)), null, 2) + '\n');
    return;
  }
  if (options.quiet) {
    target.out(result.id(item) + '\n');
    return;
  }
  if (!target.tty) {
    if (result.primary) {
      target.out(result.primary(item) + '\n');
      return;
    }
    for (const d of result.details) target.out(`${d.label}\t${plainCell(d.value(item))}\n`);
    if (result.extra) target.out(result.extra(item, (_t, s) => s));
    return;
  }
  const width = Math.max(...result.details.map((d) => d.label.length));
  for (const d of result.details) {
    target.out(`${style('muted', (d.label + ':').padEnd(width + 1))} ${style(d.tone?.(item), d.value(item))}\n`);
  }
  if (result.extra) target.out(result.extra(item, style));
}

/** One record a line: tabs and newlines inside a value would break cut/awk. */
function plainCell(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ');
}

function oneLine(value: string): string {
  const flat = value.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length > 80 ? flat.slice(0, 79) + '…' : flat;
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
