// Workflow use cases: reading an organization's workflow (ticket:read) and changing it
// (workflow:manage). Each change is judged by the rules in workflow-rules.ts against the workflow
// as the store reads it inside the write's transaction, and is audited.
import type { WorkflowPlan, WorkflowState, WorkflowView } from '../store/ports/workflow.js';
import { stillMember } from './found.js';
import { assertPermission, assertStillPermitted, type Tenant } from './guard.js';
import * as rules from './workflow-rules.js';

export async function showWorkflow(tenant: Tenant): Promise<WorkflowView> {
  assertPermission(tenant.ctx, 'ticket:read');
  return currentWorkflow(tenant);
}

/**
 * The org's workflow, read before a write (to check what was typed). Every org has statuses: none
 * means it was deleted since the guard let the actor in, which is said as the write's own
 * re-check inside its transaction would say it.
 */
export async function currentWorkflow(tenant: Tenant): Promise<WorkflowView> {
  const wf = await tenant.store.workflow.current();
  if (wf.statuses.length === 0) stillMember(null, tenant.ctx.org);
  return wf;
}

export interface WorkflowChange {
  workflow: WorkflowView;
  /** Tickets moved by the change (a removal, a reset). */
  moved: number;
  /** false: it already was so; nothing was written. */
  changed: boolean;
}

async function change(tenant: Tenant, plan: (wf: WorkflowView) => WorkflowPlan | null): Promise<WorkflowChange> {
  assertPermission(tenant.ctx, 'workflow:manage');
  const { org } = tenant.ctx;
  return tenant.store.workflow.change((state: WorkflowState) => {
    assertStillPermitted(state.actor, org, 'workflow:manage');
    return plan(state.workflow);
  });
}

export interface AddStatusInput {
  code: string;
  name?: string;
  category: string;
  after?: string;
  isDefault?: boolean;
}

/** Without --name, the code made readable (in_review → In review). */
export function nameFromCode(code: string): string {
  const words = code.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export async function addStatus(tenant: Tenant, input: AddStatusInput): Promise<WorkflowChange> {
  const code = rules.statusCode(input.code);
  const status: rules.NewStatus = {
    code,
    name: rules.statusName(input.name ?? nameFromCode(code)),
    category: rules.category(input.category),
    ...(input.after !== undefined ? { after: rules.statusCode(input.after, '--after status') } : {}),
    ...(input.isDefault ? { isDefault: true } : {}),
  };
  return change(tenant, (wf) => rules.planAdd(wf, status));
}

export async function renameStatus(tenant: Tenant, code: string, input: { name?: string; isDefault?: boolean }): Promise<WorkflowChange> {
  const c = rules.statusCode(code);
  const name = input.name !== undefined ? rules.statusName(input.name) : undefined;
  return change(tenant, (wf) => rules.planRename(wf, c, { ...(name !== undefined ? { name } : {}), ...(input.isDefault ? { isDefault: true } : {}) }));
}

export async function removeStatus(tenant: Tenant, code: string, moveTo: string | undefined): Promise<WorkflowChange> {
  const c = rules.statusCode(code);
  const to = moveTo !== undefined ? rules.statusCode(moveTo, '--move-to status') : undefined;
  return change(tenant, (wf) => rules.planRemove(wf, c, to));
}

export async function reorderStatuses(tenant: Tenant, order: string): Promise<WorkflowChange> {
  const codes = rules.codeList(order);
  return change(tenant, (wf) => rules.planReorder(wf, codes));
}

export async function setTransition(tenant: Tenant, from: string, to: string, allowed: boolean): Promise<WorkflowChange> {
  const a = rules.statusCode(from, 'status');
  const b = rules.statusCode(to, 'status');
  return change(tenant, (wf) => rules.planTransition(wf, a, b, allowed));
}

export async function resetWorkflow(tenant: Tenant): Promise<WorkflowChange> {
  return change(tenant, (wf) => rules.planReset(wf));
}
