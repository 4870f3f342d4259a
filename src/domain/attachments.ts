// Attachment rules: the limits, the quota, who may delete, what a name becomes on disk, and the
// use cases (plain inputs and a Tenant in, records out). Store-agnostic: content arrives already
// measured (size, SHA-256, type) with a way to read it again, and leaves as chunks.
import { conflict, notFound, usageError } from '../errors.js';
import type { AttachmentRecord, AttachmentRef, AttachmentUsage, NewAttachment } from '../store/ports/attachments.js';
import type { OrgRecord } from '../store/ports/common.js';
import type { TicketRecord } from '../store/ports/tickets.js';
import { auditEvent } from './audit-events.js';
import { found } from './found.js';
import { assertPermission, assertStillPermitted, type Tenant } from './guard.js';
import { parseTicketKey, ticketKey, ticketNotFound } from './tickets/rules.js';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
/** The largest file one attachment holds. */
export const MAX_FILE_BYTES = 25 * MiB;
/** What an org may store when no quota was set (`org set --attachment-quota`). */
export const DEFAULT_QUOTA_BYTES = 1 * GiB;
/** The longest name an attachment keeps (a safe base name on disk is shorter still). */
export const MAX_NAME_CHARS = 10_000;
/** The longest safe base name `get` writes, in UTF-8 bytes (file systems allow 255). */
export const MAX_BASE_NAME_BYTES = 200;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: MiB, mb: MiB, mib: MiB, g: GiB, gb: GiB, gib: GiB, t: GiB * 1024, tb: GiB * 1024, tib: GiB * 1024 };

/** "2GiB", "500MiB", "1048576", "1.5g" → bytes (binary units; KB/MB/GB mean the same). */
export function parseSize(input: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(input);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw usageError(`invalid size for ${flag}: "${input}"`, 'use bytes or a unit: 500MiB, 2GiB');
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw usageError(`${flag} is too large`);
  return bytes;
}

/** 1536 → "1.5 KiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}

/** The name an attachment is stored under: as given, not empty, no NUL, at most MAX_NAME_CHARS. */
export function attachmentName(name: string): string {
  if (name.length === 0) throw usageError('an attachment needs a name', 'pass --name with - (stdin)');
  if (name.includes('\0')) throw usageError('an attachment name cannot contain NUL');
  if (name.length > MAX_NAME_CHARS) throw usageError(`an attachment name is at most ${MAX_NAME_CHARS} characters`);
  return name;
}

/**
 * The name `get` writes a file under inside the target folder: the last path segment (after any
 * `/` or `\`), without control, format (bidi) or unassigned characters, without leading `.`, `-`
 * or spaces, at most MAX_BASE_NAME_BYTES of UTF-8 (the extension kept); `attachment-<id>` when
 * nothing is left. It never names a parent folder, a hidden file or an option.
 */
export function safeBaseName(name: string, id: number): string {
  let base = name.split(/[/\\]/).pop() ?? '';
  base = base.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu, '');
  base = base.replace(/^[\s.\-]+/u, '').replace(/[\s.]+$/u, '');
  base = truncateBytes(base, MAX_BASE_NAME_BYTES);
  return base === '' ? `attachment-${id}` : base;
}

function truncateBytes(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - ext.length);
  const chars = [...stem];
  while (chars.length > 0 && Buffer.byteLength(chars.join('') + ext) > max) chars.pop();
  stem = chars.join('');
  return stem + ext;
}

/** A name or an id: digits (or #digits) are an id, anything else a name. */
export function attachmentRef(input: string): AttachmentRef {
  const m = /^#?(\d{1,15})$/.exec(input);
  return m ? { id: Number(m[1]) } : { name: input };
}

function attachmentNotFound(ref: AttachmentRef, key: string, org: OrgRecord) {
  const what = 'id' in ref ? `#${ref.id}` : `"${ref.name}"`;
  return notFound(`no attachment ${what} on ${key} in ${org.slug}`, `tkt attachment list ${key} shows its attachments`);
}

function quotaOf(usage: AttachmentUsage): number {
  return usage.quota ?? DEFAULT_QUOTA_BYTES;
}

/** Exit 6 when one file is past the per-file limit, saying by how much. */
export function assertFileSize(name: string, size: number): void {
  if (size > MAX_FILE_BYTES) {
    throw conflict(
      `${name} is ${formatSize(size)}, past the limit of ${formatSize(MAX_FILE_BYTES)} per file (${formatSize(size - MAX_FILE_BYTES)} too much)`,
      'attach a smaller file, or split or compress it',
    );
  }
}

/** Adds the files to the ticket, all or none, one transaction with one audit event each. */
export async function addAttachments(
  tenant: Tenant,
  key: string,
  files: NewAttachment[],
): Promise<{ ticket: TicketRecord; attachments: AttachmentRecord[] }> {
  assertPermission(tenant.ctx, 'ticket:comment');
  const number = parseTicketKey(key, tenant.ctx.org);
  if (files.length === 0) throw usageError('no file given', 'name one or more files, or - with --name');
  for (const f of files) {
    attachmentName(f.name);
    assertFileSize(f.name, f.size);
  }
  const { org } = tenant.ctx;
  return tenant.store.attachments.add(number, files, (state) => {
    assertStillPermitted(state.actor, org, 'ticket:comment');
    const ticket = found(state.ticket, () => ticketNotFound(ticketKey(org, number), org));
    const quota = quotaOf(state);
    const left = Math.max(0, quota - state.usedBytes);
    if (state.newBytes > left) {
      throw conflict(
        `adding ${formatSize(state.newBytes)} would pass the attachment quota of ${org.slug}: ${formatSize(left)} left of ${formatSize(quota)}`,
        'delete attachments, or ask an owner or admin to raise it: tkt org set --attachment-quota SIZE',
      );
    }
    return (ids) => files.map((f, i) => auditEvent.attachmentAdded(ticket.key, { id: ids[i]!, name: f.name, size: f.size, type: f.type, sha256: f.sha256 }));
  });
}

export async function listAttachments(tenant: Tenant, key: string): Promise<AttachmentRecord[]> {
  assertPermission(tenant.ctx, 'ticket:read');
  const number = parseTicketKey(key, tenant.ctx.org);
  return found(await tenant.store.attachments.list(number), () => ticketNotFound(ticketKey(tenant.ctx.org, number), tenant.ctx.org));
}

/** The attachment and its content (chunks, one at a time). */
export async function openAttachment(tenant: Tenant, key: string, nameOrId: string): Promise<{ attachment: AttachmentRecord; content: AsyncIterable<Uint8Array> }> {
  assertPermission(tenant.ctx, 'ticket:read');
  const { org } = tenant.ctx;
  const number = parseTicketKey(key, org);
  const ref = attachmentRef(nameOrId);
  const attachment = await tenant.store.attachments.find(number, ref);
  // A missing ticket and a missing attachment differ only in what they name: both are in this org.
  if (!attachment) {
    if ((await tenant.store.attachments.list(number)) === null) throw ticketNotFound(ticketKey(org, number), org);
    throw attachmentNotFound(ref, ticketKey(org, number), org);
  }
  return { attachment, content: tenant.store.attachments.content(attachment.sha256) };
}

/** Deleting needs ticket:delete, or to be the one who added it (and still read the ticket). */
export async function deleteAttachment(
  tenant: Tenant,
  key: string,
  nameOrId: string,
  confirm: (attachment: AttachmentRecord) => Promise<void>,
): Promise<AttachmentRecord> {
  const { attachment: seen } = await openAttachment(tenant, key, nameOrId);
  const { org, user } = tenant.ctx;
  if (seen.uploader.email !== user.email) assertPermission(tenant.ctx, 'ticket:delete');
  await confirm(seen);
  const number = parseTicketKey(key, org);
  const ref: AttachmentRef = { id: seen.id };
  return tenant.store.attachments.delete(number, ref, (state) => {
    const me = assertStillPermitted(state.actor, org, 'ticket:read');
    const ticket = found(state.ticket, () => ticketNotFound(ticketKey(org, number), org));
    const attachment = found(state.attachment, () => attachmentNotFound(ref, ticket.key, org));
    if (attachment.uploader.email !== user.email) assertStillPermitted(me, org, 'ticket:delete');
    return auditEvent.attachmentDeleted(ticket.key, attachment);
  });
}

export async function attachmentUsage(tenant: Tenant): Promise<AttachmentUsage & { effectiveQuota: number }> {
  const usage = await tenant.store.attachments.usage();
  return { ...usage, effectiveQuota: quotaOf(usage) };
}

/** `org set --attachment-quota`: null goes back to the default. */
export async function setAttachmentQuota(tenant: Tenant, quota: number | null): Promise<AttachmentUsage & { effectiveQuota: number }> {
  assertPermission(tenant.ctx, 'org:update');
  const { org } = tenant.ctx;
  const usage = await tenant.store.attachments.setQuota(quota, (state) => {
    assertStillPermitted(state.actor, org, 'org:update');
    return state.quota === quota ? null : auditEvent.attachmentQuotaSet(org.slug, state.quota, quota);
  });
  return { ...usage, effectiveQuota: quotaOf(usage) };
}
