import type { Command, OptionValues } from '@commander-js/extra-typings';
import { MAX_INPUT_BYTES, readTextFile } from '../../cli/input.js';
import * as parse from '../../cli/parse.js';
import type { InputSource } from '../../cli/define.js';
import { cancelledIfEmpty, editText } from '../../cli/editor.js';
import type { Runtime } from '../../cli/runtime.js';
import type { Tenant } from '../../domain/guard.js';
import { TICKET_FIELDS, ticketJson, type TicketFilters, type TicketJson } from '../../domain/tickets/index.js';
import { usageError } from '../../errors.js';
import { item, list, type Detail, type Tone } from '../../output/types.js';
import type { TicketChange, TicketPriority, TicketRecord } from '../../store/ports/tickets.js';
import type { StatusCategory } from '../../store/ports/workflow.js';

export const KEY_ARG = ['<key>', 'the ticket: ACME-42, 42 or #42'] as const;

/** A repeatable flag's values, in order. */
export const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** A status's colour follows its category: each org names its own statuses. */
const STATUS_TONE: Record<StatusCategory, Tone> = {
  unstarted: 'info',
  started: 'warning',
  completed: 'success',
  canceled: 'muted',
};

const PRIORITY_TONE: Record<TicketPriority, Tone | undefined> = {
  urgent: 'danger',
  high: 'warning',
  medium: 'accent',
  low: undefined,
  none: 'muted',
};

export const person = (p: { email: string; name: string } | null) => (p ? `${p.name} <${p.email}>` : '-');

export const TICKET_DETAILS: Detail<TicketJson>[] = [
  { label: 'key', value: (t) => t.key, tone: () => 'strong' },
  { label: 'title', value: (t) => t.title },
  { label: 'status', value: (t) => t.status, tone: (t) => STATUS_TONE[t.statusCategory] },
  { label: 'priority', value: (t) => t.priority, tone: (t) => PRIORITY_TONE[t.priority] },
  { label: 'assignee', value: (t) => person(t.assignee) },
  { label: 'reporter', value: (t) => person(t.reporter) },
  { label: 'labels', value: (t) => t.labels.join(', ') || '-' },
  { label: 'created', value: (t) => t.createdAt, time: 'both' },
  { label: 'updated', value: (t) => t.updatedAt, time: 'both' },
];

/**
 * A changed (or created) ticket: the key alone when piped, so `$(tkt ticket create …)` works; on a
 * terminal only the one line that says what changed (tkt ticket view shows the card); --json the ticket.
 */
export function ticketItem(tenant: Tenant, ticket: TicketRecord, text: string) {
  return item({
    item: ticketJson(ticket, tenant.ctx.org),
    fields: TICKET_FIELDS,
    details: TICKET_DETAILS,
    id: (t) => t.key,
    primary: (t) => t.key,
    message: text,
    summary: true,
  });
}

export function changeItem(tenant: Tenant, change: TicketChange, changed: string, unchanged: string) {
  return ticketItem(tenant, change.after, change.changed ? changed : unchanged);
}

/** The outcome of a status change (move, close). */
export function movedItem(tenant: Tenant, change: TicketChange) {
  return changeItem(
    tenant,
    change,
    `Moved ${change.after.key}: ${change.before.status} → ${change.after.status}.`,
    `${change.after.key} is already ${change.after.status}.`,
  );
}

export function ticketList(items: TicketJson[], options: { message?: string; document?: true; paged?: true; footer?: string } = {}) {
  return list({
    items,
    fields: TICKET_FIELDS,
    columns: [
      { header: 'KEY', value: (t) => t.key, tone: () => 'strong' },
      { header: 'STATUS', value: (t) => t.status, tone: (t) => STATUS_TONE[t.statusCategory] },
      { header: 'PRIORITY', value: (t) => t.priority, tone: (t) => PRIORITY_TONE[t.priority] },
      { header: 'ASSIGNEE', value: (t) => t.assignee?.email ?? '-', email: true },
      { header: 'LABELS', value: (t) => t.labels.join(',') || '-', tone: () => 'accent' },
      { header: 'TITLE', value: (t) => t.title, flex: true },
    ],
    id: (t) => t.key,
    empty: 'No tickets match.',
    ...options,
  });
}

/** The filter flags of list and export. */
export interface FilterOptions {
  status?: string[];
  assignee?: string;
  label?: string[];
  priority?: string[];
  search?: string;
  createdSince?: string;
  updatedSince?: string;
}

export function withFilterFlags<A extends unknown[], O extends OptionValues, G extends OptionValues>(cmd: Command<A, O, G>) {
  return cmd
    .option('--status <status>', "a status code of the org's workflow, a category (unstarted, started, completed, canceled) or all (repeatable, or comma-separated)", collect)
    .option('--assignee <who>', "a member's email, its start or their name (bob), @me, or none for unassigned")
    .option('--label <label>', 'only tickets with this label (repeatable: all of them)', collect)
    .option('--priority <priority>', 'none, low, medium, high or urgent (repeatable, or comma-separated)', collect)
    .option('--search <text>', 'words in the title, body or comments (word* for a prefix)')
    .option('--created-since <when>', 'created since a date (2026-11-01), a time, or an age (7d)')
    .option('--updated-since <when>', 'updated since a date (2026-11-01), a time, or an age (7d)');
}

/** The filters as typed; `statuses` when --status is not given (list: the unfinished ones; export: all). */
export function filtersOf(opts: FilterOptions, now: number, statuses: readonly string[] = []): TicketFilters {
  return {
    statuses: opts.status ?? [...statuses],
    ...(opts.createdSince !== undefined ? { createdSince: parse.since(opts.createdSince, '--created-since', now) } : {}),
    ...(opts.updatedSince !== undefined ? { updatedSince: parse.since(opts.updatedSince, '--updated-since', now) } : {}),
    priorities: opts.priority ?? [],
    labels: opts.label ?? [],
    ...(opts.assignee !== undefined ? { assignee: opts.assignee } : {}),
    ...(opts.search !== undefined ? { search: opts.search } : {}),
  };
}

/** --body, --body-file and -e/--editor of create, edit and comment. */
export interface BodyOptions {
  body?: string;
  bodyFile?: string;
  editor?: boolean;
}

/** The input step of create, edit and comment: the text of --body, or of --body-file read before the guard. */
export function bodyInput(what: string) {
  return async (opts: BodyOptions, source: InputSource): Promise<string | undefined> => {
    const given = [opts.body !== undefined && '--body', opts.bodyFile !== undefined && '--body-file', opts.editor && '--editor'].filter(Boolean);
    if (given.length > 1) throw usageError(`pass one of ${given.join(', ')}, not several`);
    if (opts.bodyFile !== undefined) return readTextFile(source, opts.bodyFile, what, MAX_INPUT_BYTES.body);
    return opts.body;
  };
}

export const EDITOR_FLAG = ['-e, --editor', 'write it in $VISUAL, $EDITOR or vi'] as const;

/** The `#` lines of a ticket's editor file: what goes where. */
export const TICKET_EDIT_HELP = [
  'The first line is the title; the description follows below it.',
  'Lines starting with # are ignored; an empty file cancels.',
] as const;

/** What a terminal offers when no body was given: type it, (e) for the editor, or Enter to skip. */
export async function offeredBody(rt: Runtime, label: string, required: true): Promise<string>;
export async function offeredBody(rt: Runtime, label: string, required: false): Promise<string | undefined>;
export async function offeredBody(rt: Runtime, label: string, required: boolean): Promise<string | undefined> {
  const answer = await rt.prompter.input(
    `${label} [(e) to open your editor${required ? '' : ', Enter to skip'}]:`,
    '--body, --body-file or -e',
    required ? { validate: (a) => (a.trim() === '' ? `the ${label.toLowerCase()} cannot be empty` : undefined) } : {},
  );
  if (answer.trim().toLowerCase() === 'e') return cancelledIfEmpty(await editText(rt.env, '', ['Lines starting with # are ignored; an empty file cancels.']));
  return answer.trim() === '' ? undefined : answer;
}
