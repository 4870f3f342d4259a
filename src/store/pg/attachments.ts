// Attachments on PostgreSQL: content in 256 KiB bytea chunks keyed (organization_id, sha256, seq),
// one blob row per distinct content per org, attachment rows pointing at both the ticket and the
// blob by composite keys. Row-level security: read with ticket:read, added with ticket:comment (as
// the uploader), deleted with ticket:delete or by the uploader; a blob goes with its last
// attachment (tkt_attachment_gc, migrations/pg/0013).
import type { AuditInput, Decide } from '../ports/common.js';
import type { ActorState } from '../ports/members.js';
import type {
  AttachmentAddState,
  AttachmentDeleteState,
  AttachmentRecord,
  AttachmentRef,
  AttachmentRepo,
  AttachmentUsage,
  NewAttachment,
} from '../ports/attachments.js';
import type { TicketRecord } from '../ports/tickets.js';
import { GarbageBudget } from '../../lib/garbage.js';
import { ContentChanged, contentPieces } from '../attachment-content.js';
import type { PgConnection, Query, Row } from './connection.js';
import { PgTenantRepo, ticketKey } from './common.js';
import { PgTicketRepo } from './tickets.js';

export class PgAttachmentRepo extends PgTenantRepo implements AttachmentRepo {
  private get tickets(): PgTicketRepo {
    return new PgTicketRepo(this.conn, this.clock, this.ctx);
  }

  private async select(q: Query, where: string, params: unknown[]): Promise<AttachmentRecord[]> {
    const rows = await q(
      `SELECT a.number AS id, t.number AS ticket, a.name, a.size, a.content_type, a.sha256, u.email, u.name AS uname, a.created_at
       FROM attachments a JOIN tickets t ON t.organization_id = a.organization_id AND t.id = a.ticket_id JOIN users u ON u.id = a.uploader_id
       WHERE a.organization_id = $1 AND ${where} ORDER BY a.id`,
      [this.orgId, ...params],
    );
    return rows.map((r: Row) => ({
      id: r.id as number,
      ticket: ticketKey(this.ctx.org, r.ticket as number),
      name: r.name as string,
      size: r.size as number,
      type: r.content_type as string,
      sha256: r.sha256 as string,
      uploader: { email: r.email as string, name: r.uname as string },
      createdAt: r.created_at as number,
    }));
  }

  private async findIn(q: Query, ticket: TicketRecord, ref: AttachmentRef): Promise<AttachmentRecord | null> {
    const found = await this.select(q, `a.ticket_id = $2 AND ${'id' in ref ? 'a.number = $3' : 'a.name = $3'}`, [ticket.id, 'id' in ref ? ref.id : ref.name]);
    return found.at(-1) ?? null;
  }

  private async usageIn(q: Query): Promise<AttachmentUsage> {
    const [used] = await q<{ n: string }>('SELECT coalesce(sum(size), 0) AS n FROM attachment_blobs WHERE organization_id = $1', [this.orgId]);
    const [org] = await q<{ quota: number | null }>('SELECT attachment_quota AS quota FROM organizations WHERE id = $1', [this.orgId]);
    return { usedBytes: Number(used!.n), quota: org?.quota ?? null };
  }

  add(
    number: number,
    files: NewAttachment[],
    decide: Decide<AttachmentAddState, (ids: number[]) => AuditInput[]>,
  ): Promise<{ ticket: TicketRecord; attachments: AttachmentRecord[] }> {
    return this.write(async (q) => {
      const ticket = await this.tickets.loadIn(q, number);
      const usage = await this.usageIn(q);
      const held = new Set(
        (
          await q<{ sha256: string }>('SELECT sha256 FROM attachment_blobs WHERE organization_id = $1 AND sha256 = ANY($2::text[])', [
            this.orgId,
            [...new Set(files.map((f) => f.sha256))],
          ])
        ).map((r) => r.sha256),
      );
      const fresh = new Map<string, number>();
      for (const f of files) if (!held.has(f.sha256)) fresh.set(f.sha256, f.size);
      const newBytes = [...fresh.values()].reduce((a, b) => a + b, 0);
      const events = decide({ actor: await this.actor(q), number, ticket, ...usage, newBytes });
      const now = this.clock.now();
      const ids: number[] = [];
      for (const file of files) {
        if (fresh.delete(file.sha256)) await this.writeBlob(q, file, now);
        const [row] = await q<{ next: number }>(
          'UPDATE organizations SET next_attachment_number = next_attachment_number + 1 WHERE id = $1 RETURNING next_attachment_number AS next',
          [this.orgId],
        );
        const id = row!.next - 1;
        await q(
          `INSERT INTO attachments (organization_id, number, ticket_id, sha256, name, size, content_type, uploader_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [this.orgId, id, ticket!.id, file.sha256, file.name, file.size, file.type, this.ctx.user.id, now],
        );
        ids.push(id);
      }
      await q('UPDATE tickets SET updated_at = $3 WHERE organization_id = $1 AND id = $2', [this.orgId, ticket!.id, now]);
      for (const event of events(ids)) await this.audit(q, event, now);
      const added = await this.select(q, 'a.number = ANY($2::bigint[])', [ids]);
      return { ticket: (await this.tickets.loadIn(q, number))!, attachments: added };
    });
  }

  /** Writes the content chunk by chunk, hashing what it writes: a file that changed since it was measured is refused. */
  private async writeBlob(q: Query, file: NewAttachment, now: number): Promise<void> {
    await q('INSERT INTO attachment_blobs (organization_id, sha256, size, created_at) VALUES ($1, $2, $3, $4)', [this.orgId, file.sha256, file.size, now]);
    let seq = 0;
    const garbage = new GarbageBudget();
    // Copies: the driver sends a piece after the reader may have reused its buffer.
    for (const piece of contentPieces(file, { copy: true })) {
      await q('INSERT INTO attachment_chunks (organization_id, sha256, seq, data) VALUES ($1, $2, $3, $4)', [this.orgId, file.sha256, seq++, piece]);
      garbage.moved(piece.length);
    }
  }

  list(number: number): Promise<AttachmentRecord[] | null> {
    return this.read(async (q) => {
      const ticket = await this.tickets.loadIn(q, number);
      return ticket ? this.select(q, 'a.ticket_id = $2', [ticket.id]) : null;
    });
  }

  find(number: number, ref: AttachmentRef): Promise<AttachmentRecord | null> {
    return this.read(async (q) => {
      const ticket = await this.tickets.loadIn(q, number);
      return ticket ? this.findIn(q, ticket, ref) : null;
    });
  }

  async *content(sha256: string): AsyncIterable<Uint8Array> {
    const count = await this.read(async (q) =>
      Number((await q<{ n: string }>('SELECT count(*) AS n FROM attachment_chunks WHERE organization_id = $1 AND sha256 = $2', [this.orgId, sha256]))[0]!.n),
    );
    const garbage = new GarbageBudget();
    for (let seq = 0; seq < count; seq++) {
      const [row] = await this.read((q) =>
        q<{ data: Buffer }>('SELECT data FROM attachment_chunks WHERE organization_id = $1 AND sha256 = $2 AND seq = $3', [this.orgId, sha256, seq]),
      );
      if (!row) throw new ContentChanged(sha256);
      yield row.data;
      garbage.moved(row.data.length);
    }
  }

  delete(number: number, ref: AttachmentRef, decide: Decide<AttachmentDeleteState, AuditInput>): Promise<AttachmentRecord> {
    return this.write(async (q) => {
      const ticket = await this.tickets.loadIn(q, number);
      const attachment = ticket ? await this.findIn(q, ticket, ref) : null;
      const event = decide({ actor: await this.actor(q), number, ticket, attachment });
      // The blob goes with its last attachment (trigger attachments_blob_gc), its chunks by cascade.
      await q('DELETE FROM attachments WHERE organization_id = $1 AND number = $2', [this.orgId, attachment!.id]);
      await this.audit(q, event);
      return attachment!;
    });
  }

  usage(): Promise<AttachmentUsage> {
    return this.read((q) => this.usageIn(q));
  }

  setQuota(quota: number | null, decide: Decide<ActorState & AttachmentUsage, AuditInput | null>): Promise<AttachmentUsage> {
    return this.write(async (q) => {
      const event = decide({ actor: await this.actor(q), ...(await this.usageIn(q)) });
      if (event === null) return this.usageIn(q);
      await q('UPDATE organizations SET attachment_quota = $2 WHERE id = $1', [this.orgId, quota]);
      await this.audit(q, event);
      return this.usageIn(q);
    });
  }
}

/**
 * `db check` for attachment content, store-wide (as the SQLite store's attachmentChecks): through
 * tkt_attachment_problems(), which sees every org and answers with org ids and counts only.
 */
export async function pgAttachmentChecks(conn: PgConnection, quick: boolean): Promise<Array<{ name: string; ok: boolean; problems: string[] }>> {
  const rows = await conn.tx((q) => q<{ check_name: string; problem: string }>('SELECT check_name, problem FROM tkt_attachment_problems($1)', [quick]));
  const of = (name: string) => rows.filter((r) => r.check_name === name).map((r) => r.problem);
  const checks = [
    { name: 'attachment content: no orphan blobs or chunks', problems: of('orphans') },
    { name: 'attachment content: chunks complete', problems: of('shape') },
    ...(quick ? [] : [{ name: 'attachment content: SHA-256 of every attachment', problems: of('sha') }]),
  ];
  return checks.map((c) => ({ ...c, ok: c.problems.length === 0 }));
}
