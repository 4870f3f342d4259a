import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import type { Tenant } from '../../domain/guard.js';
import { TICKET_FIELDS, ticketJson, viewTicket, type TicketDetails } from '../../domain/tickets/index.js';
import { isoTime, item, span, type CommandResult, type Line } from '../../output/types.js';
import { describeEvent } from '../../domain/audit-events.js';
import { formatSize, listAttachments } from '../../domain/attachments.js';
import type { AttachmentRecord } from '../../store/ports/attachments.js';
import { KEY_ARG, TICKET_DETAILS } from './shared.js';

export interface ViewOptions {
  key: string;
}

export function newCmdView(f: Factory, run: Run<ViewOptions, OrgDeps> = viewRun) {
  return f.orgCommand(
    new Command('view').alias('show').description('a ticket with its description, history and comments').argument(...KEY_ARG),
    { requirement: 'ticket:read', options: (key) => ({ key }), run },
  );
}

export async function viewRun(opts: ViewOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const details = await viewTicket(tenant, opts.key);
  const view = { ...detailsJson(tenant, details), attachments: attachmentsJson(await listAttachments(tenant, details.ticket.key)) };
  return item({
    item: view,
    fields: [...TICKET_FIELDS, 'comments', 'history', 'attachments'],
    // An imported ticket says where it came from (`github#1234`).
    details: view.external !== null ? [...TICKET_DETAILS, { label: 'external', value: (t) => t.external ?? '' }] : TICKET_DETAILS,
    id: (t) => t.key,
    extra: viewText,
    paged: true,
  });
}

function detailsJson(tenant: Tenant, view: TicketDetails) {
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

function attachmentsJson(found: AttachmentRecord[]) {
  return found.map((a) => ({ id: a.id, name: a.name, size: a.size, type: a.type, uploader: a.uploader, createdAt: isoTime(a.createdAt) }));
}

const shortTime = (iso: string | null) => (iso ?? '').slice(0, 16).replace('T', ' ');

function viewText(view: ReturnType<typeof detailsJson> & { attachments: ReturnType<typeof attachmentsJson> }): Line[] {
  const body: Line[] = view.body === '' ? [[span('muted', '(no description)')]] : view.body.split('\n').map((l) => [l]);
  const lines: Line[] = [[], ...body, [], [span('strong', 'History')]];
  for (const h of view.history) {
    lines.push(['  ', span('muted', shortTime(h.at)), `  ${h.actor.email}  ${h.description}`]);
  }
  if (view.attachments.length > 0) {
    lines.push([], [span('strong', `Attachments (${view.attachments.length})`)]);
    for (const a of view.attachments) {
      lines.push(['  ', span('muted', `#${a.id}`), `  ${a.name}  `, span('muted', `${formatSize(a.size)}  ${a.type}  ${a.uploader.email}  ${shortTime(a.createdAt)}`)]);
    }
  }
  lines.push([], [span('strong', `Comments (${view.comments.length})`)]);
  for (const c of view.comments) {
    lines.push(['  ', span('accent', c.author.email), ' ', span('muted', shortTime(c.createdAt))]);
    lines.push(...c.body.split('\n').map((line) => [`    ${line}`]));
  }
  return lines;
}
