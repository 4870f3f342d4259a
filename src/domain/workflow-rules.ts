// The rules of an organization's workflow, as pure functions: what a status code and name may be,
// which status new, closed and reopened tickets get, which moves the transition rules allow, and
// what each workflow change writes (a WorkflowPlan) or why it is refused.
import { conflict, usageError } from '../errors.js';
import { nearest } from '../lib/suggest.js';
import { quoted } from '../lib/text.js';
import type { AuditInput } from '../store/ports/common.js';
import {
  STATUS_CATEGORIES,
  type StatusCategory,
  type StatusRecord,
  type TransitionRule,
  type WorkflowPlan,
  type WorkflowRecord,
  type WorkflowView,
} from '../store/ports/workflow.js';
import { auditEvent } from './audit-events.js';
import * as validate from './validate.js';

export { STATUS_CATEGORIES, type StatusCategory };

/** Every organization starts with these, and no transition rules; `workflow reset` goes back to them. */
export const DEFAULT_STATUSES: readonly StatusRecord[] = [
  { code: 'open', name: 'Open', category: 'unstarted', isDefault: false },
  { code: 'in_progress', name: 'In progress', category: 'started', isDefault: false },
  { code: 'done', name: 'Done', category: 'completed', isDefault: false },
  { code: 'canceled', name: 'Canceled', category: 'canceled', isDefault: false },
];

export const DEFAULT_WORKFLOW: WorkflowRecord = { statuses: [...DEFAULT_STATUSES], transitions: [] };

/** The categories `ticket list` shows without --status: the unfinished tickets. */
export const UNFINISHED_CATEGORIES: readonly StatusCategory[] = ['unstarted', 'started'];

export const MAX_STATUSES = 50;
export const STATUS_NAME_MAX = 50;
const CODE = /^[a-z0-9_]{2,32}$/;

// ---- values as typed ----

export function statusCode(value: string, field = 'status code'): string {
  const code = value.trim();
  if (!CODE.test(code)) throw usageError(`invalid ${field} ${quoted(value)}`, 'a code is 2-32 characters of a-z, 0-9 and _ (in_review)');
  return code;
}

export function statusName(value: string): string {
  return validate.text(value, { field: 'name', max: STATUS_NAME_MAX });
}

export function category(value: string): StatusCategory {
  return validate.oneOf<StatusCategory>(value, STATUS_CATEGORIES, 'category');
}

/** Codes in a comma-separated list (reorder), each once. */
export function codeList(value: string): string[] {
  const codes = value.split(',').map((c) => c.trim()).filter((c) => c !== '').map((c) => statusCode(c));
  const twice = codes.find((c, i) => codes.indexOf(c) !== i);
  if (twice !== undefined) throw usageError(`${twice} is named twice`);
  return codes;
}

// ---- reading a workflow ----

export function findStatus(wf: WorkflowRecord, code: string): StatusRecord | undefined {
  return wf.statuses.find((s) => s.code === code);
}

function codes(wf: WorkflowRecord): string {
  return wf.statuses.map((s) => s.code).join(', ');
}

/** "did you mean "done"? " for a typo of one of the org's codes (or categories), else nothing. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = nearest(word, candidates);
  return guess === undefined ? '' : `did you mean ${quoted(guess)}? `;
}

/** The status a code names in this org's workflow; exit 2 listing the valid ones otherwise. */
export function existingStatus(wf: WorkflowRecord, value: string, orgSlug: string): StatusRecord {
  const code = value.trim().toLowerCase().replace(/[- ]/g, '_');
  const found = findStatus(wf, code);
  if (!found) {
    throw usageError(`${orgSlug} has no status ${quoted(value)}`, `${didYouMean(code, wf.statuses.map((s) => s.code))}its statuses: ${codes(wf)} (tkt workflow show)`);
  }
  return found;
}

export function firstOf(wf: WorkflowRecord, cat: StatusCategory): StatusRecord | undefined {
  return wf.statuses.find((s) => s.category === cat);
}

/** The status new tickets get: the one marked default, else the first unstarted one. */
export function defaultStatus(wf: WorkflowRecord): StatusRecord {
  const found = wf.statuses.find((s) => s.isDefault) ?? firstOf(wf, 'unstarted');
  if (!found) throw new Error('a workflow without a status for new tickets');
  return found;
}

export function categoryOf(wf: WorkflowRecord, code: string): StatusCategory {
  const found = findStatus(wf, code);
  if (!found) throw new Error(`status ${code} is not in the workflow`);
  return found.category;
}

/**
 * `--status` of list and export: codes of this org, or categories (all the org's statuses in
 * them), or `all` (empty: every status). A code the org does not have is exit 2 naming the valid ones.
 */
export function statusFilter(wf: WorkflowRecord, values: readonly string[], orgSlug: string): string[] {
  const words = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  if (words.length === 0) throw usageError('--status needs a status, a category or all', `its statuses: ${codes(wf)}`);
  if (words.includes('all')) return [];
  const out = new Set<string>();
  for (const word of words) {
    const typed = word.replace(/[- ]/g, '_');
    const code = CATEGORY_ALIASES[typed] ?? typed;
    if ((STATUS_CATEGORIES as readonly string[]).includes(code)) wf.statuses.filter((s) => s.category === code).forEach((s) => out.add(s.code));
    else if (findStatus(wf, code)) out.add(code);
    else {
      const hint = didYouMean(code, [...wf.statuses.map((s) => s.code), ...STATUS_CATEGORIES]);
      throw usageError(`${orgSlug} has no status ${quoted(word)}`, `${hint}its statuses: ${codes(wf)}; categories: ${STATUS_CATEGORIES.join(', ')}; or all`);
    }
  }
  return [...out];
}

/** Older spellings that --status keeps taking: closed means every completed status. */
const CATEGORY_ALIASES: Record<string, StatusCategory> = { closed: 'completed', cancelled: 'canceled' };

/** The codes of these categories, in order. */
export function codesIn(wf: WorkflowRecord, cats: readonly StatusCategory[]): string[] {
  return wf.statuses.filter((s) => cats.includes(s.category)).map((s) => s.code);
}

/**
 * Where a ticket may go from `from`: a denied rule refuses that move; once `from` has any allowed
 * rule, only its allowed targets are open. Without rules, every other status.
 */
export function allowedTargets(wf: WorkflowRecord, from: string): string[] {
  const rules = wf.transitions.filter((t) => t.from === from);
  const allowList = rules.filter((r) => r.allowed).map((r) => r.to);
  const denied = new Set(rules.filter((r) => !r.allowed).map((r) => r.to));
  return wf.statuses.map((s) => s.code).filter((c) => c !== from && !denied.has(c) && (allowList.length === 0 || allowList.includes(c)));
}

export function mayMove(wf: WorkflowRecord, from: string, to: string): boolean {
  return from === to || allowedTargets(wf, from).includes(to);
}

export function forbiddenMove(key: string, wf: WorkflowRecord, from: string, to: string) {
  const targets = allowedTargets(wf, from);
  const allowed = targets.length > 0 ? `allowed from ${from}: ${targets.join(', ')}` : `no move out of ${from} is allowed`;
  return conflict(
    `the workflow does not allow moving ${key} from ${from} to ${to} (${allowed})`,
    'tkt workflow show lists the rules; someone with workflow:manage can override with tkt ticket move -f',
  );
}

// ---- changes: each returns the plan of the whole new workflow, or throws ----

function assertValid(before: WorkflowView, after: WorkflowRecord, moved: Map<string, string> = new Map()): void {
  if (after.statuses.length > MAX_STATUSES) throw usageError(`a workflow has at most ${MAX_STATUSES} statuses`);
  const counts = new Map<StatusCategory, number>();
  for (const [code, n] of Object.entries(before.counts)) {
    const target = findStatus(after, moved.get(code) ?? code);
    if (target) counts.set(target.category, (counts.get(target.category) ?? 0) + n);
  }
  for (const [cat, n] of counts) {
    if (n > 0 && !firstOf(after, cat)) throw conflict(`${n} ticket(s) are ${cat}: the workflow must keep a ${cat} status`);
  }
  if (!after.statuses.some((s) => s.isDefault) && !firstOf(after, 'unstarted')) {
    throw conflict('new tickets need a status: keep an unstarted one, or mark another --default');
  }
}

function plan(before: WorkflowView, after: WorkflowRecord, audit: AuditInput[], moves: WorkflowPlan['moves'] = []): WorkflowPlan {
  assertValid(before, after, new Map(moves.map((m) => [m.from, m.to])));
  return { workflow: after, moves, audit };
}

function mustHave(wf: WorkflowRecord, code: string): StatusRecord {
  const found = findStatus(wf, code);
  if (!found) throw usageError(`there is no status ${quoted(code)}`, `the statuses: ${codes(wf)} (tkt workflow show)`);
  return found;
}

const withDefault = (statuses: StatusRecord[], code: string | undefined) =>
  code === undefined ? statuses : statuses.map((s) => ({ ...s, isDefault: s.code === code }));

export interface NewStatus {
  code: string;
  name: string;
  category: StatusCategory;
  /** After this status; else at the end of its category's statuses. */
  after?: string;
  isDefault?: boolean;
}

export function planAdd(wf: WorkflowView, input: NewStatus): WorkflowPlan {
  if (findStatus(wf, input.code)) throw conflict(`status ${input.code} already exists`, 'tkt workflow status rename changes its name');
  // --status takes categories too: a code that is a category's name must be of that category.
  if ((STATUS_CATEGORIES as readonly string[]).includes(input.code) && input.code !== input.category) {
    throw usageError(`the code ${input.code} is the name of a category; only a ${input.code} status may have it`);
  }
  const status: StatusRecord = { code: input.code, name: input.name, category: input.category, isDefault: false };
  const list = [...wf.statuses];
  let at: number;
  if (input.after !== undefined) at = list.indexOf(mustHave(wf, input.after)) + 1;
  else {
    const lastOfCategory = list.map((s) => s.category).lastIndexOf(input.category);
    at = lastOfCategory >= 0 ? lastOfCategory + 1 : firstStartedOrEnd(list, input.category);
  }
  list.splice(at, 0, status);
  const statuses = withDefault(list, input.isDefault ? input.code : undefined);
  return plan(wf, { ...wf, statuses }, [auditEvent.statusAdded(status, at + 1, input.isDefault === true)]);
}

/**
 * A category's first status goes before the statuses of the categories that follow it (in the
 * fixed order unstarted, started, completed, canceled), else at the end.
 */
function firstStartedOrEnd(list: StatusRecord[], cat: StatusCategory): number {
  const rank = STATUS_CATEGORIES.indexOf(cat);
  const i = list.findIndex((s) => STATUS_CATEGORIES.indexOf(s.category) > rank);
  return i >= 0 ? i : list.length;
}

export function planRename(wf: WorkflowView, code: string, input: { name?: string; isDefault?: boolean }): WorkflowPlan | null {
  const status = mustHave(wf, code);
  const name = input.name !== undefined && input.name !== status.name ? input.name : undefined;
  const makeDefault = input.isDefault === true && !status.isDefault;
  if (name === undefined && !makeDefault) return null;
  let statuses = wf.statuses.map((s) => (s.code === code && name !== undefined ? { ...s, name } : s));
  if (makeDefault) statuses = withDefault(statuses, code);
  return plan(wf, { ...wf, statuses }, [auditEvent.statusRenamed(code, name !== undefined ? { from: status.name, to: name } : undefined, makeDefault)]);
}

/** The ticket.move event of a ticket that a workflow change moved (its status removed or reset). */
function movedBy(from: StatusRecord, to: StatusRecord, via: 'workflow.status.remove' | 'workflow.reset') {
  return (key: string) => auditEvent.ticketMoved(key, from, to, { via });
}

export function planRemove(wf: WorkflowView, code: string, moveTo: string | undefined): WorkflowPlan {
  const status = mustHave(wf, code);
  const count = wf.counts[code] ?? 0;
  if (moveTo === undefined && count > 0) {
    throw usageError(`${code} holds ${count} ticket(s): say where they go`, `tkt workflow status remove ${code} --move-to <status>`);
  }
  const target = moveTo !== undefined ? mustHave(wf, moveTo) : undefined;
  if (target?.code === code) throw usageError('--move-to must name another status');
  const statuses = wf.statuses.filter((s) => s.code !== code).map((s) => (status.isDefault && target?.code === s.code ? { ...s, isDefault: true } : s));
  const transitions = wf.transitions.filter((t) => t.from !== code && t.to !== code);
  const moves = target && count > 0 ? [{ from: code, to: target.code, event: movedBy(status, target, 'workflow.status.remove') }] : [];
  return plan(wf, { statuses, transitions }, [auditEvent.statusRemoved(status, target ?? null, count)], moves);
}

export function planReorder(wf: WorkflowView, order: string[]): WorkflowPlan | null {
  const unknown = order.filter((c) => !findStatus(wf, c));
  if (unknown.length > 0) throw usageError(`there is no status ${unknown.join(', ')}`, `the statuses: ${codes(wf)}`);
  const missing = wf.statuses.filter((s) => !order.includes(s.code)).map((s) => s.code);
  if (missing.length > 0) throw usageError(`name every status once; missing: ${missing.join(', ')}`, `the statuses: ${codes(wf)}`);
  const before = wf.statuses.map((s) => s.code);
  if (before.join(',') === order.join(',')) return null;
  const statuses = order.map((c) => findStatus(wf, c)!);
  return plan(wf, { ...wf, statuses }, [auditEvent.statusesReordered(before, order)]);
}

export function planTransition(wf: WorkflowView, from: string, to: string, allowed: boolean): WorkflowPlan | null {
  const a = mustHave(wf, from);
  const b = mustHave(wf, to);
  if (a.code === b.code) throw usageError('a transition goes from one status to another');
  const previous = wf.transitions.find((t) => t.from === from && t.to === to);
  if (previous?.allowed === allowed) return null;
  const rule: TransitionRule = { from, to, allowed };
  const transitions = [...wf.transitions.filter((t) => t !== previous), rule].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  return plan(wf, { ...wf, transitions }, [auditEvent.transitionSet(a, b, allowed, previous ? previous.allowed : null)]);
}

/** Back to the four defaults: tickets of another status go to the default status of its category. */
export function planReset(wf: WorkflowView): WorkflowPlan | null {
  const same = wf.transitions.length === 0 && JSON.stringify(wf.statuses) === JSON.stringify(DEFAULT_STATUSES);
  if (same) return null;
  const moves: WorkflowPlan['moves'] = [];
  let moved = 0;
  for (const s of wf.statuses) {
    if (DEFAULT_STATUSES.some((d) => d.code === s.code)) continue;
    const target = DEFAULT_STATUSES.find((d) => d.category === s.category)!;
    const n = wf.counts[s.code] ?? 0;
    if (n > 0) moves.push({ from: s.code, to: target.code, event: movedBy(s, target, 'workflow.reset') });
    moved += n;
  }
  const after: WorkflowRecord = { statuses: [...DEFAULT_STATUSES], transitions: [] };
  return plan(wf, after, [auditEvent.workflowReset(wf.statuses.map((s) => s.code), wf.transitions.length, moved)], moves);
}
