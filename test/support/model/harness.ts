// Runs actions one by one against a runner and the model, and after every step checks:
//   - the exit code is the one the model predicts (0, or the documented refusal code);
//   - a refused operation printed no data and left the store exactly as it was (a dump compared),
//     and so did every read and every change that changes nothing;
//   - the output is what the model says (lists compared as sets) and holds no row of another
//     organization: no other org's slug or ticket key in it, and every audit event or invitation
//     it shows belongs, in the store, to the org acted in;
//   - the store (read with plain SQL) matches the model: per org its members and roles, role
//     permissions, tickets (status, priority, assignee, labels, comments), invitations and the
//     number of audit events.
// An interleaving is two such steps: A's write waits while B's change (checked as a step of its
// own) lands, then A's write is checked against the state B left.
import type { ObserveDb } from './observe.js';
import { expect } from 'vitest';
import type { Action, MOrg, Model, Output, Prediction, WriteAction } from './model.js';
import { dump, modelState, observe, ownersOf } from './observe.js';
import { describe, ORG_POOL } from './ops.js';
import type { Observation, Runner } from './runners.js';

export interface StepContext {
  model: Model;
  runner: Runner;
  db: ObserveDb;
  /** Moves the store's clock together with the model's (the domain test clock; a no-op for the CLI). */
  advance(ms: number): void;
  /** Every action so far, for the failure report. */
  log: string[];
  /**
   * The dump read after the last step (set by step()): the store as the next step finds it, since
   * nothing but steps changes the store between them (a clock moved is not in the dump).
   */
  lastDump?: string;
}

/** Lists compare as sets: sorted by their identity. */
function canonical(out: Output): Output {
  const by = <T>(items: T[], key: (x: T) => string | number) => [...items].sort((x, y) => String(key(x)).localeCompare(String(key(y))));
  switch (out.type) {
    case 'orgs':
      return { ...out, items: by(out.items, (o) => o.slug) };
    case 'members':
      return { ...out, items: by(out.items, (m) => m.email) };
    case 'roles':
      return { ...out, items: by(out.items, (r) => r.code) };
    case 'invites':
      return { ...out, items: by(out.items, (i) => i.id) };
    case 'tickets':
      return { ...out, items: by(out.items, (t) => t.key) };
    default:
      return out;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The slugs and keys of every org in the pool except the allowed ones, as patterns. */
function foreignMarkers(allowed: MOrg[]): RegExp[] {
  const mine = new Set(allowed.map((o) => o.slug));
  return ORG_POOL.filter((o) => !mine.has(o.slug)).flatMap((o) => [
    new RegExp(`\\b${escape(o.slug)}\\b`),
    new RegExp(`\\b${escape(o.key)}-\\d+\\b`, 'i'),
  ]);
}

function checkOutput(ctx: StepContext, p: Prediction, obs: Observation, say: () => string): void {
  if (obs.exit !== 0 && obs.output === undefined) {
    expect(obs.raw, `${say()}\na refused command must print no data`).toBe('');
    return;
  }
  const leaks = foreignMarkers(p.scope).filter((m) => m.test(obs.raw));
  expect(leaks.map(String), `${say()}\nthe output shows another organization's data:\n${obs.raw}`).toEqual([]);

  if (p.output === undefined && p.events === undefined) return;
  expect(obs.output, `${say()}\nno output`).toBeDefined();
  const out = obs.output!;
  /** Rows the output names by id must belong, in the store, to the org acted in. */
  const ownedByOrg = (table: 'audit_events' | 'invitations', ids: number[]) =>
    expect(new Set(ownersOf(ctx.db, table, p.scope[0]!.dbId, ids)), `${say()}\n${table} rows of another organization`).toEqual(
      new Set(ids.length > 0 ? [p.scope[0]!.dbId] : []),
    );

  if (p.events !== undefined) {
    expect(out.type, say()).toBe('audit');
    const ids = out.type === 'audit' ? out.ids : [];
    expect(ids.length, `${say()}\nthe audit log of ${p.scope[0]!.slug} has ${p.events} events`).toBe(p.events);
    ownedByOrg('audit_events', ids);
    return;
  }
  const expected = p.output!;
  if (expected.type === 'invite' && out.type === 'invite') {
    // The id and the token are new: the id must be this org's invitation, the token look like one.
    expect({ email: out.email, role: out.role }, say()).toEqual({ email: expected.email, role: expected.role });
    expect(out.token, say()).toMatch(/^tkti_/);
    ownedByOrg('invitations', [out.id]);
    return;
  }
  if (out.type === 'invites') ownedByOrg('invitations', out.items.map((i) => i.id));
  expect(canonical(out), say()).toEqual(canonical(expected));
}

/** Performs one action and checks everything; returns what was predicted (nothing for an idle step). */
export async function step(ctx: StepContext, action: Action): Promise<Prediction | undefined> {
  if (action.kind === 'idle') return undefined;
  if (action.kind === 'interleave') return interleaved(ctx, action.write, action.change);
  const { model, db } = ctx;
  const line = describe(action);
  ctx.log.push(line);
  const prediction = model.predict(action);
  const before = prediction.changes ? undefined : (ctx.lastDump ?? dump(db));
  const obs = action.kind === 'wait' ? { exit: 0, raw: '' } : await ctx.runner.run(action);
  settle(ctx, action, line, prediction, obs, before);
  return prediction;
}

/**
 * A's write starts; where it waits, B's change is made (a step of its own); then A's write lands
 * and is checked against the model's prediction for the state B left.
 */
async function interleaved(ctx: StepContext, write: WriteAction, change: Action): Promise<Prediction> {
  const { model, db } = ctx;
  const line = describe({ kind: 'interleave', write, change });
  ctx.log.push(line);
  const refusedAtStart = model.startWrite(write);
  // Once A's write has started, the store is read afresh (no dump from before it is reused).
  ctx.lastDump = undefined;
  let afterChange: string | undefined;
  const obs = await ctx.runner.interleave(write, async () => {
    await step(ctx, change);
    afterChange = dump(db);
  });
  expect(afterChange, `${line}\nthe runner never made the change`).toBeDefined();
  const prediction = refusedAtStart ?? model.landWrite(write);
  settle(ctx, write, line, prediction, obs, prediction.changes ? undefined : afterChange);
  return prediction;
}

/** Checks an observed outcome against its prediction, then commits the prediction to the model. */
function settle(ctx: StepContext, action: Action, line: string, prediction: Prediction, obs: Observation, before: string | undefined): void {
  const { model, db } = ctx;
  const say = () =>
    [`step ${ctx.log.length}: ${line}`, `exit ${obs.exit} (the model expects ${prediction.exit})`, obs.stderr ? `stderr: ${obs.stderr.trim()}` : '']
      .filter(Boolean)
      .join('\n');

  expect(obs.exit, say()).toBe(prediction.exit);
  expect(obs.stderr ?? '', `${say()}\na stack trace reached the user`).not.toMatch(/\n\s+at .+:\d+:\d+/);
  checkOutput(ctx, prediction, obs, say);
  // The store as the step left it, read once, with its dump (the next step's `before`).
  ctx.lastDump = undefined;
  const after = observe(db, true);
  if (before !== undefined) expect(after.dump === before, `${say()}\nthe store changed, but nothing should have`).toBe(true);

  if (action.kind === 'wait') ctx.advance(action.ms);
  prediction.commit?.(obs.output);
  // A new org's id is learnt from the store (an identity, like an invitation's id and token).
  if (action.kind === 'org.create' && obs.exit === 0) model.org(action.slug)!.dbId = after.orgId(action.slug);
  expect(after.stateAt(model.now), `${say()}\nthe store no longer matches the model`).toEqual(modelState(model));
  ctx.lastDump = after.dump;
}

/** How often each kind of operation ended with each exit code (to show the runs test both sides). */
export class Tally {
  private readonly kinds = new Map<string, Map<number, number>>();

  add(kind: string, exit: number): void {
    const exits = this.kinds.get(kind) ?? new Map<number, number>();
    exits.set(exit, (exits.get(exit) ?? 0) + 1);
    this.kinds.set(kind, exits);
  }

  /** Kinds that never succeeded, or were never refused. */
  oneSided(): string[] {
    return [...this.kinds].filter(([, exits]) => !exits.has(0) || exits.size < 2).map(([kind]) => kind);
  }

  toString(): string {
    return [...this.kinds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, exits]) => `${kind} ${[...exits].sort(([a], [b]) => a - b).map(([exit, n]) => `${n}x${exit}`).join(' ')}`)
      .join(', ');
  }
}
