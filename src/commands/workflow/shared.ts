// The workflow as every workflow verb shows it: its statuses in order, one a line, with category,
// ticket count and where a ticket may move from it.
import type { WorkflowChange } from '../../domain/workflow.js';
import { allowedTargets } from '../../domain/workflow-rules.js';
import { list, type CommandResult, type Tone } from '../../output/types.js';
import type { StatusCategory, WorkflowView } from '../../store/ports/workflow.js';

export const STATUS_FIELDS = ['code', 'name', 'category', 'position', 'default', 'tickets', 'movesTo', 'rules'] as const;

const CATEGORY_TONE: Record<StatusCategory, Tone> = { unstarted: 'info', started: 'warning', completed: 'success', canceled: 'muted' };

export function statusRows(wf: WorkflowView) {
  const isDefault = wf.statuses.find((s) => s.isDefault)?.code ?? wf.statuses.find((s) => s.category === 'unstarted')?.code;
  return wf.statuses.map((s, i) => {
    const rules = wf.transitions.filter((t) => t.from === s.code).map((t) => ({ to: t.to, allowed: t.allowed }));
    return {
      code: s.code,
      name: s.name,
      category: s.category,
      position: i + 1,
      default: s.code === isDefault,
      tickets: wf.counts[s.code] ?? 0,
      movesTo: allowedTargets(wf, s.code),
      rules,
    };
  });
}

type StatusRow = ReturnType<typeof statusRows>[number];

function moves(row: StatusRow): string {
  if (row.rules.length === 0) return 'any';
  return row.movesTo.length > 0 ? row.movesTo.join(',') : 'none';
}

export function workflowResult(wf: WorkflowView, message?: string): CommandResult {
  return list<StatusRow>({
    items: statusRows(wf),
    fields: STATUS_FIELDS,
    columns: [
      { header: 'STATUS', value: (s) => s.code, tone: (s) => CATEGORY_TONE[s.category] },
      { header: 'NAME', value: (s) => s.name },
      { header: 'CATEGORY', value: (s) => s.category, tone: (s) => CATEGORY_TONE[s.category] },
      { header: 'TICKETS', value: (s) => String(s.tickets) },
      { header: 'NEW', value: (s) => (s.default ? 'yes' : '') },
      { header: 'MOVES TO', value: moves },
    ],
    id: (s) => s.code,
    ...(message !== undefined ? { message, summary: true as const } : {}),
  });
}

/** A change's outcome: the workflow after it, and one line that says what happened. */
export function changeResult(outcome: WorkflowChange, done: string, already: string): CommandResult {
  return workflowResult(outcome.workflow, outcome.changed ? done : already);
}
