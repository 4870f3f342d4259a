// An organization's workflow in SQLite: workflow_statuses and workflow_transitions, both keyed by
// organization_id. Every statement here is scoped to the repo's org.
import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import type { AuditInput, Decide } from '../ports/common.js';
import type { StatusCategory, StatusRecord, WorkflowPlan, WorkflowRecord, WorkflowRepo, WorkflowState, WorkflowView } from '../ports/workflow.js';
import { auditEvents, organizations, tickets, workflowStatuses, workflowTransitions } from '../schema.js';

/** Audit rows per INSERT when a removal moves many tickets. */
const AUDIT_BATCH = 2000;
import { TenantRepo } from './base.js';
import type { Db } from './connection.js';
import { readActor } from './memberships.js';
import { ticketKey } from './records.js';

/** The workflow of one org, statuses in order, rules sorted; for the ticket repo's moves too. */
export function readWorkflow(db: Db, orgId: number): WorkflowRecord {
  const statuses = db
    .select({ code: workflowStatuses.code, name: workflowStatuses.name, category: workflowStatuses.category, isDefault: workflowStatuses.isDefault })
    .from(workflowStatuses)
    .where(eq(workflowStatuses.organizationId, orgId))
    .orderBy(asc(workflowStatuses.position), asc(workflowStatuses.code))
    .all()
    .map((s) => ({ ...s, category: s.category as StatusCategory }));
  const transitions = db
    .select({ from: workflowTransitions.fromStatus, to: workflowTransitions.toStatus, allowed: workflowTransitions.allowed })
    .from(workflowTransitions)
    .where(eq(workflowTransitions.organizationId, orgId))
    .orderBy(asc(workflowTransitions.fromStatus), asc(workflowTransitions.toStatus))
    .all();
  return { statuses, transitions };
}

/** Inserts a new org's statuses (org create), in the caller's transaction. */
export function insertStatuses(tx: Db, orgId: number, statuses: readonly StatusRecord[], at: number): void {
  if (statuses.length === 0) return;
  tx.insert(workflowStatuses)
    .values(statuses.map((s, i) => ({ organizationId: orgId, code: s.code, name: s.name, category: s.category, position: i + 1, isDefault: s.isDefault, createdAt: at })))
    .run();
}

export class SqliteWorkflowRepo extends TenantRepo implements WorkflowRepo {
  private view(db: Db): WorkflowView {
    const counts: Record<string, number> = {};
    const rows = db
      .select({ status: tickets.status, n: sql<number>`count(*)` })
      .from(tickets)
      .where(eq(tickets.organizationId, this.orgId))
      .groupBy(tickets.status)
      .all();
    for (const r of rows) counts[r.status] = r.n;
    return { ...readWorkflow(db, this.orgId), counts };
  }

  current(): Promise<WorkflowView> {
    return this.read((db) => this.view(db));
  }

  change(decide: Decide<WorkflowState, WorkflowPlan | null>): Promise<{ workflow: WorkflowView; moved: number; changed: boolean }> {
    return this.write((tx) => {
      const before = this.view(tx);
      const plan = decide({ actor: readActor(tx, this.ctx), workflow: before });
      if (plan === null) return { workflow: before, moved: 0, changed: false };
      const now = this.clock.now();
      this.upsertStatuses(tx, plan.workflow.statuses, now);
      let moved = 0;
      for (const move of plan.moves) moved += this.moveAll(tx, move, now);
      // Rules first (their foreign keys), then the statuses that are gone.
      tx.delete(workflowTransitions).where(eq(workflowTransitions.organizationId, this.orgId)).run();
      const keep = plan.workflow.statuses.map((s) => s.code);
      tx.delete(workflowStatuses)
        .where(and(eq(workflowStatuses.organizationId, this.orgId), notInArray(workflowStatuses.code, keep)))
        .run();
      if (plan.workflow.transitions.length > 0) {
        tx.insert(workflowTransitions)
          .values(plan.workflow.transitions.map((t) => ({ organizationId: this.orgId, fromStatus: t.from, toStatus: t.to, allowed: t.allowed, createdAt: now })))
          .run();
      }
      for (const event of plan.audit) this.audit(tx, event, now);
      return { workflow: this.view(tx), moved, changed: true };
    });
  }

  /** Every status of the plan, in its position; the default flag cleared first (one per org). */
  private upsertStatuses(tx: Db, statuses: readonly StatusRecord[], now: number): void {
    tx.update(workflowStatuses).set({ isDefault: false }).where(eq(workflowStatuses.organizationId, this.orgId)).run();
    statuses.forEach((s, i) => {
      tx.insert(workflowStatuses)
        .values({ organizationId: this.orgId, code: s.code, name: s.name, category: s.category, position: i + 1, isDefault: s.isDefault, createdAt: now })
        .onConflictDoUpdate({
          target: [workflowStatuses.organizationId, workflowStatuses.code],
          set: { name: s.name, category: s.category, position: i + 1, isDefault: s.isDefault },
        })
        .run();
    });
  }

  /** Moves every ticket of one status to another, each with its own event; returns how many. */
  private moveAll(tx: Db, move: WorkflowPlan['moves'][number], now: number): number {
    const numbers = tx
      .select({ number: tickets.number })
      .from(tickets)
      .where(and(eq(tickets.organizationId, this.orgId), eq(tickets.status, move.from)))
      .orderBy(asc(tickets.number))
      .all()
      .map((r) => r.number);
    if (numbers.length === 0) return 0;
    tx.update(tickets)
      .set({ status: move.to, updatedAt: now })
      .where(and(eq(tickets.organizationId, this.orgId), eq(tickets.status, move.from)))
      .run();
    this.auditMany(tx, numbers.map((number) => move.event(ticketKey(this.ctx.org, number))), now);
    return numbers.length;
  }

  /**
   * Many events at once (one per ticket a removal moves): their numbers taken from
   * the org's counter in one step, the rows inserted by the batch as one JSON parameter each.
   */
  private auditMany(tx: Db, events: readonly AuditInput[], now: number): void {
    const row = tx
      .update(organizations)
      .set({ nextAuditNumber: sql`${organizations.nextAuditNumber} + ${events.length}` })
      .where(eq(organizations.id, this.orgId))
      .returning({ next: organizations.nextAuditNumber })
      .get();
    if (!row) throw new Error(`organization ${this.orgId} vanished during a workflow change`);
    const first = row.next - events.length;
    const insert = tx
      .insert(auditEvents)
      .select(
        sql`SELECT NULL, ${this.orgId}, value ->> 0, ${this.ctx.user.id}, value ->> 1, value ->> 2, value ->> 3, value ->> 4, ${now}
          FROM json_each(${sql.placeholder('rows')})`,
      )
      .prepare();
    for (let start = 0; start < events.length; start += AUDIT_BATCH) {
      const batch = events.slice(start, start + AUDIT_BATCH);
      insert.run({ rows: JSON.stringify(batch.map((e, i) => [first + start + i, e.action, e.targetType, e.target, JSON.stringify(e.details)])) });
    }
  }
}
