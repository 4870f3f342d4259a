// Random operations for the model tests. fast-check generates *specs*: an operation kind plus
// plain numbers ("the 7th member", "a foreign ticket key"). Each spec is resolved against the
// model just before it runs, so it always names people, orgs, tickets and invitations that exist
// (or existed) at that moment, and shrinking a number still gives a meaningful operation.
import fc from 'fast-check';
import type { Action, MInvite, Model, MOrg, TicketRef, WriteAction } from './model.js';
import { CATEGORIES, expand, PERMISSIONS, PRIORITIES, STATUS_POOL, WRITE_NEEDS } from './model.js';

export const USER_COUNT = 22;
export const USERS = Array.from({ length: USER_COUNT }, (_, i) => `u${String(i).padStart(2, '0')}@example.com`);
/** Invited addresses that have no account: their invitations can never be accepted. */
const OUTSIDERS = ['nobody1@example.com', 'nobody2@example.com'];

/**
 * Organizations come from this pool (slug and ticket key). No word, label, role code or email used
 * below is a slug, and only tickets have keys, so one org's slug (as a word) or one of its ticket
 * keys in the output of a command run in another org is a leak.
 */
export const ORG_POOL = [
  { slug: 'acme', key: 'ACME' },
  { slug: 'globex', key: 'GLOBEX' },
  { slug: 'initech', key: 'INITECH' },
  { slug: 'umbrella', key: 'UMBR' },
  { slug: 'hooli', key: 'HOOLI' },
  { slug: 'stark', key: 'STARK' },
  { slug: 'wayne', key: 'WAYNE' },
  { slug: 'tyrell', key: 'TYRELL' },
] as const;
export const INITIAL_ORGS = 5;

export const WORDS = ['login', 'crash', 'safari', 'export', 'slow', 'button', 'typo', 'cache', 'invoice', 'upload'] as const;
const LABELS = ['bug', 'ui', 'backend', 'docs'] as const;
const CUSTOM_ROLES = ['lead', 'triage', 'helper'] as const;
const ROLE_CODES = ['owner', 'admin', 'member', 'viewer', ...CUSTOM_ROLES] as const;
const ACCESS_PERMISSIONS = [...PERMISSIONS, 'ticket:*', '*'] as const;

// ---- specs ----

/** How often each kind is drawn. `idle` is never drawn: it is what shrinking turns an irrelevant step into. */
const WEIGHTS = {
  'org.create': 3,
  'org.switch': 2,
  'org.current': 2,
  'org.list': 2,
  'org.rename': 1,
  'org.transfer': 2,
  'org.leave': 2,
  'org.delete': 1,
  'member.list': 3,
  'member.setRole': 6,
  'member.remove': 3,
  'access.check': 4,
  'role.list': 2,
  'role.show': 1,
  'role.create': 5,
  'role.edit': 4,
  'role.delete': 3,
  'invite.create': 8,
  'invite.list': 2,
  'invite.revoke': 2,
  'invite.accept': 8,
  'ticket.create': 8,
  'ticket.edit': 4,
  'ticket.assign': 5,
  'ticket.unassign': 2,
  'ticket.move': 4,
  'ticket.comment': 3,
  'ticket.delete': 2,
  'ticket.list': 4,
  'ticket.search': 3,
  'ticket.export': 2,
  'ticket.view': 3,
  'audit.list': 2,
  'attachment.add': 3,
  'attachment.list': 2,
  'workflow.show': 2,
  'workflow.add': 3,
  'workflow.remove': 3,
  'workflow.rule': 3,
  /** Domain level only: the test clock jumps (invitations expire, the rate-limit window moves). */
  wait: 1,
  /**
   * Domain level only: a write waits (for input, at a prompt) while someone removes or demotes
   * its actor or deletes the org. test/e2e/stale-writes.test.ts does it with real processes.
   */
  interleave: 6,
} as const;

export type SpecKind = keyof typeof WEIGHTS | 'idle';

/** Who acts: a member whose role grants what the command needs, any member, or anyone at all. */
export type ActorKind = 'capable' | 'member' | 'anyone';

export interface Spec {
  kind: SpecKind;
  actor: number;
  actorKind: ActorKind;
  /** The org: among the live ones, or (now and then) any slug of the pool, live or not. */
  org: number;
  anyOrg: boolean;
  /** A second person (target, assignee, invitee…), among the org's members when `targetInsider`. */
  target: number;
  targetInsider: boolean;
  /** Which role, permission, status, word, ticket… (interpreted per kind). */
  a: number;
  b: number;
  c: number;
  flag: boolean;
}

const pick = fc.nat({ max: 0x7fff });
/** True 4 times in 5 (and shrinks to true). */
const mostly = fc.nat({ max: 4 }).map((n) => n !== 4);
/** False 6 times in 7 (and shrinks to false). */
const rarely = fc.nat({ max: 6 }).map((n) => n === 6);
const actorKind = fc.nat({ max: 9 }).map((n): ActorKind => (n < 5 ? 'capable' : n < 8 ? 'member' : 'anyone'));

export function specArbitrary(options: { cli: boolean }): fc.Arbitrary<Spec> {
  const kinds = Object.entries(WEIGHTS)
    .filter(([kind]) => !(options.cli && (kind === 'wait' || kind === 'interleave')))
    .map(([kind, weight]) => ({ arbitrary: fc.constant(kind as SpecKind), weight }));
  // withCrossShrink: a step that does not matter for a failure shrinks to `idle`.
  const kind = fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant<SpecKind>('idle'), weight: 0 }, ...kinds);
  return fc.record({
    kind,
    actor: pick,
    actorKind,
    org: pick,
    anyOrg: rarely,
    target: pick,
    targetInsider: mostly,
    a: pick,
    b: pick,
    c: pick,
    flag: fc.boolean(),
  });
}

/**
 * A run: the initial orgs with their owners and members (set up through the same checked
 * operations: org create, invite create, invite accept), then `steps` random operations.
 *
 * The operation list has exactly `steps` entries (fc.commands draws a random, mostly short length,
 * which would not guarantee the operation count CI asks for); shrinking turns the steps that do not
 * matter into `idle` and simplifies the others, and a failure is reported up to its failing step.
 */
export interface Plan {
  orgs: Array<{
    owner: number;
    members: Array<{ user: number; role: number }>;
    tickets: Array<{ assignee: number }>;
    /** Invitations left pending, sent by a member (who may later leave or lose the right to send them). */
    pending: Array<{ inviter: number; user: number; role: number }>;
  }>;
  specs: Spec[];
}

const SETUP_ROLES = ['owner', 'admin', 'member', 'member', 'viewer', 'lead', 'triage'] as const;
/** Custom roles every org starts with; both may invite, so editing or deleting them voids invitations. */
const SETUP_CUSTOM_ROLES = [
  { role: 'lead', permissions: ['member:read', 'member:invite', 'role:read', 'ticket:*'] },
  { role: 'triage', permissions: ['member:read', 'member:invite', 'ticket:read', 'ticket:assign'] },
];

export function planArbitrary(options: { cli: boolean; steps: number }): fc.Arbitrary<Plan> {
  const org = fc.record({
    owner: fc.nat({ max: USER_COUNT - 1 }),
    members: fc.uniqueArray(fc.record({ user: fc.nat({ max: USER_COUNT - 1 }), role: fc.nat({ max: SETUP_ROLES.length - 1 }) }), {
      minLength: 3,
      maxLength: 9,
      selector: (m) => m.user,
    }),
    tickets: fc.array(fc.record({ assignee: fc.nat({ max: 9 }) }), { maxLength: 4 }),
    pending: fc.array(fc.record({ inviter: fc.nat({ max: 9 }), user: fc.nat({ max: USER_COUNT - 1 }), role: fc.nat({ max: 6 }) }), {
      maxLength: 3,
    }),
  });
  return fc
    .record({
      orgs: fc.array(org, { minLength: INITIAL_ORGS, maxLength: INITIAL_ORGS }),
      specs: fc.array(specArbitrary(options), { minLength: options.steps, maxLength: options.steps }),
    })
    .map((plan) =>
      // A plan is a wall of numbers; a failure report shows the operations it became instead.
      Object.assign(plan, { [fc.toStringMethod]: () => `<a plan of ${plan.specs.length} steps: the operations are listed below>` }),
    );
}

/**
 * The setup of a plan as actions: each org created by its owner with two custom roles, its members
 * invited by the owner and accepting (the accept names the invitation made just before), a few
 * tickets, and a few invitations sent by members and left pending.
 */
export function* setupActions(plan: Plan, model: Model): Generator<Action> {
  for (const [i, o] of plan.orgs.entries()) {
    const { slug, key } = ORG_POOL[i]!;
    const owner = USERS[o.owner]!;
    yield { kind: 'org.create', actor: owner, slug, key, name: `Org ${slug}` };
    for (const r of SETUP_CUSTOM_ROLES) yield { kind: 'role.create', actor: owner, slug, ...r, name: `${r.role} of ${slug}` };
    for (const m of o.members) {
      const email = USERS[m.user]!;
      if (email === owner) continue;
      yield { kind: 'invite.create', actor: owner, slug, email, role: SETUP_ROLES[m.role]! };
      yield { kind: 'invite.accept', actor: email, invite: model.invites.at(-1) ?? null };
    }
    const org = model.org(slug);
    const members = org ? [...org.members.keys()] : [owner];
    for (const [n, t] of o.tickets.entries()) {
      const assignee = at(members, t.assignee);
      const labels = [at(LABELS, n)];
      yield { kind: 'ticket.create', actor: owner, slug, title: title(slug, i * 7 + n), priority: at(PRIORITIES, n), labels, assignee };
    }
    for (const p of o.pending) {
      yield { kind: 'invite.create', actor: at(members, p.inviter), slug, email: USERS[p.user]!, role: at(ROLE_CODES, p.role) };
    }
  }
}

/** What each command needs (the contract's tables): a "capable" actor holds it. */
const NEEDS: Partial<Record<SpecKind, string>> = {
  'org.rename': 'org:update',
  'org.transfer': 'org:delete', // owners only; org:delete is what only owners hold by default
  'org.delete': 'org:delete',
  'member.list': 'member:read',
  'member.setRole': 'member:role',
  'member.remove': 'member:remove',
  'role.list': 'role:read',
  'role.show': 'role:read',
  'role.create': 'role:manage',
  'role.edit': 'role:manage',
  'role.delete': 'role:manage',
  'invite.create': 'member:invite',
  'invite.list': 'member:invite',
  'invite.revoke': 'member:invite',
  'ticket.create': 'ticket:create',
  'ticket.edit': 'ticket:update',
  'ticket.move': 'ticket:update',
  'ticket.assign': 'ticket:assign',
  'ticket.unassign': 'ticket:assign',
  'ticket.comment': 'ticket:comment',
  'ticket.delete': 'ticket:delete',
  'ticket.list': 'ticket:read',
  'ticket.search': 'ticket:read',
  'ticket.export': 'ticket:read',
  'ticket.view': 'ticket:read',
  'audit.list': 'audit:read',
  'attachment.add': 'ticket:comment',
  'attachment.list': 'ticket:read',
  'workflow.show': 'ticket:read',
  'workflow.add': 'workflow:manage',
  'workflow.remove': 'workflow:manage',
  'workflow.rule': 'workflow:manage',
};

/** The writes an interleaving starts, and the changes that land while they wait. */
const INTERLEAVED = Object.keys(WRITE_NEEDS) as Array<keyof typeof WRITE_NEEDS>;
const CHANGES = [
  { kind: 'member.remove', need: 'member:remove' },
  { kind: 'member.setRole', need: 'member:role' },
  { kind: 'member.setRole', need: 'member:role' },
  { kind: 'org.delete', need: 'org:delete' },
] as const;

// ---- resolving a spec into an action ----

const at = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

/** Any subset of the catalogue (bits of n), with `ticket:*` for the ticket ones; now and then everything, `*`. */
function permissionList(n: number, wildcard: boolean, everything = false): string[] {
  if (everything) return ['*'];
  let chosen: string[] = PERMISSIONS.filter((_, i) => (n >> i) & 1);
  if (wildcard) chosen = [...chosen.filter((p) => !p.startsWith('ticket:')), 'ticket:*'];
  return chosen.length > 0 ? chosen : ['ticket:read'];
}

function title(org: string, n: number): string {
  return `${at(WORDS, n)} ${at(WORDS, Math.floor(n / 10) + 3)} ${org}`;
}

export function resolve(spec: Spec, model: Model): Action {
  const live = model.orgs.filter((o) => o.alive).map((o) => o.slug);
  const orgSlug = spec.anyOrg || live.length === 0 ? at(ORG_POOL, spec.org).slug : at(live, spec.org);
  const org: MOrg | undefined = model.org(orgSlug);
  const members = org ? [...org.members.keys()] : [];
  const need = NEEDS[spec.kind];
  const capable = org && need ? members.filter((m) => expand(model.roleOf(org, m)!.permissions).has(need)) : members;
  const pool = spec.actorKind === 'capable' && capable.length > 0 ? capable : spec.actorKind !== 'anyone' && members.length > 0 ? members : USERS;
  const actor = at(pool, spec.actor);
  const target = spec.targetInsider && members.length > 0 ? at(members, spec.target) : at(USERS, spec.target);
  const base = { actor, slug: orgSlug };
  /** Members with tickets assigned here or invitations pending from them: leaving or losing rights matters. */
  const involved = org
    ? [
        ...new Set([
          ...[...org.tickets.values()].flatMap((t) => (t.assignee ? [t.assignee] : [])),
          ...org.invites.filter((i) => model.inviteState(i) === 'pending').map((i) => i.inviter),
        ]),
      ].filter((m) => org.members.has(m))
    : [];
  const concerned = involved.length > 0 ? at(involved, spec.target) : target;
  /** Mostly a role the org has; now and then any code of the pool (perhaps missing there). */
  const roleCode = (n: number, custom = false): string => {
    const existing = org ? [...org.roles.values()].filter((r) => !custom || !r.system).map((r) => r.code) : [];
    return spec.c % 5 !== 4 && existing.length > 0 ? at(existing, n) : custom ? at(CUSTOM_ROLES, n) : at(ROLE_CODES, n);
  };

  const ticketRef = (): TicketRef => {
    const own = org ? [...org.tickets.keys()] : [];
    const mode = spec.b % 10;
    if (mode < 6 && org && own.length > 0) {
      const number = at(own, spec.c);
      const prefix = spec.flag ? org.key.toLowerCase() : org.key;
      return { text: `${prefix}-${number}`, prefix, number };
    }
    if (mode < 8 && model.keys.length > 0) {
      const key = at(model.keys, spec.c);
      const [prefix, number] = key.split('-') as [string, string];
      return { text: key, prefix, number: Number(number) };
    }
    const number = (spec.c % 8) + 1;
    return { text: spec.flag ? `#${number}` : String(number), prefix: null, number };
  };

  switch (spec.kind) {
    case 'idle':
      return { kind: 'idle' };
    case 'wait':
      return { kind: 'wait', ms: ((spec.a % 72) + 1) * 60 * 60 * 1000 };
    case 'interleave': {
      // A capable member starts a write; another member who may do so removes them, changes
      // their role (mostly a demotion, now and then not), or deletes the org.
      const write = resolve({ ...spec, kind: at(INTERLEAVED, spec.c), actorKind: 'capable' }, model) as WriteAction;
      const how = at(CHANGES, spec.a);
      const others = org ? members.filter((m) => m !== write.actor && expand(model.roleOf(org, m)!.permissions).has(how.need)) : [];
      const changer = others.length > 0 ? at(others, spec.target) : at(members.length > 0 ? members : USERS, spec.target);
      const change: Action =
        how.kind === 'org.delete'
          ? { kind: 'org.delete', actor: changer, slug: write.slug }
          : how.kind === 'member.remove'
            ? { kind: 'member.remove', actor: changer, slug: write.slug, target: write.actor }
            : { kind: 'member.setRole', actor: changer, slug: write.slug, target: write.actor, role: roleCode(spec.b) };
      return { kind: 'interleave', write, change };
    }
    case 'org.create': {
      // Mostly a slug that is free (or taken, now and then: a conflict).
      const free = ORG_POOL.filter((o) => !model.org(o.slug));
      const { slug, key } = !spec.anyOrg && free.length > 0 ? at(free, spec.org) : at(ORG_POOL, spec.org);
      return { kind: 'org.create', actor: at(USERS, spec.actor), slug, key, name: `Org ${slug}` };
    }
    case 'org.switch':
      return { kind: 'org.switch', ...base };
    case 'org.current': {
      // Mostly someone whose config names an active org (perhaps one they were removed from since).
      const withActive = [...model.active.keys()];
      return { kind: 'org.current', actor: spec.actorKind !== 'anyone' && withActive.length > 0 ? at(withActive, spec.actor) : actor };
    }
    case 'org.list':
      return { kind: 'org.list', actor };
    case 'org.rename':
      return { kind: 'org.rename', ...base, name: `${orgSlug} ${at(WORDS, spec.a)}` };
    case 'org.transfer':
      return { kind: 'org.transfer', ...base, target };
    case 'org.leave':
      // Now and then someone with tickets assigned, or with invitations out (they get unassigned, voided).
      return { kind: 'org.leave', ...base, actor: spec.flag ? at(involved.length > 0 ? involved : pool, spec.actor) : actor };
    case 'org.delete':
      return { kind: 'org.delete', ...base };
    case 'member.list':
      return { kind: 'member.list', ...base };
    case 'member.setRole':
      return { kind: 'member.setRole', ...base, target: spec.flag ? concerned : target, role: roleCode(spec.a) };
    case 'member.remove':
      return { kind: 'member.remove', ...base, target: spec.flag ? concerned : target };
    case 'access.check':
      return { kind: 'access.check', ...base, permission: at(ACCESS_PERMISSIONS, spec.a), ...(spec.flag ? { user: target } : {}) };
    case 'role.list':
      return { kind: 'role.list', ...base };
    case 'role.show':
      return { kind: 'role.show', ...base, role: roleCode(spec.a) };
    case 'role.create': {
      // Mostly new custom codes; now and then a system role's code (a conflict).
      const code = spec.a % 8 === 7 ? 'admin' : at(CUSTOM_ROLES, spec.a);
      const permissions = permissionList(spec.b, spec.flag, spec.c % 12 === 11);
      return { kind: 'role.create', ...base, role: code, name: `${code} of ${orgSlug}`, permissions };
    }
    case 'role.edit': {
      const code = roleCode(spec.a);
      const what = spec.b % 3;
      return {
        kind: 'role.edit',
        ...base,
        role: code,
        ...(what !== 1 ? { permissions: permissionList(spec.b, spec.flag, spec.c % 12 === 11) } : {}),
        ...(what !== 0 ? { name: `${code} ${at(WORDS, spec.b)} of ${orgSlug}` } : {}),
      };
    }
    case 'role.delete': {
      const code = spec.a % 6 === 5 ? at(ROLE_CODES, spec.a) : roleCode(spec.a, true);
      return { kind: 'role.delete', ...base, role: code, ...(spec.flag ? { reassign: roleCode(spec.b) } : {}) };
    }
    case 'invite.create': {
      // Mostly someone who is not a member yet; now and then a member, or an address with no account.
      const outsiders = USERS.filter((u) => !members.includes(u));
      const email =
        spec.b % 12 === 11 ? at(OUTSIDERS, spec.b) : spec.targetInsider && outsiders.length > 0 ? at(outsiders, spec.target) : target;
      return { kind: 'invite.create', ...base, email, role: roleCode(spec.a) };
    }
    case 'invite.list':
      return { kind: 'invite.list', ...base, all: spec.flag };
    case 'invite.revoke': {
      // Mostly a pending invitation of this org; else any invitation (another org's, a used one), or none.
      const pending = org ? org.invites.filter((i) => model.inviteState(i) === 'pending') : [];
      const mode = spec.a % 10;
      const invite = mode < 6 && pending.length > 0 ? at(pending, spec.b) : mode < 9 && model.invites.length > 0 ? at(model.invites, spec.b) : null;
      return { kind: 'invite.revoke', ...base, id: invite?.id ?? 999_999 };
    }
    case 'invite.accept': {
      // Mostly a pending invitation, by the person invited; else any invitation, a made-up token, a stranger.
      const pending = model.invites.filter((i) => i.org.alive && model.inviteState(i) === 'pending');
      const mode = spec.a % 10;
      const invite: MInvite | null =
        mode < 7 && pending.length > 0 ? at(pending, spec.b) : mode < 9 && model.invites.length > 0 ? at(model.invites, spec.b) : null;
      const byInvitee = invite !== null && spec.actorKind !== 'anyone' && USERS.includes(invite.email);
      return { kind: 'invite.accept', actor: byInvitee ? invite.email : at(USERS, spec.actor), invite };
    }
    case 'ticket.create': {
      const assignee = spec.b % 4 === 0 ? undefined : spec.b % 4 === 1 ? '@me' : target;
      return {
        kind: 'ticket.create',
        ...base,
        title: title(orgSlug, spec.a),
        ...(spec.flag ? { body: `${at(WORDS, spec.c)} ${orgSlug}` } : {}),
        priority: at(PRIORITIES, spec.c),
        ...(assignee !== undefined ? { assignee } : {}),
        labels: LABELS.filter((_, i) => (spec.a >> i) & 1),
      };
    }
    case 'ticket.edit': {
      const what = spec.a % 4;
      return {
        kind: 'ticket.edit',
        ...base,
        ref: ticketRef(),
        ...(what === 0 ? { title: title(orgSlug, spec.a >> 2) } : {}),
        ...(what === 1 ? { priority: at(PRIORITIES, spec.a >> 2) } : {}),
        ...(what >= 2 ? { addLabel: at(LABELS, spec.a >> 2) } : {}),
        ...(what === 3 ? { removeLabel: at(LABELS, spec.a >> 4) } : {}),
      };
    }
    case 'ticket.assign':
      return { kind: 'ticket.assign', ...base, ref: ticketRef(), who: spec.a % 5 === 0 ? '@me' : target };
    case 'ticket.unassign':
      return { kind: 'ticket.unassign', ...base, ref: ticketRef() };
    case 'ticket.move':
      return { kind: 'ticket.move', ...base, ref: ticketRef(), status: at(STATUS_POOL, spec.a).code };
    case 'ticket.comment':
      return { kind: 'ticket.comment', ...base, ref: ticketRef(), body: `${at(WORDS, spec.a)} ${at(WORDS, spec.a >> 4)} ${orgSlug}` };
    case 'ticket.delete':
      return { kind: 'ticket.delete', ...base, ref: ticketRef() };
    case 'ticket.list': {
      const filter = spec.a % 4;
      const assignee = spec.b % 3 === 0 ? 'none' : spec.b % 3 === 1 ? '@me' : target;
      return {
        kind: 'ticket.list',
        ...base,
        ...(filter === 1 || filter === 3 ? { status: spec.c % 5 === 4 ? at(CATEGORIES, spec.c >> 3) : at(STATUS_POOL, spec.c).code } : {}),
        ...(filter >= 2 ? { assignee } : {}),
        ...(spec.flag ? { label: at(LABELS, spec.c >> 2) } : {}),
      };
    }
    case 'ticket.search':
      return { kind: 'ticket.search', ...base, word: at(WORDS, spec.a) };
    case 'ticket.export':
      return { kind: 'ticket.export', ...base };
    case 'ticket.view':
      return { kind: 'ticket.view', ...base, ref: ticketRef() };
    case 'audit.list':
      return { kind: 'audit.list', ...base };
    case 'attachment.add':
      // The org's slug in the name and the content: seen from another org, it is a leak.
      return { kind: 'attachment.add', ...base, ref: ticketRef(), name: `${at(WORDS, spec.a)}-${orgSlug}.txt`, content: `${at(WORDS, spec.b)} ${orgSlug}\n` };
    case 'attachment.list':
      return { kind: 'attachment.list', ...base, ref: ticketRef() };
    case 'workflow.show':
      return { kind: 'workflow.show', ...base };
    case 'workflow.add': {
      const s = at(STATUS_POOL, spec.a);
      return { kind: 'workflow.add', ...base, code: s.code, category: s.category };
    }
    case 'workflow.remove': {
      // Mostly a status the org has (else any of the pool), moving its tickets to another mostly.
      const own = org ? org.statuses.map((x) => x.code) : [];
      const code = spec.b % 5 !== 4 && own.length > 0 ? at(own, spec.a) : at(STATUS_POOL, spec.a).code;
      const moveTo = spec.flag || spec.c % 4 === 3 ? undefined : own.length > 0 ? at(own, spec.c) : at(STATUS_POOL, spec.c).code;
      return { kind: 'workflow.remove', ...base, code, ...(moveTo !== undefined ? { moveTo } : {}) };
    }
    case 'workflow.rule': {
      const own = org ? org.statuses.map((x) => x.code) : [];
      const codes = own.length > 0 && spec.b % 5 !== 4 ? own : STATUS_POOL.map((x) => x.code);
      return { kind: 'workflow.rule', ...base, from: at(codes, spec.a), to: at(codes, spec.c), allowed: spec.flag };
    }
  }
}

/** One line per action, as a person would type it (the invitation named by its id). */
export function describe(a: Action): string {
  const who = (email: string) => email.replace('@example.com', '');
  switch (a.kind) {
    case 'idle':
      return 'idle';
    case 'wait':
      return `(clock +${a.ms / 3_600_000}h)`;
    case 'interleave':
      return `${describe(a.write)}   … waits for input while the next step happens, then writes`;
    case 'invite.accept': {
      const i = a.invite;
      return `${who(a.actor)}: invite accept ${i ? `#${i.id} (${i.org.slug}, to ${who(i.email)} as ${i.role})` : '<unknown token>'}`;
    }
    default: {
      const { kind, actor, ...rest } = a as Exclude<Action, { kind: 'idle' | 'wait' | 'invite.accept' | 'interleave' }>;
      const show = (v: unknown) => (typeof v === 'object' && v !== null && 'text' in v ? v.text : Array.isArray(v) ? v.join(',') : String(v));
      const parts = Object.entries(rest).map(([k, v]) => `${k}=${show(v)}`);
      return `${who(actor)}: ${kind} ${parts.join(' ')}`;
    }
  }
}
