import { and, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import { conflict } from '../../errors.js';
import type { AuditInput, Decide } from '../ports/common.js';
import type { ActorState } from '../ports/members.js';
import type {
  AssigneeState,
  CommentRecord,
  ImportUpdates,
  NewTicketState,
  NewTicket,
  TicketChange,
  TicketEditPlan,
  TicketFilterQuery,
  TicketQuery,
  TicketRecord,
  TicketPriority,
  TicketRepo,
  TicketState,
  TicketStatus,
} from '../ports/tickets.js';
import { comments, labels, memberships, organizations, ticketLabels, tickets, users } from '../schema.js';
import { takeNumber, TenantRepo } from './base.js';
import type { Db } from './connection.js';
import { chunks, readActor } from './memberships.js';
import { ticketKey } from './records.js';
import { ftsQuery, withSearchDeferred } from './search-index.js';
import { readWorkflow } from './workflow.js';
import type { StatusCategory, WorkflowRecord } from '../ports/workflow.js';

/** urgent > high > medium > low > none, for --sort priority. */
const priorityRank = sql<number>`CASE ${tickets.priority} WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** A row of SqliteTicketRepo.selectTickets. */
interface TicketRow {
  id: number;
  number: number;
  title: string;
  body: string;
  status: TicketStatus;
  statusCategory: StatusCategory;
  priority: TicketPriority;
  createdAt: number;
  updatedAt: number;
  assigneeEmail: string | null;
  assigneeName: string | null;
  reporterEmail: string;
  reporterName: string;
  labels: string;
  external: string | null;
}

/** An import of this many tickets writes its search rows with FTS_BULK_SETTINGS. */
const FTS_BULK_ROWS = 1000;
const FTS_BULK_SETTINGS = { hashsize: 32 * 1024 * 1024, automerge: 0 } as const;
/** FTS5's defaults (https://sqlite.org/fts5.html#fts5_configuration_options). */
const FTS_DEFAULT_SETTINGS = { hashsize: 1024 * 1024, automerge: 4 } as const;

/** Sets FTS5 options of the search index (in the caller's transaction: a rollback undoes them). */
function ftsSettings(tx: Db, settings: Record<'hashsize' | 'automerge', number>): void {
  for (const [name, value] of Object.entries(settings)) {
    tx.run(sql`INSERT INTO ticket_search (ticket_search, rank) VALUES (${name}, ${sql.raw(String(value))})`);
  }
}

/** Tickets per INSERT statement in an import (9 bound values each). */
const IMPORT_ROWS = 100;
const TICKET_PARAMS = 9;
/** Comments per INSERT statement in an import (their rows read through json_each). */
const IMPORT_BATCH = 2000;
/** Page cache of an import: larger than the default 2 MiB, small enough for the import's memory budget. */
const IMPORT_CACHE_KIB = 32 * 1024;

export class SqliteTicketRepo extends TenantRepo implements TicketRepo {
  // ---- reading ----

  /**
   * Tickets with their people and labels, as one statement written out: the commands that read
   * tickets run it once per process, and drizzle's query builder (building the selection, mapping
   * each row) cost more than the query itself. `where` and `rest` (ORDER BY, LIMIT) are SQL
   * fragments on "tickets".
   */
  private selectTickets(db: Db, where: SQL, rest: SQL = sql``): TicketRecord[] {
    const rows = db.all<TicketRow>(sql`SELECT "tickets"."id" AS id, "tickets"."number" AS number, "tickets"."title" AS title,
        "tickets"."body" AS body, "tickets"."status" AS status,
        (SELECT "category" FROM "workflow_statuses" WHERE "workflow_statuses"."organization_id" = ${this.orgId}
          AND "workflow_statuses"."code" = "tickets"."status") AS statusCategory, "tickets"."priority" AS priority,
        "tickets"."created_at" AS createdAt, "tickets"."updated_at" AS updatedAt,
        "assignee"."email" AS assigneeEmail, "assignee"."name" AS assigneeName,
        "reporter"."email" AS reporterEmail, "reporter"."name" AS reporterName, "tickets"."external" AS external,
        (SELECT json_group_array("labels"."name") FROM "ticket_labels"
          JOIN "labels" ON "labels"."organization_id" = "ticket_labels"."organization_id" AND "labels"."id" = "ticket_labels"."label_id"
          WHERE "ticket_labels"."organization_id" = ${this.orgId} AND "ticket_labels"."ticket_id" = "tickets"."id") AS labels
      FROM "tickets"
      INNER JOIN "users" "reporter" ON "reporter"."id" = "tickets"."reporter_id"
      LEFT JOIN "users" "assignee" ON "assignee"."id" = "tickets"."assignee_id"
      WHERE ${where} ${rest}`);
    return rows.map((row) => ({
      id: row.id,
      number: row.number,
      key: ticketKey(this.ctx.org, row.number),
      title: row.title,
      body: row.body,
      status: row.status,
      statusCategory: row.statusCategory,
      priority: row.priority,
      assignee: row.assigneeEmail !== null ? { email: row.assigneeEmail, name: row.assigneeName ?? '' } : null,
      reporter: { email: row.reporterEmail, name: row.reporterName },
      labels: (JSON.parse(row.labels) as string[]).sort(),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      external: row.external,
    }));
  }

  /** One ticket, inside the caller's read or transaction (the attachment repo judges by it too). */
  load(db: Db, number: number): TicketRecord | null {
    return this.selectTickets(db, and(eq(tickets.organizationId, this.orgId), eq(tickets.number, number))!)[0] ?? null;
  }

  findByNumber(number: number): Promise<TicketRecord | null> {
    return this.read((db) => this.load(db, number));
  }

  /** The WHERE of a ticket query, always scoped to the org; null when nothing can match. */
  private matching(db: Db, query: TicketFilterQuery): SQL | null {
    const conditions: SQL[] = [eq(tickets.organizationId, this.orgId)];
    if (query.statuses.length > 0) conditions.push(inArray(tickets.status, query.statuses));
    if (query.priorities.length > 0) conditions.push(inArray(tickets.priority, query.priorities));
    if (query.createdSince !== undefined) conditions.push(gte(tickets.createdAt, query.createdSince));
    if (query.updatedSince !== undefined) conditions.push(gte(tickets.updatedAt, query.updatedSince));
    if (query.assignee === 'none') {
      conditions.push(sql`${tickets.assigneeId} IS NULL`);
    } else if (query.assignee) {
      const member = this.memberId(db, query.assignee.email);
      if (member === null) return null;
      conditions.push(eq(tickets.assigneeId, member));
    }
    for (const name of query.labels) {
      conditions.push(sql`EXISTS (SELECT 1 FROM ${ticketLabels} JOIN ${labels}
        ON ${labels.organizationId} = ${ticketLabels.organizationId} AND ${labels.id} = ${ticketLabels.labelId}
        WHERE ${ticketLabels.organizationId} = ${this.orgId} AND ${ticketLabels.ticketId} = ${tickets.id}
          AND ${labels.name} = ${name})`);
    }
    if (query.search !== undefined) {
      const match = ftsQuery(this.orgId, query.search);
      if (match === null) return null;
      conditions.push(sql`${tickets.id} IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ${match})`);
    }
    return and(...conditions)!;
  }

  list(query: TicketQuery): Promise<TicketRecord[]> {
    return this.read((db) => {
      const where = this.matching(db, query);
      if (where === null) return [];
      const dir = sql.raw(query.descending ? 'DESC' : 'ASC');
      // Ties go by id, which follows the numbering within an org and ends every index, so the
      // (org, created_at) and (org, updated_at) indexes give the whole order without a sort.
      const order = {
        number: sql`"tickets"."number" ${dir}`,
        created: sql`"tickets"."created_at" ${dir}, "tickets"."id" ${dir}`,
        updated: sql`"tickets"."updated_at" ${dir}, "tickets"."id" ${dir}`,
        priority: sql`${priorityRank} ${dir}, "tickets"."id" ${dir}`,
      }[query.sort];
      const limit = query.limit > 0 ? sql` LIMIT ${query.limit}${query.offset ? sql` OFFSET ${query.offset}` : sql``}` : sql``;
      return this.selectTickets(db, where, sql`ORDER BY ${order}${limit}`);
    });
  }

  count(query: TicketFilterQuery): Promise<number> {
    return this.read((db) => {
      const where = this.matching(db, query);
      if (where === null) return 0;
      return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM "tickets" WHERE ${where}`).n;
    });
  }

  comments(number: number): Promise<CommentRecord[] | null> {
    return this.read((db) => {
      const ticket = this.idOf(db, number);
      if (ticket === null) return null;
      // Written out, like selectTickets: `ticket view` runs it on every call.
      return db
        .all<{ id: number; email: string; name: string; body: string; createdAt: number }>(
          sql`SELECT "comments"."number" AS id, "users"."email" AS email, "users"."name" AS name, "comments"."body" AS body,
              "comments"."created_at" AS createdAt
            FROM "comments" INNER JOIN "users" ON "users"."id" = "comments"."author_id"
            WHERE "comments"."organization_id" = ${this.orgId} AND "comments"."ticket_id" = ${ticket}
            ORDER BY "comments"."id"`,
        )
        .map(({ id, email, name, body, createdAt }) => ({ id, author: { email, name }, body, createdAt }));
    });
  }

  commentsOf(numbers: readonly number[]): Promise<Map<number, CommentRecord[]>> {
    return this.read((db) => {
      const found = new Map<number, CommentRecord[]>();
      for (const part of chunks([...numbers])) {
        const rows = db.all<{ ticket: number; id: number; email: string; name: string; body: string; createdAt: number }>(
          sql`SELECT "tickets"."number" AS ticket, "comments"."number" AS id, "users"."email" AS email, "users"."name" AS name,
              "comments"."body" AS body, "comments"."created_at" AS createdAt
            FROM "comments"
            INNER JOIN "tickets" ON "tickets"."organization_id" = "comments"."organization_id" AND "tickets"."id" = "comments"."ticket_id"
            INNER JOIN "users" ON "users"."id" = "comments"."author_id"
            WHERE "comments"."organization_id" = ${this.orgId} AND "tickets"."number" IN ${part}
            ORDER BY "comments"."id"`,
        );
        for (const { ticket, id, email, name, body, createdAt } of rows) {
          let list = found.get(ticket);
          if (!list) found.set(ticket, (list = []));
          list.push({ id, author: { email, name }, body, createdAt });
        }
      }
      return found;
    });
  }

  numbersByExternal(externals: readonly string[]): Promise<Map<string, number>> {
    return this.read((db) => {
      const found = new Map<string, number>();
      for (const part of chunks([...new Set(externals)])) {
        const rows = db
          .select({ number: tickets.number, external: tickets.external })
          .from(tickets)
          .where(and(eq(tickets.organizationId, this.orgId), inArray(tickets.external, part)))
          .all();
        for (const r of rows) found.set(r.external!, r.number);
      }
      return found;
    });
  }

  memberEmails(emails: string[]): Promise<Set<string>> {
    return this.read((db) => {
      const found = new Set<string>();
      for (const part of chunks([...new Set(emails)])) {
        const rows = db
          .select({ email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.organizationId, this.orgId), inArray(users.email, part)))
          .all();
        for (const r of rows) found.add(r.email);
      }
      return found;
    });
  }

  private idOf(db: Db, number: number): number | null {
    const row = db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.organizationId, this.orgId), eq(tickets.number, number)))
      .get();
    return row?.id ?? null;
  }

  private memberId(db: Db, email: string): number | null {
    const row = db
      .select({ id: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, this.orgId), eq(users.email, email)))
      .get();
    return row?.id ?? null;
  }

  /** The ids of these members (once each), and those of the emails that are not members, in order. */
  private assignees(db: Db, emails: Iterable<string | null>): { ids: Map<string, number>; nonMembers: string[] } {
    const ids = new Map<string, number>();
    const nonMembers: string[] = [];
    for (const email of emails) {
      if (email === null || ids.has(email) || nonMembers.includes(email)) continue;
      const id = this.memberId(db, email);
      if (id === null) nonMembers.push(email);
      else ids.set(email, id);
    }
    return { ids, nonMembers };
  }

  // ---- writing ----

  /** Which of these statuses the org's workflow does not have (each once, in order). */
  private unknownStatuses(tx: Db, statuses: readonly string[]): string[] {
    const known = new Set(readWorkflow(tx, this.orgId).statuses.map((s) => s.code));
    return [...new Set(statuses)].filter((s) => !known.has(s));
  }

  /** These tickets (those that exist), by number, read in few statements. */
  private loadMany(db: Db, numbers: readonly number[]): Map<number, TicketRecord> {
    const found = new Map<number, TicketRecord>();
    for (const part of chunks([...numbers])) {
      for (const t of this.selectTickets(db, and(eq(tickets.organizationId, this.orgId), inArray(tickets.number, part))!)) found.set(t.number, t);
    }
    return found;
  }

  /**
   * Judges each ticket in turn, in the caller's transaction: hands it with the acting member (read
   * once) to the decide, which refuses (throws, and the whole transaction rolls back) when the actor
   * may no longer write or the ticket is missing. Nothing is written until every ticket is judged.
   */
  private judgeAll<P>(tx: Db, numbers: readonly number[], decide: Decide<TicketState, P>): Array<{ before: TicketRecord; plan: P }> {
    const actor = readActor(tx, this.ctx);
    const found = this.loadMany(tx, numbers);
    return numbers.map((number) => {
      const before = found.get(number) ?? null;
      const plan = decide({ actor, number, ticket: before });
      if (!before) throw new Error(`the decide of a write let missing ticket ${number} through`);
      return { before, plan };
    });
  }

  /** Writes each judged ticket whose plan is not null, then reads back those it changed. */
  private applyAll<P>(tx: Db, judged: Array<{ before: TicketRecord; plan: P | null }>, write: (before: TicketRecord, plan: P, now: number) => void): TicketChange[] {
    const now = this.clock.now();
    const changed = judged.filter((j) => j.plan !== null);
    for (const { before, plan } of changed) write(before, plan!, now);
    const after = this.loadMany(tx, changed.map((j) => j.before.number));
    return judged.map(({ before, plan }) => (plan === null ? { before, after: before, changed: false } : { before, after: after.get(before.number)!, changed: true }));
  }

  /** Creates missing labels and returns name → id for every name given. */
  private ensureLabels(tx: Db, names: readonly string[]): Map<string, number> {
    const ids = new Map<string, number>();
    const unique = [...new Set(names)];
    if (unique.length === 0) return ids;
    for (const part of chunks(unique)) {
      tx.insert(labels)
        .values(part.map((name) => ({ organizationId: this.orgId, name })))
        .onConflictDoNothing()
        .run();
      const rows = tx
        .select({ id: labels.id, name: labels.name })
        .from(labels)
        .where(and(eq(labels.organizationId, this.orgId), inArray(labels.name, part)))
        .all();
      for (const r of rows) ids.set(r.name, r.id);
    }
    return ids;
  }

  private linkLabels(tx: Db, ticketId: number, names: readonly string[]): void {
    const ids = this.ensureLabels(tx, names);
    if (ids.size === 0) return;
    tx.insert(ticketLabels)
      .values([...ids.values()].map((labelId) => ({ organizationId: this.orgId, ticketId, labelId })))
      .onConflictDoNothing()
      .run();
  }

  private unlinkLabels(tx: Db, ticketId: number, names: readonly string[]): void {
    if (names.length === 0) return;
    const ids = tx
      .select({ id: labels.id })
      .from(labels)
      .where(and(eq(labels.organizationId, this.orgId), inArray(labels.name, [...names])))
      .all()
      .map((r) => r.id);
    if (ids.length === 0) return;
    tx.delete(ticketLabels)
      .where(
        and(
          eq(ticketLabels.organizationId, this.orgId),
          eq(ticketLabels.ticketId, ticketId),
          inArray(ticketLabels.labelId, ids),
        ),
      )
      .run();
  }

  /** Reserves `count` consecutive numbers; the caller's transaction makes them gapless. */
  private allocateNumbers(tx: Db, count: number): number {
    const row = tx
      .update(organizations)
      .set({ nextTicketNumber: sql`${organizations.nextTicketNumber} + ${count}` })
      .where(eq(organizations.id, this.orgId))
      .returning({ next: organizations.nextTicketNumber })
      .get();
    if (!row) throw new Error(`organization ${this.orgId} vanished during a ticket write`);
    return row.next - count;
  }

  /** --on-duplicate update: each ticket written over (search rows by trigger), its new comments added, audited. */
  private writeOver(tx: Db, updates: ImportUpdates, memberIds: Map<string, number>, now: number): void {
    const before = this.loadMany(tx, updates.tickets.map((u) => u.number));
    for (const { number, ticket } of updates.tickets) {
      const was = before.get(number);
      // The domain found it before the transaction; deleted since: nothing of the import is written.
      if (!was) throw conflict(`ticket ${ticketKey(this.ctx.org, number)} was deleted during the import`, 'nothing was imported; run it again');
      const createdAt = ticket.createdAt ?? was.createdAt;
      tx.update(tickets)
        .set({
          title: ticket.title,
          body: ticket.body,
          status: ticket.status,
          priority: ticket.priority,
          assigneeId: ticket.assigneeEmail !== null ? memberIds.get(ticket.assigneeEmail)! : null,
          createdAt,
          updatedAt: ticket.updatedAt ?? Math.max(now, createdAt),
        })
        .where(and(eq(tickets.organizationId, this.orgId), eq(tickets.id, was.id)))
        .run();
      this.unlinkLabels(tx, was.id, was.labels.filter((l) => !ticket.labels.includes(l)));
      this.linkLabels(tx, was.id, ticket.labels);
      const held = new Set(
        tx
          .select({ createdAt: comments.createdAt, body: comments.body })
          .from(comments)
          .where(and(eq(comments.organizationId, this.orgId), eq(comments.ticketId, was.id)))
          .all()
          .map((c) => `${c.createdAt}\n${c.body}`),
      );
      for (const c of ticket.comments ?? []) {
        if (held.has(`${c.createdAt}\n${c.body}`)) continue;
        const id = takeNumber(tx, this.orgId, 'nextCommentNumber');
        tx.insert(comments)
          .values({ organizationId: this.orgId, number: id, ticketId: was.id, authorId: memberIds.get(c.authorEmail)!, body: c.body, createdAt: c.createdAt })
          .run();
      }
      for (const event of updates.audit(was, ticket)) this.audit(tx, event, now);
    }
  }

  /** Reserves `count` consecutive comment numbers of the org. */
  private allocateCommentNumbers(tx: Db, count: number): number {
    const row = tx
      .update(organizations)
      .set({ nextCommentNumber: sql`${organizations.nextCommentNumber} + ${count}` })
      .where(eq(organizations.id, this.orgId))
      .returning({ next: organizations.nextCommentNumber })
      .get();
    if (!row) throw new Error(`organization ${this.orgId} vanished during a ticket write`);
    return row.next - count;
  }

  private touch(tx: Db, id: number, set: Partial<typeof tickets.$inferInsert>, at: number): void {
    tx.update(tickets)
      .set({ ...set, updatedAt: at })
      .where(and(eq(tickets.organizationId, this.orgId), eq(tickets.id, id)))
      .run();
  }

  create(input: NewTicket, decide: Decide<ActorState & NewTicketState, (number: number) => AuditInput>): Promise<TicketRecord> {
    return this.write((tx) => {
      const now = this.clock.now();
      const { ids, nonMembers } = this.assignees(tx, [input.assigneeEmail]);
      const event = decide({ actor: readActor(tx, this.ctx), nonMembers, unknownStatuses: this.unknownStatuses(tx, [input.status]) });
      const number = this.allocateNumbers(tx, 1);
      const { id } = tx
        .insert(tickets)
        .values({
          organizationId: this.orgId,
          number,
          title: input.title,
          body: input.body,
          status: input.status,
          priority: input.priority,
          assigneeId: input.assigneeEmail !== null ? ids.get(input.assigneeEmail)! : null,
          reporterId: this.ctx.user.id,
          createdAt: input.createdAt ?? now,
          updatedAt: input.updatedAt ?? input.createdAt ?? now,
        })
        .returning({ id: tickets.id })
        .get();
      this.linkLabels(tx, id, input.labels);
      this.audit(tx, event(number), now);
      return this.load(tx, number)!;
    });
  }

  edit(numbers: readonly number[], decide: Decide<TicketState, TicketEditPlan | null>): Promise<TicketChange[]> {
    return this.write((tx) =>
      this.applyAll(tx, this.judgeAll(tx, numbers, decide), (before, plan, now) => {
        this.touch(tx, before.id, plan.set, now);
        this.linkLabels(tx, before.id, plan.addLabels);
        this.unlinkLabels(tx, before.id, plan.removeLabels);
        this.audit(tx, plan.audit, now);
      }),
    );
  }

  setAssignee(
    numbers: readonly number[],
    email: string | null,
    decide: Decide<TicketState & AssigneeState, AuditInput | null>,
  ): Promise<TicketChange[]> {
    return this.write((tx) => {
      const { ids, nonMembers } = this.assignees(tx, [email]);
      const assigneeId = email !== null ? (ids.get(email) ?? null) : null;
      const judged = this.judgeAll(tx, numbers, (state) => decide({ ...state, nonMembers }));
      return this.applyAll(tx, judged, (before, event, now) => {
        this.touch(tx, before.id, { assigneeId }, now);
        this.audit(tx, event, now);
      });
    });
  }

  setStatus(
    numbers: readonly number[],
    decide: Decide<TicketState & { workflow: WorkflowRecord }, { status: TicketStatus; audit: AuditInput } | null>,
  ): Promise<TicketChange[]> {
    return this.write((tx) => {
      const workflow = readWorkflow(tx, this.orgId);
      return this.applyAll(tx, this.judgeAll(tx, numbers, (state) => decide({ ...state, workflow })), (before, plan, now) => {
        this.touch(tx, before.id, { status: plan.status }, now);
        this.audit(tx, plan.audit, now);
      });
    });
  }

  addComment(
    number: number,
    body: string,
    decide: Decide<TicketState, (commentId: number) => AuditInput>,
  ): Promise<{ ticket: TicketRecord; comment: CommentRecord }> {
    return this.write((tx) => {
      const { before, plan: event } = this.judgeAll(tx, [number], decide)[0]!;
      const now = this.clock.now();
      const id = takeNumber(tx, this.orgId, 'nextCommentNumber');
      tx.insert(comments)
        .values({ organizationId: this.orgId, number: id, ticketId: before.id, authorId: this.ctx.user.id, body, createdAt: now })
        .run();
      this.touch(tx, before.id, {}, now);
      this.audit(tx, event(id), now);
      return {
        ticket: this.load(tx, number)!,
        comment: { id, author: { email: this.ctx.user.email, name: this.ctx.user.name }, body, createdAt: now },
      };
    });
  }

  delete(numbers: readonly number[], decide: Decide<TicketState, AuditInput>): Promise<TicketRecord[]> {
    return this.write((tx) =>
      this.judgeAll(tx, numbers, decide).map(({ before, plan: event }) => {
        // Comments and label links go with it (ON DELETE CASCADE), the search row by trigger.
        tx.delete(tickets)
          .where(and(eq(tickets.organizationId, this.orgId), eq(tickets.id, before.id)))
          .run();
        this.audit(tx, event);
        return before;
      }),
    );
  }

  async importMany(
    input: NewTicket[],
    decide: Decide<ActorState & NewTicketState & { count: number }, (firstNumber: number) => AuditInput>,
    progress?: (written: number, total: number) => void,
    updates?: ImportUpdates,
  ): Promise<{ firstNumber: number; count: number }> {
    // A big import touches far more index pages than the default 2 MB cache holds.
    const cacheSize = this.conn.sqlite.pragma('cache_size', { simple: true }) as number;
    this.conn.sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    try {
      return await this.writeImport(input, decide, progress, updates);
    } finally {
      this.conn.sqlite.pragma(`cache_size = ${cacheSize}`);
    }
  }

  private writeImport(
    input: NewTicket[],
    decide: Decide<ActorState & NewTicketState & { count: number }, (firstNumber: number) => AuditInput>,
    progress?: (written: number, total: number) => void,
    updates?: ImportUpdates,
  ): Promise<{ firstNumber: number; count: number }> {
    return this.write((tx) => {
      const count = input.length;
      const now = this.clock.now();
      const all = updates ? [...input, ...updates.tickets.map((u) => u.ticket)] : input;
      const { ids: assigneeIds, nonMembers } = this.assignees(tx, [
        ...all.map((t) => t.assigneeEmail),
        ...all.flatMap((t) => (t.comments ?? []).map((c) => c.authorEmail)),
      ]);
      const unknownStatuses = this.unknownStatuses(tx, all.map((t) => t.status));
      const event = decide({ actor: readActor(tx, this.ctx), count, nonMembers, unknownStatuses });
      if (updates && updates.tickets.length > 0) this.writeOver(tx, updates, assigneeIds, now);
      if (count === 0) return { firstNumber: 0, count: 0 };
      const firstNumber = this.allocateNumbers(tx, count);
      const labelIds = this.ensureLabels(tx, input.flatMap((t) => t.labels));
      // Rows go in by the batch: one prepared multi-row INSERT … VALUES per IMPORT_ROWS tickets,
      // its values bound as parameters (measured: a third less CPU than one statement per 2,000
      // rows reading a JSON array through json_each, which parses each row's JSON once per column).
      // VALUES fills every column in the table's order (drizzle lists them all).
      const orgId = this.orgId;
      const reporterId = this.ctx.user.id;
      const ticketValues = (rows: number) =>
        sql.join(
          Array.from({ length: rows }, (_, r) => {
            const p = (k: number) => sql.placeholder(String(r * TICKET_PARAMS + k));
            return sql`(NULL, ${orgId}, ${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${reporterId}, ${p(6)}, ${p(7)}, ${p(8)})`;
          }),
          sql`, `,
        );
      const insertTickets = (rows: number) =>
        tx.insert(tickets).select(sql`VALUES ${ticketValues(rows)}`).returning({ id: tickets.id, number: tickets.number }).prepare();
      const linkValues = (rows: number) =>
        sql.join(
          Array.from({ length: rows }, (_, r) => sql`(${orgId}, ${sql.placeholder(String(2 * r))}, ${sql.placeholder(String(2 * r + 1))})`),
          sql`, `,
        );
      const insertLinks = (rows: number) => tx.insert(ticketLabels).select(sql`VALUES ${linkValues(rows)}`).prepare();
      const fullTickets = insertTickets(IMPORT_ROWS);
      const fullLinks = insertLinks(IMPORT_ROWS);
      // The placeholders are named by their index: the flat array of a batch's values fills them.
      const values = (params: unknown[]) => params as unknown as Record<string, unknown>;
      const rows = sql.placeholder('rows');
      // The search rows are built in one statement after the inserts (the insert triggers are off
      // meanwhile): one pass of FTS5 over the whole import instead of a flush per batch.
      const commentCount = input.reduce((n, t) => n + (t.comments?.length ?? 0), 0);
      const withComments = commentCount > 0;
      withSearchDeferred(() => {
        let commentNumber = commentCount > 0 ? this.allocateCommentNumbers(tx, commentCount) : 0;
        const commentRows: unknown[][] = [];
        const links: number[] = [];
        const flushLinks = (all: boolean) => {
          while (links.length >= 2 * IMPORT_ROWS || (all && links.length > 0)) {
            const batch = links.splice(0, Math.min(links.length, 2 * IMPORT_ROWS));
            (batch.length === 2 * IMPORT_ROWS ? fullLinks : insertLinks(batch.length / 2)).run(values(batch));
          }
        };
        const params: unknown[] = [];
        for (let start = 0; start < count; start += IMPORT_ROWS) {
          const end = Math.min(count, start + IMPORT_ROWS);
          params.length = 0;
          for (let i = start; i < end; i++) {
            const t = input[i]!;
            const createdAt = t.createdAt ?? now;
            const assigneeId = t.assigneeEmail !== null ? assigneeIds.get(t.assigneeEmail)! : null;
            params.push(firstNumber + i, t.title, t.body, t.status, t.priority, assigneeId, createdAt, t.updatedAt ?? createdAt, t.external ?? null);
          }
          const inserted = (end - start === IMPORT_ROWS ? fullTickets : insertTickets(end - start)).all(values(params));
          const ids = new Array<number>(end - start);
          for (const row of inserted) ids[row.number - firstNumber - start] = row.id;
          for (let i = start; i < end; i++) {
            const t = input[i]!;
            const id = ids[i - start]!;
            if (t.labels.length === 1) links.push(id, labelIds.get(t.labels[0]!)!);
            else if (t.labels.length > 1) for (const name of new Set(t.labels)) links.push(id, labelIds.get(name)!);
            for (const c of t.comments ?? []) {
              commentRows.push([commentNumber++, id, assigneeIds.get(c.authorEmail)!, c.body, c.createdAt]);
            }
          }
          flushLinks(false);
          if ((start / IMPORT_ROWS) % 20 === 19 || end === count) progress?.(end, count);
        }
        flushLinks(true);
        if (commentRows.length > 0) {
          const insertComments = tx
            .insert(comments)
            .select(sql`SELECT NULL, ${this.orgId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(${rows})`)
            .prepare();
          for (let start = 0; start < commentRows.length; start += IMPORT_BATCH) {
            insertComments.run({ rows: JSON.stringify(commentRows.slice(start, start + IMPORT_BATCH)) });
          }
        }
      });
      // FTS5 writes its pending terms as a segment each `hashsize` bytes and merges segments as it
      // goes (automerge): for the import's one statement, larger segments and no merging (measured:
      // an eighth less CPU); the defaults are back before the commit.
      if (count >= FTS_BULK_ROWS) ftsSettings(tx, FTS_BULK_SETTINGS);
      // New tickets have no comments but the import's: without any, no lookup per ticket.
      const commentsText = withComments
        ? sql`coalesce((SELECT group_concat(char(10) || tkt_search_text(c.organization_id, c.body), '' ORDER BY c.id)
            FROM comments c WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id), '')`
        : sql`''`;
      tx.run(sql`INSERT INTO ticket_search (rowid, organization_id, title, body, comments)
        SELECT t.id, 'o' || t.organization_id, tkt_search_text(t.organization_id, t.title || char(10) || coalesce(t.external, '')),
          tkt_search_text(t.organization_id, t.body), ${commentsText}
        FROM tickets t WHERE t.organization_id = ${this.orgId} AND t.number BETWEEN ${firstNumber} AND ${firstNumber + count - 1}`);
      if (count >= FTS_BULK_ROWS) ftsSettings(tx, FTS_DEFAULT_SETTINGS);
      this.audit(tx, event(firstNumber), now);
      return { firstNumber, count };
    });
  }
}
