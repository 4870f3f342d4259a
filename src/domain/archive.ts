// A whole organization in one archive: export streams the active org's records (format in
// src/domain/archive-format.ts) to a writer; import checks the whole archive in a first pass,
// then recreates the org in ONE transaction from a second pass, under a new or given slug, with
// the archive's workflow (format 1: the default four), the importer as owner and the other
// members invited back.
import type { ArchiveRecord } from '../store/ports/archive.js';
import type { Store } from '../store/ports/store.js';
import { ARCHIVE_FORMAT, readArchive, summarize } from './archive-format.js';
import { auditEvent } from './audit-events.js';
import type { Principal } from './auth.js';
import { conflict, usageError } from '../errors.js';
import { assertPermission, type Tenant } from './guard.js';
import { INVITE_DEFAULT_TTL_MS } from './invites.js';
import { OWNER_ROLE, parsePermission, SYSTEM_ROLES } from './permissions.js';
import { newSecret } from './secrets.js';
import * as validate from './validate.js';
import { isoTime } from '../lib/time.js';

export interface ArchiveCounts {
  records: number;
  tickets: number;
  attachments: number;
  events: number;
}

/** Writes the tenant's org as archive lines (each ends with \n); `write` may wait (backpressure). */
export async function exportOrgArchive(tenant: Tenant, write: (line: string) => Promise<void> | void, now: number): Promise<ArchiveCounts> {
  assertPermission(tenant.ctx, 'org:update');
  const { org } = tenant.ctx;
  const s = tenant.store;
  const counts: ArchiveCounts = { records: 0, tickets: 0, attachments: 0, events: 0 };
  const emit = async (r: ArchiveRecord) => {
    counts.records++;
    await write(`${JSON.stringify(r)}\n`);
  };
  await emit({ type: 'header', format: ARCHIVE_FORMAT, tool: 'tkt', org: { slug: org.slug, name: org.name, key: org.ticketKey }, exportedAt: isoTime(now)! });
  for (const r of (await s.roles.list()).sort((a, b) => a.code.localeCompare(b.code))) {
    await emit({ type: 'role', code: r.code, name: r.name, permissions: r.permissions, system: r.isSystem });
  }
  for (const m of (await s.members.list()).sort((a, b) => a.user.email.localeCompare(b.user.email))) {
    await emit({ type: 'member', email: m.user.email, name: m.user.name, role: m.role.code });
  }
  const workflow = await s.workflow.current();
  await emit({
    type: 'workflow',
    statuses: workflow.statuses.map((x) => ({ code: x.code, name: x.name, category: x.category, isDefault: x.isDefault })),
    transitions: workflow.transitions.map((t) => ({ from: t.from, to: t.to, allowed: t.allowed })),
  });
  const tickets = await s.tickets.list({ statuses: [], priorities: [], labels: [], sort: 'number', descending: false, limit: 0 });
  for (const t of tickets) {
    const comments = (await s.tickets.comments(t.number)) ?? [];
    await emit({
      type: 'ticket',
      number: t.number,
      title: t.title,
      body: t.body,
      status: t.status,
      statusCategory: t.statusCategory,
      priority: t.priority,
      assignee: t.assignee?.email ?? null,
      reporter: t.reporter,
      labels: t.labels,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      comments: comments.map((c) => ({ author: c.author, body: c.body, createdAt: c.createdAt })),
    });
    counts.tickets++;
  }
  const attachments = [];
  for (const t of tickets) attachments.push(...((await s.attachments.list(t.number)) ?? []).map((a) => ({ ...a, number: t.number })));
  attachments.sort((a, b) => a.id - b.id);
  const sizes = new Map(attachments.map((a) => [a.sha256, a.size]));
  for (const [sha256, size] of [...sizes].sort(([a], [b]) => a.localeCompare(b))) {
    await emit({ type: 'content', sha256, size });
    let seq = 0;
    for await (const chunk of s.attachments.content(sha256)) {
      await emit({ type: 'chunk', sha256, seq: seq++, data: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64') });
    }
  }
  for (const a of attachments) {
    await emit({ type: 'attachment', ticket: a.number, name: a.name, size: a.size, contentType: a.type, sha256: a.sha256, uploader: a.uploader, createdAt: a.createdAt });
    counts.attachments++;
  }
  for (const e of await s.audit.list({ limit: 0, chronological: true })) {
    // An actor who had no account where this org was imported is in the details; given back here.
    const { importedActor, ...details } = e.details as Record<string, unknown> & { importedActor?: { email: string; name: string } };
    await emit({ type: 'event', actor: importedActor ?? e.actor, action: e.action, targetType: e.targetType, target: e.target, details, createdAt: e.createdAt });
    counts.events++;
  }
  await emit({ type: 'end', records: counts.records });
  return counts;
}

export interface ImportedOrg {
  slug: string;
  name: string;
  key: string;
  from: string;
  tickets: number;
  attachments: number;
  events: number;
  /** The other members, invited back: their tokens (shown once). */
  invites: Array<{ id: number; email: string; role: string; token: string }>;
}

/** Ticket keys and the slug of the archived org, renamed to the new ones in the audit log. */
function renamed(records: Iterable<ArchiveRecord>, from: { slug: string; key: string }, to: { slug: string; key: string }): Iterable<ArchiveRecord> {
  const key = (k: unknown) => (typeof k === 'string' && k.startsWith(`${from.key}-`) ? `${to.key}-${k.slice(from.key.length + 1)}` : k);
  return (function* () {
    for (const r of records) {
      if (r.type !== 'event') {
        yield r;
        continue;
      }
      let { target, details } = r;
      if (r.targetType === 'ticket') target = key(target) as string;
      if (r.targetType === 'tickets') {
        target = target.split('…').map(key).join('…');
        details = { ...details, ...('first' in details ? { first: key(details.first) } : {}), ...('last' in details ? { last: key(details.last) } : {}) };
      }
      if (r.targetType === 'org' && target === from.slug) target = to.slug;
      yield { ...r, target, details };
    }
  })();
}

/**
 * `open` gives the archive's lines from the start, each time it is called (it is read twice: a
 * check of the whole archive, then the import).
 */
export async function importOrgArchive(
  store: Store,
  principal: Principal,
  open: () => Iterable<string>,
  opts: { slug?: string; key?: string; name?: string },
  now: number,
): Promise<ImportedOrg> {
  const summary = summarize(readArchive(open()));
  const from = summary.header.org;
  const slug = validate.slug(opts.slug ?? from.slug, '--slug');
  const key = validate.ticketKey(opts.key ?? from.key);
  const name = validate.text(opts.name ?? from.name, { field: 'name', max: 100 });
  const system = new Set<string>(SYSTEM_ROLES.map((r) => r.code));
  for (const r of summary.roles) {
    if (!r.system && system.has(r.code)) throw usageError(`the archive's custom role ${r.code} has the code of a system role`);
    r.permissions.forEach((p) => parsePermission(p));
  }
  const roleCodes = new Set([...system, ...summary.roles.map((r) => r.code)]);
  const me = principal.user.email.toLowerCase();
  const expiresAt = now + INVITE_DEFAULT_TTL_MS;
  const invites = summary.members
    .filter((m) => m.email.toLowerCase() !== me)
    .map((m) => ({ email: validate.email(m.email), roleCode: roleCodes.has(m.role) && m.role !== OWNER_ROLE ? m.role : m.role === OWNER_ROLE ? 'admin' : 'member', ...newSecret('invite') }));
  const outcome = await store.archive.importOrg(
    {
      org: { slug, name, ticketKey: key },
      importerId: principal.user.id,
      systemRoles: SYSTEM_ROLES.map((r) => ({ code: r.code, name: r.name, permissions: [...r.permissions] })),
      ownerRole: OWNER_ROLE,
      workflow: summary.workflow,
      invites: invites.map((i) => ({ email: i.email, roleCode: i.roleCode, tokenHash: i.hash, expiresAt })),
      audit: (ids) => [
        auditEvent.orgImported(slug, { from: from.slug, format: summary.header.format, tickets: summary.tickets, attachments: summary.attachments, events: summary.events }),
        ...invites.map((i, n) => auditEvent.inviteCreated(ids[n]!, i.email, i.roleCode, isoTime(expiresAt)!)),
      ],
    },
    () => renamed(readArchive(open()), { slug: from.slug, key: from.key }, { slug, key }),
  );
  if (outcome.kind === 'slug-taken') throw conflict(`the slug ${slug} is already taken`, 'import under another with --slug');
  if (outcome.kind === 'key-taken') throw conflict(`the ticket key ${key} is already used by another organization`, 'pick another with --key');
  return {
    slug,
    name,
    key,
    from: from.slug,
    tickets: summary.tickets,
    attachments: summary.attachments,
    events: summary.events,
    invites: invites.map((i, n) => ({ id: outcome.inviteIds[n]!, email: i.email, role: i.roleCode, token: i.secret })),
  };
}
