import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Definer } from '../cli/define.js';
import { decodeUtf8, readAllStdin, readCapped, readTextChunks } from '../cli/io.js';
import * as parse from '../cli/parse.js';
import type { Runtime } from '../cli/runtime.js';
import type { Tenant } from '../domain/guard.js';
import * as tickets from '../domain/tickets/index.js';
import { TICKET_FIELDS, ticketJson, type TicketJson } from '../domain/tickets/index.js';
import * as transfer from '../domain/tickets/transfer.js';
import { toCsv } from '../domain/tickets/csv.js';
import { TktError, usageError } from '../errors.js';
import { isoTime, item, list, message, type Detail, type Styler, type Tone } from '../output/types.js';
import type { AuditEventRecord } from '../store/ports/audit.js';
import type { CommentRecord, TicketChange, TicketPriority, TicketRecord, TicketStatus } from '../store/ports/tickets.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const STATUS_TONE: Record<TicketStatus, Tone> = {
  open: 'info',
  in_progress: 'warning',
  done: 'success',
  canceled: 'muted',
};

const PRIORITY_TONE: Record<TicketPriority, Tone | undefined> = {
  urgent: 'danger',
  high: 'warning',
  medium: 'accent',
  low: undefined,
  none: 'muted',
};

const person = (p: { email: string; name: string } | null) => (p ? `${p.name} <${p.email}>` : '-');
const shortTime = (iso: string | null) => (iso ?? '').slice(0, 16).replace('T', ' ');

const TICKET_DETAILS: Detail<TicketJson>[] = [
  { label: 'key', value: (t) => t.key, tone: () => 'strong' },
  { label: 'title', value: (t) => t.title },
  { label: 'status', value: (t) => t.status, tone: (t) => STATUS_TONE[t.status] },
  { label: 'priority', value: (t) => t.priority, tone: (t) => PRIORITY_TONE[t.priority] },
  { label: 'assignee', value: (t) => person(t.assignee) },
  { label: 'reporter', value: (t) => person(t.reporter) },
  { label: 'labels', value: (t) => t.labels.join(', ') || '-' },
  { label: 'created', value: (t) => t.createdAt },
  { label: 'updated', value: (t) => t.updatedAt },
];

/** A changed (or created) ticket: the key alone when piped, so `$(tkt ticket create …)` works. */
function ticketItem(tenant: Tenant, ticket: TicketRecord, text: string) {
  return item({
    item: ticketJson(ticket, tenant.ctx.org),
    fields: TICKET_FIELDS,
    details: TICKET_DETAILS,
    id: (t) => t.key,
    primary: (t) => t.key,
    message: text,
  });
}

function changeItem(tenant: Tenant, change: TicketChange, changed: string, unchanged: string) {
  return ticketItem(tenant, change.after, change.changed ? changed : unchanged);
}

function ticketList(items: TicketJson[], text?: string) {
  return list({
    items,
    fields: TICKET_FIELDS,
    columns: [
      { header: 'KEY', value: (t) => t.key, tone: () => 'strong' },
      { header: 'STATUS', value: (t) => t.status, tone: (t) => STATUS_TONE[t.status] },
      { header: 'PRIORITY', value: (t) => t.priority, tone: (t) => PRIORITY_TONE[t.priority] },
      { header: 'ASSIGNEE', value: (t) => t.assignee?.email ?? '-' },
      { header: 'LABELS', value: (t) => t.labels.join(',') || '-', tone: () => 'accent' },
      { header: 'TITLE', value: (t) => t.title },
    ],
    id: (t) => t.key,
    empty: 'No tickets match.',
    ...(text ? { message: text } : {}),
  });
}

function describeEvent(e: AuditEventRecord): string {
  const d = e.details as Record<string, unknown>;
  switch (e.action) {
    case 'ticket.create':
      return 'created it';
    case 'ticket.import':
      return 'imported it';
    case 'ticket.edit': {
      const parts: string[] = [];
      if (d.title) parts.push('title');
      if (d.body) parts.push('description');
      const priority = d.priority as { from: string; to: string } | undefined;
      if (priority) parts.push(`priority ${priority.from} → ${priority.to}`);
      const labels = [
        ...((d.addedLabels as string[] | undefined) ?? []).map((l) => `+${l}`),
        ...((d.removedLabels as string[] | undefined) ?? []).map((l) => `-${l}`),
      ];
      if (labels.length > 0) parts.push(`labels ${labels.join(' ')}`);
      return `edited ${parts.join(', ')}`;
    }
    case 'ticket.assign':
      return `assigned it to ${String(d.assignee)}`;
    case 'ticket.unassign':
      return `unassigned ${String(d.previous)}`;
    case 'ticket.move':
      return `moved it ${String(d.from)} → ${String(d.to)}`;
    case 'ticket.comment':
      return 'commented';
    default:
      return e.action;
  }
}

function viewText(view: ReturnType<typeof detailsJson>, style: Styler): string {
  const out: string[] = ['', view.body === '' ? style('muted', '(no description)') : view.body, ''];
  out.push(style('strong', 'History'));
  for (const h of view.history) {
    out.push(`  ${style('muted', shortTime(h.at))}  ${h.actor.email}  ${h.description}`);
  }
  out.push('', style('strong', `Comments (${view.comments.length})`));
  for (const c of view.comments) {
    out.push(`  ${style('accent', c.author.email)} ${style('muted', shortTime(c.createdAt))}`);
    out.push(...c.body.split('\n').map((line) => `    ${line}`));
  }
  return out.join('\n') + '\n';
}

function detailsJson(tenant: Tenant, view: { ticket: TicketRecord; comments: CommentRecord[]; history: AuditEventRecord[] }) {
  return {
    ...ticketJson(view.ticket, tenant.ctx.org),
    comments: view.comments.map((c) => ({
      id: c.id,
      author: c.author,
      body: c.body,
      createdAt: isoTime(c.createdAt),
    })),
    history: view.history.map((e) => ({
      at: isoTime(e.createdAt),
      actor: e.actor,
      action: e.action,
      description: describeEvent(e),
      details: e.details,
    })),
  };
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  ENAMETOOLONG: 'the name is too long',
};

/** What one command reads at most from a file or stdin: a body is far smaller, an import far larger. */
const MAX_INPUT_BYTES = { body: 1024 * 1024, import: 256 * 1024 * 1024 } as const;

async function readTextFile(rt: Runtime, file: string, what: string, maxBytes: number): Promise<string> {
  if (file === '-') return readAllStdin(rt.io, `${what} on stdin`, maxBytes);
  if (file === '') throw usageError(`${what}: the file name is empty`, 'name a file, or - for stdin');
  let bytes: Buffer;
  try {
    // A stream, not readFileSync: a device or a pipe (/dev/zero) has no size to check up front.
    bytes = await readCapped(fs.createReadStream(path.resolve(rt.cwd, file)), `${what} ${tickets.quoted(file)}`, maxBytes);
  } catch (err) {
    throw readError(err, file, what);
  }
  return decodeUtf8(bytes, `${what} ${tickets.quoted(file)}`);
}

function readError(err: unknown, file: string, what: string): unknown {
  if (err instanceof TktError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const reason = FILE_ERRORS[code] ?? (code || 'unreadable');
  return usageError(`cannot read ${what} ${tickets.quoted(file)}: ${reason}`);
}

/**
 * An import's text: stdin is read whole; a file is read chunk by chunk when the import wants it,
 * so that a large import never holds the whole file (with the same checks and messages).
 */
async function importInput(rt: Runtime, file: string): Promise<transfer.ImportInput> {
  const what = 'the import';
  if (file === '-' || file === '') return readTextFile(rt, file, what, MAX_INPUT_BYTES.import);
  return {
    async *chunks() {
      try {
        yield* readTextChunks(fs.createReadStream(path.resolve(rt.cwd, file)), `${what} ${tickets.quoted(file)}`, MAX_INPUT_BYTES.import);
      } catch (err) {
        throw readError(err, file, what);
      }
    },
  };
}

interface BodyOptions {
  body?: string;
  bodyFile?: string;
}

async function bodyFrom(rt: Runtime, opts: BodyOptions, what: string): Promise<string | undefined> {
  if (opts.body !== undefined && opts.bodyFile !== undefined) throw usageError('pass --body or --body-file, not both');
  if (opts.bodyFile !== undefined) return readTextFile(rt, opts.bodyFile, what, MAX_INPUT_BYTES.body);
  return opts.body;
}

interface FilterOptions {
  status?: string[];
  assignee?: string;
  label?: string[];
  priority?: string[];
  search?: string;
  limit?: string;
}

function withFilters(cmd: Command): Command {
  return cmd
    .option('--status <status>', 'open, in_progress, done or canceled (repeatable, or comma-separated)', collect)
    .option('--assignee <who>', 'a member\'s email, @me, or none for unassigned')
    .option('--label <label>', 'only tickets with this label (repeatable: all of them)', collect)
    .option('--priority <priority>', 'none, low, medium, high or urgent (repeatable, or comma-separated)', collect)
    .option('--search <text>', 'words in the title, body or comments (word* for a prefix)');
}

function filtersOf(opts: FilterOptions): tickets.TicketFilters {
  return {
    statuses: opts.status ?? [],
    priorities: opts.priority ?? [],
    labels: opts.label ?? [],
    ...(opts.assignee !== undefined ? { assignee: opts.assignee } : {}),
    ...(opts.search !== undefined ? { search: opts.search } : {}),
  };
}

const KEY_ARG = ['<key>', 'the ticket: ACME-42, 42 or #42'] as const;

const COMMENT_FIELDS = ['key', 'id', 'author', 'body', 'createdAt'] as const;
const IMPORT_FIELDS = ['key', 'title'] as const;


export function registerTicket(program: Command, define: Definer): void {
  const ticket = program.command('ticket').description('tickets of the active organization');

  define.orgAction<BodyOptions & { title?: string; priority?: string; assignee?: string; label?: string[] }>(
    ticket
      .command('create')
      .description('create a ticket; piped or with -q, prints only its key')
      .option('--title <title>', 'one line, up to 200 characters')
      .option('--body <text>', 'the description (markdown)')
      .option('--body-file <file>', 'read the description from a file, or - for stdin')
      .option('--priority <priority>', 'none (default), low, medium, high or urgent')
      .option('--assignee <who>', "a member's email, or @me")
      .option('--label <label>', 'a label, created on first use (repeatable, or comma-separated)', collect),
    'ticket:create',
    async ({ opts, rt, tenant }) => {
      const body = await bodyFrom(rt, opts, 'the body');
      const title = opts.title ?? (await rt.prompter.input('Title:', '--title'));
      const created = await tickets.createTicket(tenant, {
        title,
        ...(body !== undefined ? { body } : {}),
        ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
        ...(opts.assignee !== undefined ? { assignee: opts.assignee } : {}),
        labels: opts.label ?? [],
      });
      return ticketItem(tenant, created, `Created ${created.key}: ${created.title}`);
    },
    { fields: TICKET_FIELDS },
  );

  define.orgAction<FilterOptions & { sort: string }>(
    withFilters(
      ticket
        .command('list')
        .alias('ls')
        .description('tickets, newest first; piped: key, status, priority, assignee, labels, title'),
    )
      .addOption(new Option('--sort <field>', 'number (newest first), created, updated or priority (most urgent first)').default('number'))
      .addOption(new Option('--limit <n>', 'at most this many; 0 for all').default(String(tickets.DEFAULT_LIST_LIMIT))),
    'ticket:read',
    async ({ opts, tenant }) => {
      const found = await tickets.listTickets(tenant, filtersOf(opts), {
        sort: opts.sort,
        limit: parse.nonNegativeInt(opts.limit!, '--limit'),
      });
      return ticketList(found.map((t) => ticketJson(t, tenant.ctx.org)));
    },
  );

  define.orgAction(
    ticket.command('view').alias('show').description('a ticket with its description, history and comments').argument(...KEY_ARG),
    'ticket:read',
    async ({ args, tenant }) => {
      const view = detailsJson(tenant, await tickets.viewTicket(tenant, args[0]!));
      return item({
        item: view,
        fields: [...TICKET_FIELDS, 'comments', 'history'],
        details: TICKET_DETAILS,
        id: (t) => t.key,
        extra: (t, style) => viewText(t, style),
      });
    },
  );

  define.orgAction<BodyOptions & { title?: string; priority?: string; addLabel?: string[]; removeLabel?: string[] }>(
    ticket
      .command('edit')
      .description('change the title, description, priority or labels')
      .argument(...KEY_ARG)
      .option('--title <title>', 'a new title')
      .option('--body <text>', 'a new description')
      .option('--body-file <file>', 'read the new description from a file, or - for stdin')
      .option('--priority <priority>', 'none, low, medium, high or urgent')
      .option('--add-label <label>', 'add a label (repeatable, or comma-separated)', collect)
      .option('--remove-label <label>', 'remove a label (repeatable, or comma-separated)', collect),
    'ticket:update',
    async ({ args, opts, rt, tenant }) => {
      const body = await bodyFrom(rt, opts, 'the body');
      const change = await tickets.editTicket(tenant, args[0]!, {
        ...(opts.title !== undefined ? { title: opts.title } : {}),
        ...(body !== undefined ? { body } : {}),
        ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
        addLabels: opts.addLabel ?? [],
        removeLabels: opts.removeLabel ?? [],
      });
      return changeItem(tenant, change, `Updated ${change.after.key}.`, `${change.after.key} already looks like that; nothing changed.`);
    },
    { fields: TICKET_FIELDS },
  );

  define.orgAction(
    ticket
      .command('assign')
      .description('assign a ticket to a member (or @me)')
      .argument(...KEY_ARG)
      .argument('<who>', "a member's email, or @me"),
    'ticket:assign',
    async ({ args, tenant }) => {
      const change = await tickets.assignTicket(tenant, args[0]!, args[1]!);
      const who = change.after.assignee?.email;
      return changeItem(tenant, change, `Assigned ${change.after.key} to ${who}.`, `${change.after.key} is already assigned to ${who}.`);
    },
    { fields: TICKET_FIELDS },
  );

  define.orgAction(
    ticket.command('unassign').description('remove the assignee').argument(...KEY_ARG),
    'ticket:assign',
    async ({ args, tenant }) => {
      const change = await tickets.unassignTicket(tenant, args[0]!);
      return changeItem(
        tenant,
        change,
        `Unassigned ${change.after.key} (was ${change.before.assignee?.email}).`,
        `${change.after.key} is not assigned.`,
      );
    },
    { fields: TICKET_FIELDS },
  );

  const moved = (tenant: Tenant, change: TicketChange) =>
    changeItem(
      tenant,
      change,
      `Moved ${change.after.key}: ${change.before.status} → ${change.after.status}.`,
      `${change.after.key} is already ${change.after.status}.`,
    );

  define.orgAction(
    ticket
      .command('move')
      .description('change the status: open, in_progress, done or canceled')
      .argument(...KEY_ARG)
      .argument('<status>', 'open, in_progress, done or canceled'),
    'ticket:update',
    async ({ args, tenant }) => {
      return moved(tenant, await tickets.moveTicket(tenant, args[0]!, args[1]!));
    },
    { fields: TICKET_FIELDS },
  );

  define.orgAction(
    ticket.command('close').description('mark a ticket done (same as move <key> done)').argument(...KEY_ARG),
    'ticket:update',
    async ({ args, tenant }) => {
      return moved(tenant, await tickets.moveTicket(tenant, args[0]!, 'done'));
    },
    { fields: TICKET_FIELDS },
  );

  define.orgAction(
    ticket.command('reopen').description('move a done or canceled ticket back to open').argument(...KEY_ARG),
    'ticket:update',
    async ({ args, tenant }) => {
      const change = await tickets.reopenTicket(tenant, args[0]!);
      return changeItem(
        tenant,
        change,
        `Reopened ${change.after.key}.`,
        `${change.after.key} is ${change.after.status}, not done or canceled; nothing changed.`,
      );
    },
    { fields: TICKET_FIELDS },
  );

  define.orgAction<BodyOptions>(
    ticket
      .command('comment')
      .description('add a comment')
      .argument(...KEY_ARG)
      .option('--body <text>', 'the comment (markdown)')
      .option('--body-file <file>', 'read the comment from a file, or - for stdin'),
    'ticket:comment',
    async ({ args, opts, rt, tenant }) => {
      const text = (await bodyFrom(rt, opts, 'the comment')) ?? (await rt.prompter.input('Comment:', '--body or --body-file'));
      const { ticket: t, comment } = await tickets.commentOnTicket(tenant, args[0]!, text);
      return item({
        item: {
          key: t.key,
          id: comment.id,
          author: comment.author,
          body: comment.body,
          createdAt: isoTime(comment.createdAt),
        },
        fields: COMMENT_FIELDS,
        details: [
          { label: 'ticket', value: (c) => c.key, tone: () => 'strong' },
          { label: 'author', value: (c) => person(c.author) },
          { label: 'comment', value: (c) => c.body },
        ],
        id: (c) => c.key,
        primary: (c) => c.key,
        message: `Commented on ${t.key}.`,
      });
    },
    { fields: COMMENT_FIELDS },
  );

  define.orgAction(
    ticket.command('delete').description('delete a ticket with its comments (-y, or confirm at the prompt)').argument(...KEY_ARG),
    'ticket:delete',
    async ({ args, rt, tenant }) => {
      const deleted = await tickets.deleteTicket(tenant, args[0]!, async (t) =>
        rt.globals.yes || rt.prompter.confirm(`Delete ${t.key} "${t.title}" and its comments?`, '-y to delete without a prompt'),
      );
      return message(`Deleted ${deleted.key}.`, { key: deleted.key, deleted: true });
    },
    { fields: ['key', 'deleted'] },
  );

  define.orgAction<{ format?: string }>(
    ticket
      .command('import')
      .description('create tickets from what ticket export writes; all or nothing')
      .argument('<file>', 'a .json or .csv file, or - for stdin')
      .option('--format <format>', 'json or csv (default: from the file extension, else json)'),
    'ticket:create',
    async ({ args, opts, rt, tenant }) => {
      const file = args[0]!;
      const format = transfer.transferFormat(opts.format, file === '-' ? undefined : file);
      const created = await transfer.importTickets(tenant, await importInput(rt, file), format);
      const range = created.length > 0 ? ` (${created[0]!.key} … ${created.at(-1)!.key})` : '';
      return list({
        items: created,
        fields: IMPORT_FIELDS,
        columns: [
          { header: 'KEY', value: (t) => t.key, tone: () => 'strong' },
          { header: 'TITLE', value: (t) => t.title },
        ],
        id: (t) => t.key,
        empty: 'The import held no tickets.',
        message: `Imported ${created.length} ticket${created.length === 1 ? '' : 's'} into ${tenant.ctx.org.slug}${range}.`,
      });
    },
    { fields: IMPORT_FIELDS },
  );

  define.orgAction<FilterOptions & { format?: string }>(
    withFilters(
      ticket
        .command('export')
        .description('every matching ticket, oldest first, as JSON or CSV on stdout (what ticket import reads)')
        .option('--format <format>', 'json (default) or csv'),
    ).option('--limit <n>', 'at most this many (default: all)'),
    'ticket:read',
    async ({ opts, rt, tenant }) => {
      const format = transfer.transferFormat(opts.format ?? 'json');
      const limit = opts.limit !== undefined ? parse.nonNegativeInt(opts.limit, '--limit') : 0;
      const items = await transfer.exportTickets(tenant, filtersOf(opts), limit);
      const text = `Exported ${items.length} ticket${items.length === 1 ? '' : 's'} from ${tenant.ctx.org.slug}.`;
      if (format === 'json') {
        // The document is the JSON list itself (--json fields still narrows it).
        rt.globals.json ??= true;
        return ticketList(items, text);
      }
      if (rt.globals.json) throw usageError('--json and --format csv conflict', 'use one of them');
      const document = await toCsv(items);
      const bare = document.replace(/\n$/, '');
      return item({
        item: { document },
        fields: ['document'],
        details: [],
        id: () => bare,
        primary: () => bare,
        extra: (d) => d.document,
        message: text,
      });
    },
  );
}
