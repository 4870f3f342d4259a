// An organization's own workflow as the domain sees it: its statuses in order (each in one of four
// fixed categories) and its transition rules. Tenant data like tickets: reached only through a
// repo bound to one organization.
import type { AuditInput, Decide } from './common.js';
import type { ActorState } from './members.js';

export const STATUS_CATEGORIES = ['unstarted', 'started', 'completed', 'canceled'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

export interface StatusRecord {
  code: string;
  name: string;
  category: StatusCategory;
  /** The status new tickets get, when set; else the first unstarted one. */
  isDefault: boolean;
}

export interface TransitionRule {
  from: string;
  to: string;
  /** true: an allowed move (once a status has one, only allowed moves leave it); false: a refused one. */
  allowed: boolean;
}

export interface WorkflowRecord {
  /** In their order. */
  statuses: StatusRecord[];
  /** Sorted by from, then to. */
  transitions: TransitionRule[];
}

/** The workflow with how many tickets each status holds (code → count; absent: none). */
export interface WorkflowView extends WorkflowRecord {
  counts: Record<string, number>;
}

/**
 * What a workflow change writes: the whole new workflow (statuses in their new order, all rules),
 * the tickets to move first (every ticket of status `from` goes to `to`, each with its own event),
 * and the events that record the change.
 */
export interface WorkflowPlan {
  workflow: WorkflowRecord;
  moves: Array<{ from: string; to: string; event: (ticketKey: string) => AuditInput }>;
  audit: AuditInput[];
}

/** What a workflow change is judged by, read inside its transaction. */
export interface WorkflowState extends ActorState {
  workflow: WorkflowView;
}

export interface WorkflowRepo {
  /** The workflow with its ticket counts. */
  current(): Promise<WorkflowView>;
  /**
   * One transaction: re-reads the actor and the workflow, runs the decide (null: nothing to do),
   * moves the tickets of `plan.moves`, writes the new workflow and the events. Serializable with
   * every ticket write (a removed status can never be left holding a ticket: the foreign key from
   * tickets refuses it anyway).
   */
  change(decide: Decide<WorkflowState, WorkflowPlan | null>): Promise<{ workflow: WorkflowView; moved: number; changed: boolean }>;
}
