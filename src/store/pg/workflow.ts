// An organization's workflow on PostgreSQL: workflow_statuses and workflow_transitions, both keyed
// by organization_id (row-level security: read with ticket:read, written with workflow:manage).
// Every statement here names the repo's org.
import type { AuditInput, Decide } from '../ports/common.js';
import type { StatusCategory, StatusRecord, WorkflowPlan, WorkflowRecord, WorkflowRepo, WorkflowState, WorkflowView } from '../ports/workflow.js';
import type { Query } from './connection.js';
import { PgTenantRepo, takeNumbers, ticketKey } from './common.js';

/** Audit rows per INSERT when a removal moves many tickets. */
const AUDIT_BATCH = 5000;

/** The workflow of one org, statuses in order, rules sorted; for the ticket repo's moves too. */
export async function readWorkflow(q: Query, orgId: number): Promise<WorkflowRecord> {
  const statuses = (
    await q<{ code: string; name: string; category: string; is_default: boolean }>(
      'SELECT code, name, category, is_default FROM workflow_statuses WHERE organization_id = $1 ORDER BY position, code COLLATE "C"',
      [orgId],
    )
  ).map((s): StatusRecord => ({ code: s.code, name: s.name, category: s.category as StatusCategory, isDefault: s.is_default }));
  const transitions = (
    await q<{ from_status: string; to_status: string; allowed: boolean }>(
      'SELECT from_status, to_status, allowed FROM workflow_transitions WHERE organization_id = $1 ORDER BY from_status COLLATE "C", to_status COLLATE "C"',
      [orgId],
    )
  ).map((t) => ({ from: t.from_status, to: t.to_status, allowed: t.allowed }));
  return { statuses, transitions };
}

export class PgWorkflowRepo extends PgTenantRepo implements WorkflowRepo {
  private async view(q: Query): Promise<WorkflowView> {
    const counts: Record<string, number> = {};
    // Through the database's function (migrations/pg/0023): workflow:manage alone counts every ticket, as on SQLite.
    for (const r of await q<{ status: string; n: string }>('SELECT status, n FROM tkt_status_counts($1)', [this.orgId])) {
      counts[r.status] = Number(r.n);
    }
    return { ...(await readWorkflow(q, this.orgId)), counts };
  }

  current(): Promise<WorkflowView> {
    return this.read((q) => this.view(q));
  }

  change(decide: Decide<WorkflowState, WorkflowPlan | null>): Promise<{ workflow: WorkflowView; moved: number; changed: boolean }> {
    return this.write(async (q) => {
      const before = await this.view(q);
      const plan = decide({ actor: await this.actor(q), workflow: before });
      if (plan === null) return { workflow: before, moved: 0, changed: false };
      const now = this.clock.now();
      await this.upsertStatuses(q, plan.workflow.statuses, now);
      let moved = 0;
      for (const move of plan.moves) moved += await this.moveAll(q, move, now);
      // Rules first (their foreign keys), then the statuses that are gone.
      await q('DELETE FROM workflow_transitions WHERE organization_id = $1', [this.orgId]);
      await q('DELETE FROM workflow_statuses WHERE organization_id = $1 AND NOT (code = ANY($2::text[]))', [this.orgId, plan.workflow.statuses.map((s) => s.code)]);
      if (plan.workflow.transitions.length > 0) {
        const t = plan.workflow.transitions;
        await q(
          `INSERT INTO workflow_transitions (organization_id, from_status, to_status, allowed, created_at)
           SELECT $1, f, t, a, $5 FROM unnest($2::text[], $3::text[], $4::boolean[]) AS x(f, t, a)`,
          [this.orgId, t.map((r) => r.from), t.map((r) => r.to), t.map((r) => r.allowed), now],
        );
      }
      for (const event of plan.audit) await this.audit(q, event, now);
      return { workflow: await this.view(q), moved, changed: true };
    });
  }

  /** Every status of the plan, in its position; the default flag cleared first (one per org). */
  private async upsertStatuses(q: Query, statuses: readonly StatusRecord[], now: number): Promise<void> {
    await q('UPDATE workflow_statuses SET is_default = false WHERE organization_id = $1 AND is_default', [this.orgId]);
    for (const [i, s] of statuses.entries()) {
      await q(
        `INSERT INTO workflow_statuses (organization_id, code, name, category, position, is_default, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (organization_id, code) DO UPDATE SET name = excluded.name, category = excluded.category, position = excluded.position, is_default = excluded.is_default`,
        [this.orgId, s.code, s.name, s.category, i + 1, s.isDefault, now],
      );
    }
  }

  /** Moves every ticket of one status to another, each with its own event; returns how many. */
  private async moveAll(q: Query, move: WorkflowPlan['moves'][number], now: number): Promise<number> {
    const rows = await q<{ number: number }>('SELECT n AS number FROM tkt_move_status($1, $2, $3, $4) AS n', [this.orgId, move.from, move.to, now]);
    const numbers = rows.map((r) => r.number).sort((a, b) => a - b);
    if (numbers.length === 0) return 0;
    await this.auditMany(q, numbers.map((n) => move.event(ticketKey(this.ctx.org, n))), now);
    return numbers.length;
  }

  /** Many events at once: their numbers taken from the org's counter in one step, inserted by the batch. */
  private async auditMany(q: Query, events: readonly AuditInput[], now: number): Promise<void> {
    const first = await takeNumbers(q, this.orgId, 'next_audit_number', events.length);
    for (let start = 0; start < events.length; start += AUDIT_BATCH) {
      const batch = events.slice(start, start + AUDIT_BATCH);
      await q(
        `INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
         SELECT $1, n, $2, a, tt, t, d, $3 FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(n, a, tt, t, d)`,
        [
          this.orgId,
          this.ctx.user.id,
          now,
          batch.map((_, i) => first + start + i),
          batch.map((e) => e.action),
          batch.map((e) => e.targetType),
          batch.map((e) => e.target),
          batch.map((e) => JSON.stringify(e.details)),
        ],
      );
    }
  }
}
