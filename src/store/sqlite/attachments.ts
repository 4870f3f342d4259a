// Attachments in SQLite: content in 256 KiB BLOB chunks keyed (organization_id, sha256, seq),
// one blob row per distinct content per org, attachment rows pointing at both the ticket and the
// blob by composite keys. All of the attachment SQL lives here (a PostgreSQL store has its own).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { ContentChanged, contentPieces } from '../attachment-content.js';
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
import { TenantRepo } from './base.js';
import type { Db } from './connection.js';
import { readActor } from './memberships.js';
import { ticketKey } from './records.js';
import { SqliteTicketRepo } from './tickets.js';

interface Row {
  id: number;
  number: number;
  name: string;
  size: number;
  type: string;
  sha256: string;
  email: string;
  uname: string;
  createdAt: number;
}

export class SqliteAttachmentRepo extends TenantRepo implements AttachmentRepo {
  private get tickets(): SqliteTicketRepo {
    return new SqliteTicketRepo(this.conn, this.clock, this.ctx);
  }

  private select(db: Db, where: ReturnType<typeof sql>): AttachmentRecord[] {
    return db
      .all<Row>(
        sql`SELECT "attachments"."number" AS id, "tickets"."number" AS number, "attachments"."name" AS name,
            "attachments"."size" AS size, "attachments"."content_type" AS type, "attachments"."sha256" AS sha256,
            "users"."email" AS email, "users"."name" AS uname, "attachments"."created_at" AS createdAt
          FROM "attachments"
          INNER JOIN "tickets" ON "tickets"."organization_id" = "attachments"."organization_id" AND "tickets"."id" = "attachments"."ticket_id"
          INNER JOIN "users" ON "users"."id" = "attachments"."uploader_id"
          WHERE "attachments"."organization_id" = ${this.orgId} AND ${where}
          ORDER BY "attachments"."id"`,
      )
      .map((r) => ({
        id: r.id,
        ticket: ticketKey(this.ctx.org, r.number),
        name: r.name,
        size: r.size,
        type: r.type,
        sha256: r.sha256,
        uploader: { email: r.email, name: r.uname },
        createdAt: r.createdAt,
      }));
  }

  private findIn(db: Db, ticket: TicketRecord, ref: AttachmentRef): AttachmentRecord | null {
    const by = 'id' in ref ? sql`"attachments"."number" = ${ref.id}` : sql`"attachments"."name" = ${ref.name}`;
    const found = this.select(db, sql`"attachments"."ticket_id" = ${ticket.id} AND ${by}`);
    return found.at(-1) ?? null;
  }

  private usageIn(db: Db): AttachmentUsage {
    const used = db.get<{ n: number }>(sql`SELECT coalesce(sum("size"), 0) AS n FROM "attachment_blobs" WHERE "organization_id" = ${this.orgId}`).n;
    const org = db.get<{ quota: number | null }>(sql`SELECT "attachment_quota" AS quota FROM "organizations" WHERE "id" = ${this.orgId}`);
    return { usedBytes: used, quota: org?.quota ?? null };
  }

  private hasBlob(db: Db, sha256: string): boolean {
    return (
      db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM "attachment_blobs" WHERE "organization_id" = ${this.orgId} AND "sha256" = ${sha256}`,
      ).n > 0
    );
  }

  add(
    number: number,
    files: NewAttachment[],
    decide: Decide<AttachmentAddState, (ids: number[]) => AuditInput[]>,
  ): Promise<{ ticket: TicketRecord; attachments: AttachmentRecord[] }> {
    return this.write((tx) => {
      const ticket = this.tickets.load(tx, number);
      const usage = this.usageIn(tx);
      const fresh = new Map<string, number>();
      for (const f of files) if (!this.hasBlob(tx, f.sha256)) fresh.set(f.sha256, f.size);
      const newBytes = [...fresh.values()].reduce((a, b) => a + b, 0);
      const events = decide({ actor: readActor(tx, this.ctx), number, ticket, ...usage, newBytes });
      const now = this.clock.now();
      const ids: number[] = [];
      for (const file of files) {
        if (fresh.delete(file.sha256)) this.writeBlob(tx, file, now);
        const id = tx.get<{ next: number }>(
          sql`UPDATE "organizations" SET "next_attachment_number" = "next_attachment_number" + 1 WHERE "id" = ${this.orgId} RETURNING "next_attachment_number" AS next`,
        ).next - 1;
        tx.run(sql`INSERT INTO "attachments" ("organization_id", "number", "ticket_id", "sha256", "name", "size", "content_type", "uploader_id", "created_at")
          VALUES (${this.orgId}, ${id}, ${ticket!.id}, ${file.sha256}, ${file.name}, ${file.size}, ${file.type}, ${this.ctx.user.id}, ${now})`);
        ids.push(id);
      }
      tx.run(sql`UPDATE "tickets" SET "updated_at" = ${now} WHERE "organization_id" = ${this.orgId} AND "id" = ${ticket!.id}`);
      for (const event of events(ids)) this.audit(tx, event, now);
      const added = this.select(tx, sql`"attachments"."number" IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
      return { ticket: this.tickets.load(tx, number)!, attachments: added };
    });
  }

  /** Writes the content chunk by chunk, hashing what it writes: a file that changed since it was measured is refused. */
  private writeBlob(tx: Db, file: NewAttachment, now: number): void {
    tx.run(sql`INSERT INTO "attachment_blobs" ("organization_id", "sha256", "size", "created_at") VALUES (${this.orgId}, ${file.sha256}, ${file.size}, ${now})`);
    let seq = 0;
    // Views: each piece is bound and written before the next is read.
    for (const piece of contentPieces(file, { copy: false })) {
      tx.run(sql`INSERT INTO "attachment_chunks" ("organization_id", "sha256", "seq", "data") VALUES (${this.orgId}, ${file.sha256}, ${seq++}, ${piece})`);
    }
  }

  list(number: number): Promise<AttachmentRecord[] | null> {
    return this.read((db) => {
      const ticket = this.tickets.load(db, number);
      return ticket ? this.select(db, sql`"attachments"."ticket_id" = ${ticket.id}`) : null;
    });
  }

  find(number: number, ref: AttachmentRef): Promise<AttachmentRecord | null> {
    return this.read((db) => {
      const ticket = this.tickets.load(db, number);
      return ticket ? this.findIn(db, ticket, ref) : null;
    });
  }

  async *content(sha256: string): AsyncIterable<Uint8Array> {
    const count = await this.read(
      (d) => d.get<{ n: number }>(sql`SELECT count(*) AS n FROM "attachment_chunks" WHERE "organization_id" = ${this.orgId} AND "sha256" = ${sha256}`).n,
    );
    for (let seq = 0; seq < count; seq++) {
      const row = await this.read((d) =>
        d.get<{ data: Buffer } | undefined>(
          sql`SELECT "data" AS data FROM "attachment_chunks" WHERE "organization_id" = ${this.orgId} AND "sha256" = ${sha256} AND "seq" = ${seq}`,
        ),
      );
      if (!row) throw new ContentChanged(sha256);
      yield row.data;
    }
  }

  delete(number: number, ref: AttachmentRef, decide: Decide<AttachmentDeleteState, AuditInput>): Promise<AttachmentRecord> {
    return this.write((tx) => {
      const ticket = this.tickets.load(tx, number);
      const attachment = ticket ? this.findIn(tx, ticket, ref) : null;
      const event = decide({ actor: readActor(tx, this.ctx), number, ticket, attachment });
      // The blob goes with its last attachment (trigger attachments_blob_gc), its chunks by cascade.
      tx.run(sql`DELETE FROM "attachments" WHERE "organization_id" = ${this.orgId} AND "number" = ${attachment!.id}`);
      this.audit(tx, event);
      return attachment!;
    });
  }

  usage(): Promise<AttachmentUsage> {
    return this.read((db) => this.usageIn(db));
  }

  setQuota(quota: number | null, decide: Decide<ActorState & AttachmentUsage, AuditInput | null>): Promise<AttachmentUsage> {
    return this.write((tx) => {
      const event = decide({ actor: readActor(tx, this.ctx), ...this.usageIn(tx) });
      if (event === null) return this.usageIn(tx);
      tx.run(sql`UPDATE "organizations" SET "attachment_quota" = ${quota} WHERE "id" = ${this.orgId}`);
      this.audit(tx, event);
      return this.usageIn(tx);
    });
  }
}

/**
 * `db check` for attachment content, store-wide: every blob used by some attachment (none
 * orphaned with its chunks), its chunks numbered 0…n-1 adding up to its size, each attachment's
 * size its blob's, and (unless `quick`) each blob's SHA-256 recomputed from its chunks, read one
 * chunk at a time.
 */
export function attachmentChecks(sqlite: import('better-sqlite3').Database, quick: boolean): Array<{ name: string; ok: boolean; problems: string[] }> {
  const orphans = sqlite
    .prepare(
      `SELECT b.organization_id, b.sha256, (SELECT count(*) FROM attachment_chunks c WHERE c.organization_id = b.organization_id AND c.sha256 = b.sha256)
       FROM attachment_blobs b WHERE NOT EXISTS
       (SELECT 1 FROM attachments a WHERE a.organization_id = b.organization_id AND a.sha256 = b.sha256)`,
    )
    .raw()
    .all() as Array<[number, string, number]>;
  const loose = sqlite
    .prepare(
      `SELECT c.organization_id, c.sha256, count(*) FROM attachment_chunks c WHERE NOT EXISTS
       (SELECT 1 FROM attachment_blobs b WHERE b.organization_id = c.organization_id AND b.sha256 = c.sha256) GROUP BY 1, 2`,
    )
    .raw()
    .all() as Array<[number, string, number]>;
  const shape = sqlite
    .prepare(
      `SELECT b.organization_id, b.sha256, b.size, count(c.seq), coalesce(sum(length(c.data)), 0), coalesce(max(c.seq), -1)
       FROM attachment_blobs b LEFT JOIN attachment_chunks c ON c.organization_id = b.organization_id AND c.sha256 = b.sha256
       GROUP BY b.organization_id, b.sha256
       HAVING b.size <> coalesce(sum(length(c.data)), 0) OR count(c.seq) <> coalesce(max(c.seq), -1) + 1`,
    )
    .raw()
    .all() as Array<[number, string, number, number, number, number]>;
  const sizes = sqlite
    .prepare(
      `SELECT a.organization_id, a.number, a.size, b.size FROM attachments a JOIN attachment_blobs b
       ON b.organization_id = a.organization_id AND b.sha256 = a.sha256 WHERE a.size <> b.size`,
    )
    .raw()
    .all() as Array<[number, number, number, number]>;
  const results = [
    {
      name: 'attachment content: no orphan blobs or chunks',
      ok: orphans.length === 0 && loose.length === 0,
      problems: [
        ...orphans.map(([org, sha, n]) => `org ${org}: content ${sha} (${n} chunks) is used by no attachment`),
        ...loose.map(([org, sha, n]) => `org ${org}: ${n} chunks of ${sha} have no content row`),
      ],
    },
    {
      name: 'attachment content: chunks complete',
      ok: shape.length === 0 && sizes.length === 0,
      problems: [
        ...shape.map(([org, sha, size, n, bytes]) => `org ${org}: content ${sha} should be ${size} bytes, its ${n} chunks hold ${bytes}`),
        ...sizes.map(([org, id, size, blob]) => `org ${org}: attachment #${id} says ${size} bytes, its content is ${blob}`),
      ],
    },
  ];
  if (!quick) {
    const problems: string[] = [];
    const blobs = sqlite.prepare('SELECT organization_id, sha256 FROM attachment_blobs ORDER BY 1, 2').raw().all() as Array<[number, string]>;
    const chunk = sqlite.prepare('SELECT data FROM attachment_chunks WHERE organization_id = ? AND sha256 = ? ORDER BY seq').pluck();
    for (const [org, sha] of blobs) {
      const hash = createHash('sha256');
      for (const data of chunk.iterate(org, sha) as Iterable<Buffer>) hash.update(data);
      const actual = hash.digest('hex');
      if (actual !== sha) problems.push(`org ${org}: content ${sha} hashes to ${actual}`);
    }
    results.push({ name: 'attachment content: SHA-256 of every attachment', ok: problems.length === 0, problems });
  }
  return results;
}
