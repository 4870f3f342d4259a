import type { AuditInput, Decide } from '../ports/common.js';
import type { ActorState } from '../ports/members.js';
import { conflict } from '../../errors.js';
import type {
  AssigneeState,
  CommentRecord,
  ImportUpdates,
  NewTicket,
  NewTicketState,
  SearchWord,
  TicketChange,
  TicketEditPlan,
  TicketFilterQuery,
  TicketQuery,
  TicketRecord,
  TicketRepo,
  TicketState,
  TicketStatus,
  TicketPriority,
} from '../ports/tickets.js';
import type { StatusCategory, WorkflowRecord } from '../ports/workflow.js';
import type { Query, Row } from './connection.js';
import { PgTenantRepo, takeNumbers, ticketKey } from './common.js';
import { readWorkflow } from './workflow.js';

const PRIORITY_RANK = `CASE t.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
/** Tickets per statement of an import (its parameters are arrays: one round trip per batch). */
export const IMPORT_BATCH = 10_000;
/** A batch of imported tickets and their labels, in one statement (the search rows by the statement trigger). */
const IMPORT_TICKETS = `WITH ins AS (
    INSERT INTO tickets (organization_id, number, title, body, status, priority, assignee_id, reporter_id, created_at, updated_at, external)
    SELECT $1, n, ti, b, s, p, a, $2, c, u, e FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::text[])
      AS x(n, ti, b, s, p, a, c, u, e)
    RETURNING id, number)
  INSERT INTO ticket_labels (organization_id, ticket_id, label_id)
  SELECT $1, ins.id, l.label FROM unnest($12::bigint[], $13::bigint[]) AS l(n, label) JOIN ins ON ins.number = l.n`;
/** Their comments, by ticket number (the search rows take them in the comments' statement trigger, once per ticket). */
const IMPORT_COMMENTS = `INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at)
  SELECT $1, x.n, t.id, x.a, x.b, x.c FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[]) AS x(n, tn, a, b, c)
  JOIN tickets t ON t.organization_id = $1 AND t.number = x.tn`;
/** Up to this many search hits, a search joins its hits to their tickets; beyond, it walks the org's tickets. */
export const SEARCH_JOIN_MAX = 1000;

/**
 * The tsquery of a search: each word a phrase of its terms (the last a prefix for `word*`), all
 * words required. Terms hold only letters and digits, each quoted: nothing typed becomes syntax.
 */
export function tsQuery(orgId: number, words: readonly SearchWord[]): string | null {
  // Indexed terms are qualified by their org (o7xzebra, migrations/pg/0011): so are the searched ones.
  const tag = `o${Math.trunc(orgId)}x`;
  const phrases = words
    .filter((w) => w.terms.length > 0)
    .map((w) => `(${w.terms.map((t, i) => `'${tag}${t.replace(/'/g, "''")}'${w.prefix && i === w.terms.length - 1 ? ':*' : ''}`).join(' <-> ')})`);
  return phrases.length === 0 ? null : phrases.join(' & ');
}

export class PgTicketRepo extends PgTenantRepo implements TicketRepo {
  private async select(q: Query, where: string, params: unknown[], rest = ''): Promise<TicketRecord[]> {
    const rows = await q(
      `SELECT t.id, t.number, t.title, t.body, t.status, t.priority, t.created_at, t.updated_at, t.external,
         (SELECT ws.category FROM workflow_statuses ws WHERE ws.organization_id = t.organization_id AND ws.code = t.status) AS status_category,
         a.email AS a_email, a.name AS a_name, r.email AS r_email, r.name AS r_name,
         (SELECT coalesce(array_agg(l.name ORDER BY l.name), '{}') FROM ticket_labels tl
           JOIN labels l ON l.organization_id = tl.organization_id AND l.id = tl.label_id
           WHERE tl.organization_id = t.organization_id AND tl.ticket_id = t.id) AS labels
       FROM tickets t JOIN users r ON r.id = t.reporter_id LEFT JOIN users a ON a.id = t.assignee_id
       WHERE t.organization_id = $1 AND ${where} ${rest}`,
      [this.orgId, ...params],
    );
    return rows.map((row) => this.toTicket(row));
  }

  private toTicket(row: Row): TicketRecord {
    return {
      id: row.id as number,
      number: row.number as number,
      key: ticketKey(this.ctx.org, row.number as number),
      title: row.title as string,
      body: row.body as string,
      status: row.status as TicketStatus,
      statusCategory: row.status_category as StatusCategory,
      priority: row.priority as TicketPriority,
      assignee: row.a_email != null ? { email: row.a_email as string, name: (row.a_name as string) ?? '' } : null,
      reporter: { email: row.r_email as string, name: row.r_name as string },
      labels: [...(row.labels as string[])].sort(),
      createdAt: row.created_at as number,
      updatedAt: row.updated_at as number,
      external: (row.external as string | null) ?? null,
    };
  }

  /** One ticket, inside the caller's transaction (the attachment repo judges by it too). */
  loadIn(q: Query, number: number): Promise<TicketRecord | null> {
    return this.load(q, number);
  }

  private async load(q: Query, number: number): Promise<TicketRecord | null> {
    return (await this.select(q, 't.number = $2', [number]))[0] ?? null;
  }

  findByNumber(number: number): Promise<TicketRecord | null> {
    return this.read((q) => this.load(q, number));
  }

  /** The WHERE (after the org) and its parameters, numbered from $2; null when nothing can match. */
  private async matching(q: Query, query: TicketFilterQuery): Promise<{ where: string; params: unknown[] } | null> {
    const conditions: string[] = ['true'];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length + 1}`;
    };
    if (query.statuses.length > 0) conditions.push(`t.status = ANY(${p(query.statuses)}::text[])`);
    if (query.priorities.length > 0) conditions.push(`t.priority = ANY(${p(query.priorities)}::text[])`);
    if (query.createdSince !== undefined) conditions.push(`t.created_at >= ${p(query.createdSince)}`);
    if (query.updatedSince !== undefined) conditions.push(`t.updated_at >= ${p(query.updatedSince)}`);
    if (query.assignee === 'none') conditions.push('t.assignee_id IS NULL');
    else if (query.assignee) {
      const id = await this.memberId(q, query.assignee.email);
      if (id === null) return null;
      conditions.push(`t.assignee_id = ${p(id)}`);
    }
    for (const name of query.labels) {
      conditions.push(`EXISTS (SELECT 1 FROM ticket_labels tl JOIN labels l ON l.organization_id = tl.organization_id AND l.id = tl.label_id
        WHERE tl.organization_id = t.organization_id AND tl.ticket_id = t.id AND l.name = ${p(name)})`);
    }
    if (query.search !== undefined) {
      const tsq = tsQuery(this.orgId, await this.normalise(q, query.search));
      if (tsq === null) return null;
      // Through tkt_search_ids() (migrations/pg/0018): under row-level security a plain query on
      // ticket_search cannot use the GIN index (`@@` is not leakproof) and tests every document.
      // The planner cannot see how many ids a function returns, so they are read first, up to a cap:
      // a few go back as an array (probed one by one through the tickets' primary key); many are
      // searched again as a hash that the walk of the org's tickets, in the asked order, tests
      // (`IS TRUE` keeps that IN a hashed filter rather than a join).
      const [hits] = await q<{ ids: string[] }>(`SELECT array(SELECT tkt_search_ids($1, to_tsquery('simple'::regconfig, $2), ${SEARCH_JOIN_MAX + 1})) AS ids`, [
        this.orgId,
        tsq,
      ]);
      const ids = hits!.ids;
      if (ids.length === 0) return null;
      if (ids.length <= SEARCH_JOIN_MAX) conditions.push(`t.id = ANY(${p(ids)}::bigint[])`);
      else conditions.push(`(t.id IN (SELECT s.id FROM tkt_search_ids($1, to_tsquery('simple'::regconfig, ${p(tsq)})) AS s(id))) IS TRUE`);
    }
    return { where: conditions.join(' AND '), params };
  }

  /**
   * The search words' terms as the database folds text for its index (unaccent's rules, e.g. ß →
   * ss, ½ → 1 2): a term and the indexed text go through the same function, so they always meet.
   */
  private async normalise(q: Query, words: readonly SearchWord[]): Promise<SearchWord[]> {
    const all = words.flatMap((w) => w.terms);
    if (all.length === 0) return [];
    const [row] = await q<{ t: string[] }>('SELECT array(SELECT tkt_search_fold(x) FROM unnest($1::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i) AS t', [all]);
    let at = 0;
    return words.map((w) => ({ prefix: w.prefix, terms: w.terms.flatMap(() => row!.t[at++]!.split(' ').filter((t) => t !== '')) }));
  }

  list(query: TicketQuery): Promise<TicketRecord[]> {
    return this.read(async (q) => {
      const m = await this.matching(q, query);
      if (!m) return [];
      const dir = query.descending ? 'DESC' : 'ASC';
      const order = {
        number: `t.number ${dir}`,
        created: `t.created_at ${dir}, t.id ${dir}`,
        updated: `t.updated_at ${dir}, t.id ${dir}`,
        priority: `${PRIORITY_RANK} ${dir}, t.id ${dir}`,
      }[query.sort];
      const limit = query.limit > 0 ? ` LIMIT ${Math.trunc(query.limit)}${query.offset ? ` OFFSET ${Math.trunc(query.offset)}` : ''}` : '';
      return this.select(q, m.where, m.params, `ORDER BY ${order}${limit}`);
    });
  }

  count(query: TicketFilterQuery): Promise<number> {
    return this.read(async (q) => {
      const m = await this.matching(q, query);
      if (!m) return 0;
      const [row] = await q<{ n: string }>(`SELECT count(*) AS n FROM tickets t WHERE t.organization_id = $1 AND ${m.where}`, [this.orgId, ...m.params]);
      return Number(row!.n);
    });
  }

  comments(number: number): Promise<CommentRecord[] | null> {
    return this.read(async (q) => {
      const id = await this.idOf(q, number);
      if (id === null) return null;
      const rows = await q(
        `SELECT c.number, u.email, u.name, c.body, c.created_at FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.organization_id = $1 AND c.ticket_id = $2 ORDER BY c.id`,
        [this.orgId, id],
      );
      return rows.map((r) => ({ id: r.number as number, author: { email: r.email as string, name: r.name as string }, body: r.body as string, createdAt: r.created_at as number }));
    });
  }

  memberEmails(emails: string[]): Promise<Set<string>> {
    return this.read(async (q) => {
      const rows = await q<{ email: string }>(
        'SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = ANY($2::text[])',
        [this.orgId, [...new Set(emails)]],
      );
      return new Set(rows.map((r) => r.email));
    });
  }

  commentsOf(numbers: readonly number[]): Promise<Map<number, CommentRecord[]>> {
    return this.read(async (q) => {
      const found = new Map<number, CommentRecord[]>();
      if (numbers.length === 0) return found;
      const rows = await q(
        `SELECT t.number AS ticket, c.number, u.email, u.name, c.body, c.created_at FROM comments c
         JOIN tickets t ON t.organization_id = c.organization_id AND t.id = c.ticket_id JOIN users u ON u.id = c.author_id
         WHERE c.organization_id = $1 AND t.number = ANY($2::bigint[]) ORDER BY c.id`,
        [this.orgId, [...new Set(numbers)]],
      );
      for (const r of rows) {
        let list = found.get(r.ticket as number);
        if (!list) found.set(r.ticket as number, (list = []));
        list.push({ id: r.number as number, author: { email: r.email as string, name: r.name as string }, body: r.body as string, createdAt: r.created_at as number });
      }
      return found;
    });
  }

  numbersByExternal(externals: readonly string[]): Promise<Map<string, number>> {
    return this.read(async (q) => {
      const found = new Map<string, number>();
      if (externals.length === 0) return found;
      const rows = await q<{ number: number; external: string }>(
        // Through the database's function (migrations/pg/0023): ticket:create alone finds them, as on SQLite.
        'SELECT number, external FROM tkt_external_numbers($1, $2::text[])',
        [this.orgId, [...new Set(externals)]],
      );
      for (const r of rows) found.set(r.external, r.number);
      return found;
    });
  }

  /** Which of these statuses the org's workflow does not have (each once, in order). */
  private async unknownStatuses(q: Query, statuses: readonly string[]): Promise<string[]> {
    const known = new Set((await readWorkflow(q, this.orgId)).statuses.map((s) => s.code));
    return [...new Set(statuses)].filter((s) => !known.has(s));
  }

  private async idOf(q: Query, number: number): Promise<number | null> {
    const [row] = await q<{ id: number }>('SELECT id FROM tickets WHERE organization_id = $1 AND number = $2', [this.orgId, number]);
    return row?.id ?? null;
  }

  private async memberId(q: Query, email: string): Promise<number | null> {
    const [row] = await q<{ id: number }>(
      'SELECT m.user_id AS id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = $2',
      [this.orgId, email],
    );
    return row?.id ?? null;
  }

  private async assignees(q: Query, emails: Iterable<string | null>): Promise<{ ids: Map<string, number>; nonMembers: string[] }> {
    const wanted = [...new Set([...emails].filter((e): e is string => e !== null))];
    const ids = new Map<string, number>();
    if (wanted.length > 0) {
      const rows = await q<{ id: number; email: string }>(
        'SELECT m.user_id AS id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 AND u.email = ANY($2::text[])',
        [this.orgId, wanted],
      );
      for (const r of rows) ids.set(r.email, r.id);
    }
    return { ids, nonMembers: wanted.filter((e) => !ids.has(e)) };
  }

  private async loadMany(q: Query, numbers: readonly number[]): Promise<Map<number, TicketRecord>> {
    const found = new Map<number, TicketRecord>();
    for (const t of await this.select(q, 't.number = ANY($2::bigint[])', [[...numbers]])) found.set(t.number, t);
    return found;
  }

  private async judgeAll<P>(q: Query, numbers: readonly number[], decide: Decide<TicketState, P>): Promise<Array<{ before: TicketRecord; plan: P }>> {
    const actor = await this.actor(q);
    const found = await this.loadMany(q, numbers);
    return numbers.map((number) => {
      const before = found.get(number) ?? null;
      const plan = decide({ actor, number, ticket: before });
      if (!before) throw new Error(`the decide of a write let missing ticket ${number} through`);
      return { before, plan };
    });
  }

  private async applyAll<P>(
    q: Query,
    judged: Array<{ before: TicketRecord; plan: P | null }>,
    write: (before: TicketRecord, plan: P, now: number) => Promise<void>,
  ): Promise<TicketChange[]> {
    const now = this.clock.now();
    const changed = judged.filter((j) => j.plan !== null);
    for (const { before, plan } of changed) await write(before, plan!, now);
    const after = await this.loadMany(q, changed.map((j) => j.before.number));
    return judged.map(({ before, plan }) => (plan === null ? { before, after: before, changed: false } : { before, after: after.get(before.number)!, changed: true }));
  }

  private async ensureLabels(q: Query, names: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(names)];
    const ids = new Map<string, number>();
    if (unique.length === 0) return ids;
    await q('INSERT INTO labels (organization_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [this.orgId, unique]);
    const rows = await q<{ id: number; name: string }>('SELECT id, name FROM labels WHERE organization_id = $1 AND name = ANY($2::text[])', [this.orgId, unique]);
    for (const r of rows) ids.set(r.name, r.id);
    return ids;
  }

  private async linkLabels(q: Query, ticketId: number, names: readonly string[]): Promise<void> {
    const ids = await this.ensureLabels(q, names);
    if (ids.size === 0) return;
    await q('INSERT INTO ticket_labels (organization_id, ticket_id, label_id) SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING', [
      this.orgId,
      ticketId,
      [...ids.values()],
    ]);
  }

  private async unlinkLabels(q: Query, ticketId: number, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await q(
      `DELETE FROM ticket_labels WHERE organization_id = $1 AND ticket_id = $2
       AND label_id IN (SELECT id FROM labels WHERE organization_id = $1 AND name = ANY($3::text[]))`,
      [this.orgId, ticketId, [...names]],
    );
  }

  private async touch(q: Query, id: number, set: Record<string, unknown>, at: number): Promise<void> {
    const columns = Object.entries(set).filter(([, v]) => v !== undefined);
    const assignments = columns.map(([k], i) => `${k} = $${i + 4}`);
    await q(`UPDATE tickets SET ${[...assignments, 'updated_at = $3'].join(', ')} WHERE organization_id = $1 AND id = $2`, [
      this.orgId,
      id,
      at,
      ...columns.map(([, v]) => v),
    ]);
  }

  create(input: NewTicket, decide: Decide<ActorState & NewTicketState, (number: number) => AuditInput>): Promise<TicketRecord> {
    return this.write(async (q) => {
      const now = this.clock.now();
      const { ids, nonMembers } = await this.assignees(q, [input.assigneeEmail]);
      const event = decide({ actor: await this.actor(q), nonMembers, unknownStatuses: await this.unknownStatuses(q, [input.status]) });
      const number = await takeNumbers(q, this.orgId, 'next_ticket_number');
      const createdAt = input.createdAt ?? now;
      const [row] = await q<{ id: number }>(
        `INSERT INTO tickets (organization_id, number, title, body, status, priority, assignee_id, reporter_id, created_at, updated_at, external)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          this.orgId,
          number,
          input.title,
          input.body,
          input.status,
          input.priority,
          input.assigneeEmail !== null ? ids.get(input.assigneeEmail)! : null,
          this.ctx.user.id,
          createdAt,
          input.updatedAt ?? createdAt,
          input.external ?? null,
        ],
      );
      await this.linkLabels(q, row!.id, input.labels);
      await this.audit(q, event(number), now);
      return (await this.load(q, number))!;
    });
  }

  edit(numbers: readonly number[], decide: Decide<TicketState, TicketEditPlan | null>): Promise<TicketChange[]> {
    return this.write(async (q) =>
      this.applyAll(q, await this.judgeAll(q, numbers, decide), async (before, plan, now) => {
        await this.touch(q, before.id, { title: plan.set.title, body: plan.set.body, priority: plan.set.priority }, now);
        await this.linkLabels(q, before.id, plan.addLabels);
        await this.unlinkLabels(q, before.id, plan.removeLabels);
        await this.audit(q, plan.audit, now);
      }),
    );
  }

  setAssignee(numbers: readonly number[], email: string | null, decide: Decide<TicketState & AssigneeState, AuditInput | null>): Promise<TicketChange[]> {
    return this.write(async (q) => {
      const { ids, nonMembers } = await this.assignees(q, [email]);
      const assigneeId = email !== null ? (ids.get(email) ?? null) : null;
      const judged = await this.judgeAll(q, numbers, (state) => decide({ ...state, nonMembers }));
      return this.applyAll(q, judged, async (before, event, now) => {
        await this.touch(q, before.id, { assignee_id: assigneeId }, now);
        await this.audit(q, event, now);
      });
    });
  }

  setStatus(
    numbers: readonly number[],
    decide: Decide<TicketState & { workflow: WorkflowRecord }, { status: TicketStatus; audit: AuditInput } | null>,
  ): Promise<TicketChange[]> {
    return this.write(async (q) => {
      const workflow = await readWorkflow(q, this.orgId);
      return this.applyAll(q, await this.judgeAll(q, numbers, (state) => decide({ ...state, workflow })), async (before, plan, now) => {
        await this.touch(q, before.id, { status: plan.status }, now);
        await this.audit(q, plan.audit, now);
      });
    });
  }

  addComment(number: number, body: string, decide: Decide<TicketState, (commentId: number) => AuditInput>): Promise<{ ticket: TicketRecord; comment: CommentRecord }> {
    return this.write(async (q) => {
      const { before, plan: event } = (await this.judgeAll(q, [number], decide))[0]!;
      const now = this.clock.now();
      const id = await takeNumbers(q, this.orgId, 'next_comment_number');
      await q('INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        this.orgId,
        id,
        before.id,
        this.ctx.user.id,
        body,
        now,
      ]);
      await this.touch(q, before.id, {}, now);
      await this.audit(q, event(id), now);
      return { ticket: (await this.load(q, number))!, comment: { id, author: { email: this.ctx.user.email, name: this.ctx.user.name }, body, createdAt: now } };
    });
  }

  delete(numbers: readonly number[], decide: Decide<TicketState, AuditInput>): Promise<TicketRecord[]> {
    return this.write(async (q) => {
      const out: TicketRecord[] = [];
      for (const { before, plan: event } of await this.judgeAll(q, numbers, decide)) {
        await q('DELETE FROM tickets WHERE organization_id = $1 AND id = $2', [this.orgId, before.id]);
        await this.audit(q, event);
        out.push(before);
      }
      return out;
    });
  }

  /** --on-duplicate update: each ticket written over (search rows by trigger), its new comments added, audited. */
  private async writeOver(q: Query, updates: ImportUpdates, memberIds: Map<string, number>, now: number): Promise<void> {
    const before = await this.loadMany(q, updates.tickets.map((u) => u.number));
    for (const { number, ticket } of updates.tickets) {
      const was = before.get(number);
      if (!was) throw conflict(`ticket ${ticketKey(this.ctx.org, number)} was deleted during the import`, 'nothing was imported; run it again');
      // A ticket keeps its creation time on PostgreSQL (tkt_ticket_guard): only the other fields are written over.
      await q(
        `UPDATE tickets SET title = $3, body = $4, status = $5, priority = $6, assignee_id = $7, updated_at = $8
         WHERE organization_id = $1 AND id = $2`,
        [
          this.orgId,
          was.id,
          ticket.title,
          ticket.body,
          ticket.status,
          ticket.priority,
          ticket.assigneeEmail !== null ? memberIds.get(ticket.assigneeEmail)! : null,
          ticket.updatedAt ?? Math.max(now, was.createdAt),
        ],
      );
      await this.unlinkLabels(q, was.id, was.labels.filter((l) => !ticket.labels.includes(l)));
      await this.linkLabels(q, was.id, ticket.labels);
      const held = new Set(
        (await q<{ created_at: number; body: string }>('SELECT created_at, body FROM comments WHERE organization_id = $1 AND ticket_id = $2', [this.orgId, was.id])).map(
          (c) => `${c.created_at}\n${c.body}`,
        ),
      );
      for (const c of ticket.comments ?? []) {
        if (held.has(`${c.createdAt}\n${c.body}`)) continue;
        const id = await takeNumbers(q, this.orgId, 'next_comment_number');
        await q('INSERT INTO comments (organization_id, number, ticket_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          this.orgId,
          id,
          was.id,
          memberIds.get(c.authorEmail)!,
          c.body,
          c.createdAt,
        ]);
      }
      for (const event of updates.audit(was, ticket)) await this.audit(q, event, now);
    }
  }

  importMany(
    input: NewTicket[],
    decide: Decide<ActorState & NewTicketState & { count: number }, (firstNumber: number) => AuditInput>,
    progress?: (written: number, total: number) => void,
    updates?: ImportUpdates,
  ): Promise<{ firstNumber: number; count: number }> {
    return this.write(async (q) => {
      const count = input.length;
      const now = this.clock.now();
      const all = updates ? [...input, ...updates.tickets.map((u) => u.ticket)] : input;
      const { ids: assigneeIds, nonMembers } = await this.assignees(q, [
        ...all.map((t) => t.assigneeEmail),
        ...all.flatMap((t) => (t.comments ?? []).map((c) => c.authorEmail)),
      ]);
      const unknownStatuses = await this.unknownStatuses(q, all.map((t) => t.status));
      const event = decide({ actor: await this.actor(q), count, nonMembers, unknownStatuses });
      if (updates && updates.tickets.length > 0) await this.writeOver(q, updates, assigneeIds, now);
      if (count === 0) return { firstNumber: 0, count: 0 };
      const firstNumber = await takeNumbers(q, this.orgId, 'next_ticket_number', count);
      const labelIds = await this.ensureLabels(q, input.flatMap((t) => t.labels));
      const commentCount = input.reduce((n, t) => n + (t.comments?.length ?? 0), 0);
      let commentNumber = commentCount > 0 ? await takeNumbers(q, this.orgId, 'next_comment_number', commentCount) : 0;
      // One statement per batch (its tickets and their labels; then its comments), batch k + 1 built
      // here while the database works on batch k. The first failure ends the import (nothing is left
      // in flight) and is the one reported.
      let inFlight: Promise<unknown> = Promise.resolve();
      let written = 0;
      for (let start = 0; start < count; start += IMPORT_BATCH) {
        const batch = input.slice(start, start + IMPORT_BATCH);
        const cols: unknown[][] = [[], [], [], [], [], [], [], [], [], [], []];
        const comments: unknown[][] = [[], [], [], [], []];
        batch.forEach((t, i) => {
          const number = firstNumber + start + i;
          const createdAt = t.createdAt ?? now;
          const assignee = t.assigneeEmail !== null ? assigneeIds.get(t.assigneeEmail)! : null;
          [number, t.title, t.body, t.status, t.priority, assignee, createdAt, t.updatedAt ?? createdAt, t.external ?? null].forEach((v, c) => cols[c]!.push(v));
          for (const name of new Set(t.labels)) {
            cols[9]!.push(number);
            cols[10]!.push(labelIds.get(name)!);
          }
          for (const c of t.comments ?? []) {
            [commentNumber++, number, assigneeIds.get(c.authorEmail)!, c.body, c.createdAt].forEach((v, k) => comments[k]!.push(v));
          }
        });
        await inFlight;
        if (written > 0) progress?.(written, count);
        written = start + batch.length;
        inFlight = q(IMPORT_TICKETS, [this.orgId, this.ctx.user.id, ...cols]).then(() => (comments[0]!.length > 0 ? q(IMPORT_COMMENTS, [this.orgId, ...comments]) : undefined));
        inFlight.catch(() => undefined); // awaited above or below: no unhandled rejection meanwhile
      }
      await inFlight;
      progress?.(count, count);
      // Statistics for what a large import filled (migrations/pg/0019): the next search is planned on them.
      await q('SELECT tkt_import_analyze($1)', [count]);
      await this.audit(q, event(firstNumber), now);
      return { firstNumber, count };
    });
  }
}
