// The reference model for the random-operation isolation tests: who belongs to which org with
// which role, what each role grants, and which tickets and invitations exist. For every action it
// predicts the exit code, what the output must be, and whether the store changes.
//
// It is written from the contract (README, docs), deliberately without importing anything from
// src/: the permission catalogue, the system roles and every rule are spelled out here again, so a
// bug in the code under test cannot also be a bug in the expectation.

// ---- the contract's vocabulary ----

export const PERMISSIONS = [
  'org:update',
  'org:delete',
  'member:read',
  'member:invite',
  'member:remove',
  'member:role',
  'role:read',
  'role:manage',
  'ticket:read',
  'ticket:create',
  'ticket:update',
  'ticket:assign',
  'ticket:comment',
  'ticket:delete',
  'audit:read',
  'workflow:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const SYSTEM_ROLES: Record<string, { name: string; permissions: string[] }> = {
  owner: { name: 'Owner', permissions: ['*'] },
  admin: { name: 'Admin', permissions: PERMISSIONS.filter((p) => p !== 'org:delete') },
  member: {
    name: 'Member',
    permissions: ['member:read', 'role:read', 'ticket:read', 'ticket:create', 'ticket:update', 'ticket:assign', 'ticket:comment'],
  },
  viewer: { name: 'Viewer', permissions: ['member:read', 'ticket:read'] },
};

export const STATUSES = ['open', 'in_progress', 'done', 'canceled'] as const;
/** The categories, in the order a new category's first status takes among the others. */
export const CATEGORIES = ['unstarted', 'started', 'completed', 'canceled'] as const;
/** Every org starts with these (code, category) and no transition rules. */
export const DEFAULT_STATUSES: ReadonlyArray<MStatus> = [
  { code: 'open', category: 'unstarted' },
  { code: 'in_progress', category: 'started' },
  { code: 'done', category: 'completed' },
  { code: 'canceled', category: 'canceled' },
];
/** The codes the random operations use (each always with the same category): the defaults and three more. */
export const STATUS_POOL: ReadonlyArray<MStatus> = [
  ...DEFAULT_STATUSES,
  { code: 'triage', category: 'unstarted' },
  { code: 'review', category: 'started' },
  { code: 'shipped', category: 'completed' },
];
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

const DAY = 24 * 60 * 60 * 1000;
export const INVITE_TTL_MS = 7 * DAY;
export const INVITE_RATE = { max: 50, windowMs: DAY };

/** Every concrete permission a permission list (with `*` and `ticket:*`) grants. */
export function expand(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of list) {
    if (p === '*') PERMISSIONS.forEach((q) => out.add(q));
    else if (p === 'ticket:*') PERMISSIONS.filter((q) => q.startsWith('ticket:')).forEach((q) => out.add(q));
    else out.add(p);
  }
  return out;
}

/** `held` grants everything `wanted` grants. */
export function covers(held: readonly string[], wanted: readonly string[]): boolean {
  const have = expand(held);
  return [...expand(wanted)].every((p) => have.has(p));
}

/** Giving `role` (and so inviting as it, or withdrawing such an invitation): only owners make owners. */
export function mayGive(mine: MRole, role: MRole): boolean {
  return !(role.code === 'owner' && mine.code !== 'owner') && covers(mine.permissions, role.permissions);
}

// ---- state ----

export interface MRole {
  code: string;
  name: string;
  /** As given (canonical order in these tests). */
  permissions: string[];
  system: boolean;
}

export interface MStatus {
  code: string;
  category: string;
}

export interface MTicket {
  number: number;
  key: string;
  title: string;
  body: string;
  status: string;
  priority: string;
  assignee: string | null;
  labels: Set<string>;
  comments: string[];
  /** Attachments (name and size), oldest first. */
  attachments: Array<{ name: string; size: number }>;
  /** Audit events about this ticket (its history in `ticket view`). */
  events: number;
}

export type InviteState = 'pending' | 'accepted' | 'revoked' | 'void';

export interface MInvite {
  org: MOrg;
  /** Learnt from the create's output (identity, not expectation). */
  id: number;
  token: string;
  email: string;
  role: string;
  /** The role itself: an invitation is bound to it, not to its code; null once it is deleted. */
  roleRef: MRole | null;
  inviter: string;
  createdAt: number;
  expiresAt: number;
  state: InviteState;
  reason: string | null;
}

export interface MOrg {
  slug: string;
  key: string;
  name: string;
  alive: boolean;
  /** Learnt from the store after the create (identity, not expectation). */
  dbId: number;
  members: Map<string, string>;
  roles: Map<string, MRole>;
  tickets: Map<number, MTicket>;
  next: number;
  audit: number;
  invites: MInvite[];
  /** The org's workflow: statuses in order, and transition rules ("from>to" → allowed). */
  statuses: MStatus[];
  rules: Map<string, boolean>;
}

// ---- actions (concrete: emails, slugs, keys as a person would type them) ----

/** A ticket reference as typed: `text`, and what it names (prefix null for `42` / `#42`). */
export interface TicketRef {
  text: string;
  prefix: string | null;
  number: number;
}

export type Action =
  | { kind: 'idle' }
  | { kind: 'wait'; ms: number }
  | { kind: 'org.create'; actor: string; slug: string; key: string; name: string }
  | { kind: 'org.switch'; actor: string; slug: string }
  | { kind: 'org.current'; actor: string }
  | { kind: 'org.list'; actor: string }
  | { kind: 'org.rename'; actor: string; slug: string; name: string }
  | { kind: 'org.transfer'; actor: string; slug: string; target: string }
  | { kind: 'org.leave'; actor: string; slug: string }
  | { kind: 'org.delete'; actor: string; slug: string }
  | { kind: 'member.list'; actor: string; slug: string }
  | { kind: 'member.setRole'; actor: string; slug: string; target: string; role: string }
  | { kind: 'member.remove'; actor: string; slug: string; target: string }
  | { kind: 'access.check'; actor: string; slug: string; permission: string; user?: string }
  | { kind: 'role.list'; actor: string; slug: string }
  | { kind: 'role.show'; actor: string; slug: string; role: string }
  | { kind: 'role.create'; actor: string; slug: string; role: string; name: string; permissions: string[] }
  | { kind: 'role.edit'; actor: string; slug: string; role: string; name?: string; permissions?: string[] }
  | { kind: 'role.delete'; actor: string; slug: string; role: string; reassign?: string }
  | { kind: 'invite.create'; actor: string; slug: string; email: string; role: string }
  | { kind: 'invite.list'; actor: string; slug: string; all: boolean }
  | { kind: 'invite.revoke'; actor: string; slug: string; id: number }
  /** `invite` null: a well-formed token the store never issued. */
  | { kind: 'invite.accept'; actor: string; invite: MInvite | null }
  | {
      kind: 'ticket.create';
      actor: string;
      slug: string;
      title: string;
      body?: string;
      priority: string;
      /** An email or `@me`. */
      assignee?: string;
      labels: string[];
    }
  | { kind: 'ticket.edit'; actor: string; slug: string; ref: TicketRef; title?: string; priority?: string; addLabel?: string; removeLabel?: string }
  | { kind: 'ticket.assign'; actor: string; slug: string; ref: TicketRef; who: string }
  | { kind: 'ticket.unassign'; actor: string; slug: string; ref: TicketRef }
  | { kind: 'ticket.move'; actor: string; slug: string; ref: TicketRef; status: string }
  | { kind: 'ticket.comment'; actor: string; slug: string; ref: TicketRef; body: string }
  | { kind: 'ticket.delete'; actor: string; slug: string; ref: TicketRef }
  | { kind: 'ticket.list'; actor: string; slug: string; status?: string; assignee?: string; label?: string }
  | { kind: 'ticket.search'; actor: string; slug: string; word: string }
  | { kind: 'ticket.export'; actor: string; slug: string }
  | { kind: 'ticket.view'; actor: string; slug: string; ref: TicketRef }
  | { kind: 'attachment.add'; actor: string; slug: string; ref: TicketRef; name: string; content: string }
  | { kind: 'attachment.list'; actor: string; slug: string; ref: TicketRef }
  | { kind: 'audit.list'; actor: string; slug: string }
  | { kind: 'workflow.show'; actor: string; slug: string }
  | { kind: 'workflow.add'; actor: string; slug: string; code: string; category: string }
  | { kind: 'workflow.remove'; actor: string; slug: string; code: string; moveTo?: string }
  | { kind: 'workflow.rule'; actor: string; slug: string; from: string; to: string; allowed: boolean }
  /**
   * A's write starts (its guard passes, or not), then B's change of A's membership lands while A
   * waits (for input, at a prompt), then A's write lands.
   */
  | { kind: 'interleave'; write: WriteAction; change: Action };

/** What the guard requires of each write that may wait between its guard and its write (the contract's tables). */
export const WRITE_NEEDS = {
  'ticket.create': 'ticket:create',
  'ticket.edit': 'ticket:update',
  'ticket.assign': 'ticket:assign',
  'ticket.unassign': 'ticket:assign',
  'ticket.move': 'ticket:update',
  'ticket.comment': 'ticket:comment',
  'ticket.delete': 'ticket:delete',
  'member.setRole': 'member:role',
  'member.remove': 'member:remove',
  'role.create': 'role:manage',
  'role.edit': 'role:manage',
  'role.delete': 'role:manage',
  'invite.create': 'member:invite',
  'invite.revoke': 'member:invite',
  'org.rename': 'org:update',
  'org.transfer': 'membership',
  'org.leave': 'membership',
  'org.delete': 'org:delete',
  'workflow.add': 'workflow:manage',
  'workflow.remove': 'workflow:manage',
  'workflow.rule': 'workflow:manage',
} as const satisfies Record<string, Permission | 'membership'>;

export type WriteAction = Extract<Action, { kind: keyof typeof WRITE_NEEDS }>;

// ---- outputs, normalised the same way for the domain and the CLI runners ----

export interface TicketRow {
  key: string;
  title: string;
  status: string;
  priority: string;
  assignee: string | null;
  labels: string[];
}

export type Output =
  | { type: 'none' }
  | { type: 'orgs'; items: Array<{ slug: string; role: string }> }
  | { type: 'org'; slug: string; name: string; role?: string }
  | { type: 'members'; items: Array<{ email: string; role: string }> }
  | { type: 'member'; email: string; role: string }
  | { type: 'access'; allowed: boolean; role: string | null }
  | { type: 'roles'; items: Array<{ code: string; permissions: string[] }> }
  | { type: 'invites'; items: Array<{ id: number; email: string; state: string }> }
  | { type: 'invite'; id: number; email: string; role: string; token: string }
  | { type: 'tickets'; items: TicketRow[] }
  | { type: 'ticket'; ticket: TicketRow; comments?: number; history?: number }
  | { type: 'comment'; key: string }
  | { type: 'attachments'; items: Array<{ name: string; size: number }> }
  | { type: 'deleted'; key: string }
  | { type: 'audit'; ids: number[] }
  | { type: 'workflow'; items: Array<{ code: string; category: string; tickets: number }> };

export interface Prediction {
  exit: number;
  /** The store must differ afterwards; when false, a dump of it must be identical. */
  changes: boolean;
  /** Orgs whose data the output may show (the acting org; for `org list`, the actor's orgs). */
  scope: MOrg[];
  /** The expected output (normalised), for a success (and for `access check`'s answer). */
  output?: Output;
  /** For `audit list`: how many events the org's log holds (which ones: the harness checks their org). */
  events?: number;
  /** Applies the predicted change to the model; the output tells new ids and tokens. */
  commit?: (out: Output | undefined) => void;
}

const USAGE = 2;
const FORBIDDEN = 4;
const NOT_FOUND = 5;
const CONFLICT = 6;

const refused = (exit: number): Prediction => ({ exit, changes: false, scope: [] });

export function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

export class Model {
  readonly orgs: MOrg[] = [];
  readonly invites: MInvite[] = [];
  /** Every ticket key ever created, in any org (deleted ones and dead orgs' included). */
  readonly keys: string[] = [];
  /** The active org each person's config holds (an org that may since be gone). */
  readonly active = new Map<string, MOrg>();

  constructor(
    readonly users: readonly string[],
    public now: number,
  ) {}

  // ---- lookups ----

  org(slug: string): MOrg | undefined {
    return this.orgs.find((o) => o.alive && o.slug === slug);
  }

  roleOf(org: MOrg, email: string): MRole | undefined {
    const code = org.members.get(email);
    return code === undefined ? undefined : org.roles.get(code);
  }

  owners(org: MOrg): number {
    return [...org.members.values()].filter((r) => r === 'owner').length;
  }

  inviteState(invite: MInvite): string {
    return invite.state === 'pending' && invite.expiresAt <= this.now ? 'expired' : invite.state;
  }

  /** After a setup done on "another machine": nobody's config holds an active org. */
  forgetActiveOrgs(): void {
    this.active.clear();
  }

  // ---- prediction ----

  /** The tenant guard: member of the org (an unknown org looks the same), then the permission. */
  private guard(actor: string, slug: string, need: Permission | 'membership'): { org: MOrg; role: MRole } | Prediction {
    const org = this.org(slug);
    const role = org && this.roleOf(org, actor);
    if (!org || !role) return refused(FORBIDDEN);
    if (need !== 'membership' && !expand(role.permissions).has(need)) return refused(FORBIDDEN);
    return { org, role };
  }

  /** The ticket a reference names inside `org`: another org's key is not found, like a missing one. */
  private ticket(org: MOrg, ref: TicketRef): MTicket | undefined {
    if (ref.prefix !== null && ref.prefix.toUpperCase() !== org.key) return undefined;
    return org.tickets.get(ref.number);
  }

  private row(t: MTicket): TicketRow {
    return { key: t.key, title: t.title, status: t.status, priority: t.priority, assignee: t.assignee, labels: [...t.labels].sort() };
  }

  private orgOut(org: MOrg, role?: string): Output {
    return { type: 'org', slug: org.slug, name: org.name, ...(role !== undefined ? { role } : {}) };
  }

  /** Ends a membership: their tickets here are unassigned. */
  private dropMember(org: MOrg, email: string): void {
    for (const t of org.tickets.values()) if (t.assignee === email) t.assignee = null;
    org.members.delete(email);
  }

  predict(a: Action): Prediction {
    switch (a.kind) {
      case 'idle':
        return { exit: 0, changes: false, scope: [] };
      case 'interleave':
        throw new Error('an interleaving is predicted in two parts: startWrite, then landWrite');
      case 'wait':
        return { exit: 0, changes: false, scope: [], commit: () => (this.now += a.ms) };

      // ---- organizations ----
      case 'org.create': {
        if (this.orgs.some((o) => o.alive && (o.slug === a.slug || o.key === a.key))) return refused(CONFLICT);
        const org: MOrg = {
          slug: a.slug,
          key: a.key,
          name: a.name,
          alive: true,
          dbId: 0,
          members: new Map([[a.actor, 'owner']]),
          roles: new Map(
            Object.entries(SYSTEM_ROLES).map(([code, r]) => [code, { code, name: r.name, permissions: [...r.permissions], system: true }]),
          ),
          tickets: new Map(),
          next: 1,
          audit: 1,
          invites: [],
          statuses: DEFAULT_STATUSES.map((x) => ({ ...x })),
          rules: new Map(),
        };
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: this.orgOut(org),
          commit: () => {
            this.orgs.push(org);
            this.active.set(a.actor, org);
          },
        };
      }
      case 'org.switch': {
        const g = this.guard(a.actor, a.slug, 'membership');
        if (!('org' in g)) return g;
        return { exit: 0, changes: false, scope: [g.org], output: this.orgOut(g.org, g.role.code), commit: () => this.active.set(a.actor, g.org) };
      }
      case 'org.current': {
        const org = this.active.get(a.actor);
        if (!org) return refused(USAGE);
        const role = org.alive ? this.roleOf(org, a.actor) : undefined;
        if (!role) return refused(FORBIDDEN);
        return { exit: 0, changes: false, scope: [org], output: this.orgOut(org, role.code) };
      }
      case 'org.list': {
        const mine = this.orgs.filter((o) => o.alive && o.members.has(a.actor));
        return {
          exit: 0,
          changes: false,
          scope: mine,
          output: { type: 'orgs', items: mine.map((o) => ({ slug: o.slug, role: o.members.get(a.actor)! })) },
        };
      }
      case 'org.rename': {
        const g = this.guard(a.actor, a.slug, 'org:update');
        if (!('org' in g)) return g;
        const { org } = g;
        const changed = org.name !== a.name;
        return {
          exit: 0,
          changes: changed,
          scope: [org],
          output: { type: 'org', slug: org.slug, name: a.name },
          commit: () => {
            if (changed) org.audit++;
            org.name = a.name;
          },
        };
      }
      case 'org.transfer': {
        const g = this.guard(a.actor, a.slug, 'membership');
        if (!('org' in g)) return g;
        const { org, role } = g;
        if (role.code !== 'owner') return refused(FORBIDDEN);
        if (!org.members.has(a.target)) return refused(NOT_FOUND);
        if (a.target === a.actor) return refused(USAGE);
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'none' },
          commit: () => {
            org.members.set(a.target, 'owner');
            org.members.set(a.actor, 'admin');
            org.audit++;
          },
        };
      }
      case 'org.leave': {
        const g = this.guard(a.actor, a.slug, 'membership');
        if (!('org' in g)) return g;
        const { org, role } = g;
        if (role.code === 'owner' && this.owners(org) <= 1) return refused(CONFLICT);
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'none' },
          commit: () => {
            this.dropMember(org, a.actor);
            org.audit++;
            if (this.active.get(a.actor) === org) this.active.delete(a.actor);
          },
        };
      }
      case 'org.delete': {
        const g = this.guard(a.actor, a.slug, 'org:delete');
        if (!('org' in g)) return g;
        const { org } = g;
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'none' },
          commit: () => {
            org.alive = false;
            if (this.active.get(a.actor) === org) this.active.delete(a.actor);
          },
        };
      }

      // ---- members ----
      case 'member.list': {
        const g = this.guard(a.actor, a.slug, 'member:read');
        if (!('org' in g)) return g;
        const items = [...g.org.members].map(([email, role]) => ({ email, role }));
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'members', items } };
      }
      case 'member.setRole': {
        const g = this.guard(a.actor, a.slug, 'member:role');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        const current = this.roleOf(org, a.target);
        const to = org.roles.get(a.role);
        if (!current || !to) return refused(NOT_FOUND);
        const self = a.target === a.actor;
        const isOwner = mine.code === 'owner';
        if (self && !covers(mine.permissions, to.permissions)) return refused(FORBIDDEN);
        if (!self && ((current.code === 'owner' && !isOwner) || !covers(mine.permissions, current.permissions))) return refused(FORBIDDEN);
        if ((to.code === 'owner' && !isOwner) || !covers(mine.permissions, to.permissions)) return refused(FORBIDDEN);
        if (current.code === 'owner' && to.code !== 'owner' && this.owners(org) <= 1) return refused(CONFLICT);
        const changed = current.code !== to.code;
        return {
          exit: 0,
          changes: changed,
          scope: [org],
          output: { type: 'member', email: a.target, role: to.code },
          commit: () => {
            if (!changed) return;
            org.members.set(a.target, to.code);
            org.audit++;
          },
        };
      }
      case 'member.remove': {
        const g = this.guard(a.actor, a.slug, 'member:remove');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        const target = this.roleOf(org, a.target);
        if (!target) return refused(NOT_FOUND);
        if (a.target === a.actor) return refused(USAGE);
        if ((target.code === 'owner' && mine.code !== 'owner') || !covers(mine.permissions, target.permissions)) return refused(FORBIDDEN);
        if (target.code === 'owner' && this.owners(org) <= 1) return refused(CONFLICT);
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'none' },
          commit: () => {
            this.dropMember(org, a.target);
            org.audit++;
          },
        };
      }
      case 'access.check': {
        const g = this.guard(a.actor, a.slug, 'membership');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        if (a.user !== undefined && !expand(mine.permissions).has('member:read')) return refused(FORBIDDEN);
        const role = a.user !== undefined ? this.roleOf(org, a.user) : mine;
        const allowed = role !== undefined && covers(role.permissions, [a.permission]);
        return { exit: allowed ? 0 : FORBIDDEN, changes: false, scope: [org], output: { type: 'access', allowed, role: role?.code ?? null } };
      }

      // ---- roles ----
      case 'role.list': {
        const g = this.guard(a.actor, a.slug, 'role:read');
        if (!('org' in g)) return g;
        const items = [...g.org.roles.values()].map((r) => ({ code: r.code, permissions: r.permissions }));
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'roles', items } };
      }
      case 'role.show': {
        const g = this.guard(a.actor, a.slug, 'role:read');
        if (!('org' in g)) return g;
        const role = g.org.roles.get(a.role);
        if (!role) return refused(NOT_FOUND);
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'roles', items: [{ code: role.code, permissions: role.permissions }] } };
      }
      case 'role.create': {
        const g = this.guard(a.actor, a.slug, 'role:manage');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        if (a.role in SYSTEM_ROLES) return refused(CONFLICT);
        if (!covers(mine.permissions, a.permissions)) return refused(FORBIDDEN);
        if (org.roles.has(a.role)) return refused(CONFLICT);
        const role: MRole = { code: a.role, name: a.name, permissions: a.permissions, system: false };
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'roles', items: [{ code: role.code, permissions: role.permissions }] },
          commit: () => {
            org.roles.set(role.code, role);
            org.audit++;
          },
        };
      }
      case 'role.edit': {
        const g = this.guard(a.actor, a.slug, 'role:manage');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        const role = org.roles.get(a.role);
        if (!role) return refused(NOT_FOUND);
        if (role.code === 'owner') return refused(CONFLICT);
        if (!covers(mine.permissions, role.permissions)) return refused(FORBIDDEN);
        if (a.permissions && !covers(mine.permissions, a.permissions)) return refused(FORBIDDEN);
        const name = a.name ?? role.name;
        const permissions = a.permissions ?? role.permissions;
        const changed = name !== role.name || permissions.join(',') !== role.permissions.join(',');
        return {
          exit: 0,
          changes: changed,
          scope: [org],
          output: { type: 'roles', items: [{ code: role.code, permissions }] },
          commit: () => {
            if (!changed) return;
            role.name = name;
            role.permissions = permissions;
            org.audit++;
          },
        };
      }
      case 'role.delete': {
        const g = this.guard(a.actor, a.slug, 'role:manage');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        if (a.reassign === a.role) return refused(USAGE);
        const role = org.roles.get(a.role);
        const to = a.reassign !== undefined ? org.roles.get(a.reassign) : undefined;
        if (!role || (a.reassign !== undefined && !to)) return refused(NOT_FOUND);
        if (role.system) return refused(CONFLICT);
        if (!covers(mine.permissions, role.permissions)) return refused(FORBIDDEN);
        const holders = [...org.members].filter(([, code]) => code === role.code).map(([email]) => email);
        if (holders.length > 0) {
          if (!to) return refused(CONFLICT);
          if (!expand(mine.permissions).has('member:role')) return refused(FORBIDDEN);
          if ((to.code === 'owner' && mine.code !== 'owner') || !covers(mine.permissions, to.permissions)) return refused(FORBIDDEN);
        }
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'none' },
          commit: () => {
            for (const email of holders) org.members.set(email, to!.code);
            org.roles.delete(role.code);
            // Its pending invitations become void; none is inherited by a later role of that code.
            const voided = org.invites.filter((i) => i.roleRef === role && this.inviteState(i) === 'pending');
            for (const i of voided) {
              i.state = 'void';
              i.reason = 'role-deleted';
            }
            for (const i of org.invites) if (i.roleRef === role) i.roleRef = null;
            org.audit += holders.length + voided.length + 1;
          },
        };
      }

      // ---- invitations ----
      case 'invite.create': {
        const g = this.guard(a.actor, a.slug, 'member:invite');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        const role = org.roles.get(a.role);
        if (!role) return refused(NOT_FOUND);
        if (!mayGive(mine, role)) return refused(FORBIDDEN);
        const replaced = org.invites.filter((i) => i.email === a.email && this.inviteState(i) === 'pending');
        // Replacing is withdrawing: not for an invitation whose role the inviter could not give.
        if (replaced.some((i) => i.roleRef && !mayGive(mine, i.roleRef))) return refused(FORBIDDEN);
        if (org.members.has(a.email)) return refused(CONFLICT);
        if (org.invites.filter((i) => i.createdAt > this.now - INVITE_RATE.windowMs).length >= INVITE_RATE.max) return refused(CONFLICT);
        const invite: MInvite = {
          org,
          id: 0,
          token: '',
          email: a.email,
          role: role.code,
          roleRef: role,
          inviter: a.actor,
          createdAt: this.now,
          expiresAt: this.now + INVITE_TTL_MS,
          state: 'pending',
          reason: null,
        };
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'invite', id: 0, email: a.email, role: role.code, token: '' },
          commit: (out) => {
            if (out?.type !== 'invite') throw new Error('invite.create: the runner returned no invitation');
            invite.id = out.id;
            invite.token = out.token;
            for (const old of replaced) {
              old.state = 'revoked';
              old.reason = 'replaced';
            }
            org.invites.push(invite);
            this.invites.push(invite);
            org.audit += replaced.length + 1;
          },
        };
      }
      case 'invite.list': {
        const g = this.guard(a.actor, a.slug, 'member:invite');
        if (!('org' in g)) return g;
        const items = g.org.invites
          .filter((i) => a.all || this.inviteState(i) === 'pending')
          .map((i) => ({ id: i.id, email: i.email, state: this.inviteState(i) }));
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'invites', items } };
      }
      case 'invite.revoke': {
        const g = this.guard(a.actor, a.slug, 'member:invite');
        if (!('org' in g)) return g;
        const { org, role: mine } = g;
        const invite = org.invites.find((i) => i.id === a.id);
        if (!invite) return refused(NOT_FOUND);
        if (invite.roleRef && !mayGive(mine, invite.roleRef)) return refused(FORBIDDEN);
        if (this.inviteState(invite) !== 'pending') return refused(CONFLICT);
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'invites', items: [{ id: invite.id, email: invite.email, state: 'revoked' }] },
          commit: () => {
            invite.state = 'revoked';
            org.audit++;
          },
        };
      }
      case 'invite.accept': {
        const invite = a.invite;
        // A deleted org's invitations went with it: the token is as unknown as a made-up one.
        if (!invite || !invite.org.alive) return refused(NOT_FOUND);
        const { org } = invite;
        // The wrong person learns nothing, whatever the state.
        if (invite.email !== a.actor) return refused(FORBIDDEN);
        if (this.inviteState(invite) !== 'pending') return refused(CONFLICT);
        if (org.members.has(a.actor)) return refused(CONFLICT);
        // The re-check against the org as it is now; a failure voids the invitation for good.
        const role = invite.roleRef;
        const inviterRole = this.roleOf(org, invite.inviter);
        const reason = !role
          ? 'role-deleted'
          : !inviterRole
            ? 'inviter-left'
            : !expand(inviterRole.permissions).has('member:invite') ||
                (role.code === 'owner' && inviterRole.code !== 'owner') ||
                !covers(inviterRole.permissions, role.permissions)
              ? 'inviter-lacks-permission'
              : null;
        if (reason !== null) {
          return {
            exit: CONFLICT,
            changes: true,
            scope: [],
            commit: () => {
              invite.state = 'void';
              invite.reason = reason;
              org.audit++;
            },
          };
        }
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: this.orgOut(org, role!.code),
          commit: () => {
            invite.state = 'accepted';
            org.members.set(a.actor, role!.code);
            org.audit++;
            this.active.set(a.actor, org);
          },
        };
      }

      // ---- tickets ----
      case 'ticket.create': {
        const g = this.guard(a.actor, a.slug, 'ticket:create');
        if (!('org' in g)) return g;
        const { org } = g;
        const assignee = a.assignee === undefined ? null : a.assignee === '@me' ? a.actor : a.assignee;
        if (assignee !== null && !org.members.has(assignee)) return refused(USAGE);
        const ticket: MTicket = {
          number: org.next,
          key: `${org.key}-${org.next}`,
          title: a.title,
          body: a.body ?? '',
          status: org.statuses.find((x) => x.category === 'unstarted')!.code,
          priority: a.priority,
          assignee,
          labels: new Set(a.labels),
          comments: [],
          attachments: [],
          events: 1,
        };
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'ticket', ticket: this.row(ticket) },
          commit: () => {
            org.tickets.set(ticket.number, ticket);
            org.next++;
            org.audit++;
            this.keys.push(ticket.key);
          },
        };
      }
      case 'ticket.edit': {
        const g = this.guard(a.actor, a.slug, 'ticket:update');
        if (!('org' in g)) return g;
        const { org } = g;
        if (a.ref.prefix !== null && a.ref.prefix.toUpperCase() !== org.key) return refused(NOT_FOUND);
        if (a.addLabel !== undefined && a.addLabel === a.removeLabel) return refused(USAGE);
        const t = this.ticket(org, a.ref);
        if (!t) return refused(NOT_FOUND);
        const labels = new Set(t.labels);
        if (a.addLabel !== undefined) labels.add(a.addLabel);
        if (a.removeLabel !== undefined) labels.delete(a.removeLabel);
        const after = { ...t, title: a.title ?? t.title, priority: a.priority ?? t.priority, labels };
        const changed =
          after.title !== t.title || after.priority !== t.priority || [...labels].sort().join() !== [...t.labels].sort().join();
        return this.ticketChange(org, t, after, changed);
      }
      case 'ticket.assign':
      case 'ticket.unassign': {
        const g = this.guard(a.actor, a.slug, 'ticket:assign');
        if (!('org' in g)) return g;
        const { org } = g;
        const t = this.ticket(org, a.ref);
        if (!t) return refused(NOT_FOUND);
        const who = a.kind === 'ticket.unassign' ? null : a.who === '@me' ? a.actor : a.who;
        if (who !== null && !org.members.has(who)) return refused(USAGE);
        return this.ticketChange(org, t, { ...t, assignee: who }, who !== t.assignee);
      }
      case 'ticket.move': {
        const g = this.guard(a.actor, a.slug, 'ticket:update');
        if (!('org' in g)) return g;
        // The ticket first, then the status is looked up in this org's workflow (inside the write, after its re-check).
        const t = this.ticket(g.org, a.ref);
        if (!t) return refused(NOT_FOUND);
        if (!g.org.statuses.some((x) => x.code === a.status)) return refused(USAGE);
        if (a.status !== t.status && !this.mayMove(g.org, t.status, a.status)) return refused(CONFLICT);
        return this.ticketChange(g.org, t, { ...t, status: a.status }, a.status !== t.status);
      }
      case 'ticket.comment': {
        const g = this.guard(a.actor, a.slug, 'ticket:comment');
        if (!('org' in g)) return g;
        const { org } = g;
        const t = this.ticket(org, a.ref);
        if (!t) return refused(NOT_FOUND);
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'comment', key: t.key },
          commit: () => {
            t.comments.push(a.body);
            t.events++;
            org.audit++;
          },
        };
      }
      case 'ticket.delete': {
        const g = this.guard(a.actor, a.slug, 'ticket:delete');
        if (!('org' in g)) return g;
        const { org } = g;
        const t = this.ticket(org, a.ref);
        if (!t) return refused(NOT_FOUND);
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'deleted', key: t.key },
          commit: () => {
            org.tickets.delete(t.number);
            org.audit++;
          },
        };
      }
      case 'ticket.list': {
        const g = this.guard(a.actor, a.slug, 'ticket:read');
        if (!('org' in g)) return g;
        const who = a.assignee === undefined ? undefined : a.assignee === 'none' ? null : a.assignee === '@me' ? a.actor : a.assignee;
        // --status: a category (all of its statuses here), else a code of this org's workflow.
        const isCategory = (CATEGORIES as readonly string[]).includes(a.status ?? '');
        if (a.status !== undefined && !isCategory && !g.org.statuses.some((x) => x.code === a.status)) return refused(USAGE);
        const categoryOf = (code: string) => g.org.statuses.find((x) => x.code === code)?.category;
        const items = [...g.org.tickets.values()]
          .filter((t) => a.status === undefined || (isCategory ? categoryOf(t.status) === a.status : t.status === a.status))
          .filter((t) => who === undefined || t.assignee === who)
          .filter((t) => a.label === undefined || t.labels.has(a.label))
          .map((t) => this.row(t));
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'tickets', items } };
      }
      case 'ticket.search': {
        const g = this.guard(a.actor, a.slug, 'ticket:read');
        if (!('org' in g)) return g;
        const items = [...g.org.tickets.values()]
          .filter((t) => tokens([t.title, t.body, ...t.comments].join(' ')).includes(a.word))
          .map((t) => this.row(t));
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'tickets', items } };
      }
      case 'ticket.export': {
        const g = this.guard(a.actor, a.slug, 'ticket:read');
        if (!('org' in g)) return g;
        const items = [...g.org.tickets.values()].map((t) => this.row(t));
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'tickets', items } };
      }
      case 'ticket.view': {
        const g = this.guard(a.actor, a.slug, 'ticket:read');
        if (!('org' in g)) return g;
        const t = this.ticket(g.org, a.ref);
        if (!t) return refused(NOT_FOUND);
        return {
          exit: 0,
          changes: false,
          scope: [g.org],
          output: { type: 'ticket', ticket: this.row(t), comments: t.comments.length, history: t.events },
        };
      }
      case 'attachment.add': {
        const g = this.guard(a.actor, a.slug, 'ticket:comment');
        if (!('org' in g)) return g;
        const { org } = g;
        const t = this.ticket(org, a.ref);
        if (!t) return refused(NOT_FOUND);
        const added = { name: a.name, size: Buffer.byteLength(a.content) };
        return {
          exit: 0,
          changes: true,
          scope: [org],
          output: { type: 'attachments', items: [added] },
          commit: () => {
            t.attachments.push(added);
            t.events++;
            org.audit++;
          },
        };
      }
      case 'attachment.list': {
        const g = this.guard(a.actor, a.slug, 'ticket:read');
        if (!('org' in g)) return g;
        const t = this.ticket(g.org, a.ref);
        if (!t) return refused(NOT_FOUND);
        return { exit: 0, changes: false, scope: [g.org], output: { type: 'attachments', items: [...t.attachments] } };
      }
      case 'audit.list': {
        const g = this.guard(a.actor, a.slug, 'audit:read');
        if (!('org' in g)) return g;
        return { exit: 0, changes: false, scope: [g.org], events: g.org.audit };
      }
      case 'workflow.show': {
        const g = this.guard(a.actor, a.slug, 'ticket:read');
        if (!('org' in g)) return g;
        return { exit: 0, changes: false, scope: [g.org], output: this.workflowOut(g.org, g.org.statuses) };
      }
      case 'workflow.add': {
        const g = this.guard(a.actor, a.slug, 'workflow:manage');
        if (!('org' in g)) return g;
        const { org } = g;
        if (org.statuses.some((x) => x.code === a.code)) return refused(CONFLICT);
        // After the last status of its category; a category's first status goes before those of the categories after it.
        const list = [...org.statuses];
        const last = list.map((x) => x.category).lastIndexOf(a.category);
        const later = list.findIndex((x) => CATEGORIES.indexOf(x.category as never) > CATEGORIES.indexOf(a.category as never));
        list.splice(last >= 0 ? last + 1 : later >= 0 ? later : list.length, 0, { code: a.code, category: a.category });
        return this.workflowChange(org, list, () => (org.audit += 1));
      }
      case 'workflow.remove': {
        const g = this.guard(a.actor, a.slug, 'workflow:manage');
        if (!('org' in g)) return g;
        const { org } = g;
        const has = (code: string) => org.statuses.some((x) => x.code === code);
        if (!has(a.code)) return refused(USAGE);
        const moving = [...org.tickets.values()].filter((t) => t.status === a.code);
        if (moving.length > 0 && a.moveTo === undefined) return refused(USAGE);
        if (a.moveTo !== undefined && (!has(a.moveTo) || a.moveTo === a.code)) return refused(USAGE);
        const list = org.statuses.filter((x) => x.code !== a.code);
        const categoryAfter = (code: string) => list.find((x) => x.code === (code === a.code ? a.moveTo : code))?.category;
        const holding = new Set([...org.tickets.values()].map((t) => categoryAfter(t.status)));
        if ([...holding].some((c) => c === undefined)) return refused(CONFLICT);
        if (!list.some((x) => x.category === 'unstarted')) return refused(CONFLICT);
        return this.workflowChange(org, list, () => {
          for (const t of moving) {
            t.status = a.moveTo!;
            t.events++;
            org.audit++;
          }
          for (const key of [...org.rules.keys()]) if (key.split('>').includes(a.code)) org.rules.delete(key);
          org.audit++;
        }, a.moveTo !== undefined ? { from: a.code, to: a.moveTo } : undefined);
      }
      case 'workflow.rule': {
        const g = this.guard(a.actor, a.slug, 'workflow:manage');
        if (!('org' in g)) return g;
        const { org } = g;
        if (!org.statuses.some((x) => x.code === a.from) || !org.statuses.some((x) => x.code === a.to) || a.from === a.to) return refused(USAGE);
        const key = `${a.from}>${a.to}`;
        if (org.rules.get(key) === a.allowed) return { exit: 0, changes: false, scope: [org], output: this.workflowOut(org, org.statuses) };
        return this.workflowChange(org, org.statuses, () => {
          org.rules.set(key, a.allowed);
          org.audit++;
        });
      }
    }
  }

  /** The transition rules: a denied move is refused; once `from` has an allowed move, only those leave it. */
  private mayMove(org: MOrg, from: string, to: string): boolean {
    if (org.rules.get(`${from}>${to}`) === false) return false;
    const allowed = [...org.rules].filter(([k, v]) => v && k.startsWith(`${from}>`)).map(([k]) => k.split('>')[1]);
    return allowed.length === 0 || allowed.includes(to);
  }

  private workflowOut(org: MOrg, statuses: MStatus[], moved?: { from: string; to: string }): Output {
    const count = (code: string) =>
      [...org.tickets.values()].filter((t) => (moved && t.status === moved.from ? moved.to : t.status) === code).length;
    return { type: 'workflow', items: statuses.map((x) => ({ code: x.code, category: x.category, tickets: count(x.code) })) };
  }

  /** A workflow write: the output is the workflow after it (counts after the tickets a removal moves). */
  private workflowChange(org: MOrg, statuses: MStatus[], commit: () => void, moved?: { from: string; to: string }): Prediction {
    return {
      exit: 0,
      changes: true,
      scope: [org],
      output: this.workflowOut(org, statuses, moved),
      commit: () => {
        commit();
        org.statuses = statuses;
      },
    };
  }

  /**
   * An interleaving, part 1, as A's command starts: the guard, then what the command judges from
   * its input alone before it waits (and, for a delete, the lookup its confirmation names).
   * null: A's command reaches the wait.
   */
  startWrite(a: WriteAction): Prediction | null {
    const g = this.guard(a.actor, a.slug, WRITE_NEEDS[a.kind]);
    if (!('org' in g)) return g;
    if ('ref' in a && a.ref.prefix !== null && a.ref.prefix.toUpperCase() !== g.org.key) return refused(NOT_FOUND);
    if (a.kind === 'ticket.edit' && a.addLabel !== undefined && a.addLabel === a.removeLabel) return refused(USAGE);
    if (a.kind === 'ticket.delete' && !this.ticket(g.org, a.ref)) return refused(NOT_FOUND);
    if (a.kind === 'role.create' && a.role in SYSTEM_ROLES) return refused(CONFLICT);
    if (a.kind === 'role.delete' && a.reassign === a.role) return refused(USAGE);
    if (a.kind === 'org.transfer' && g.role.code !== 'owner') return refused(FORBIDDEN);
    return null;
  }

  /**
   * Part 2, once the change landed: the write checks A's membership and permission again (a
   * member removed or demoted meanwhile, or an org deleted, is refused), then judges the rest on
   * the state as it is now.
   */
  landWrite(a: WriteAction): Prediction {
    const g = this.guard(a.actor, a.slug, WRITE_NEEDS[a.kind]);
    if (!('org' in g)) return g;
    return this.predict(a);
  }

  private ticketChange(org: MOrg, t: MTicket, after: MTicket, changed: boolean): Prediction {
    return {
      exit: 0,
      changes: changed,
      scope: [org],
      output: { type: 'ticket', ticket: this.row(after) },
      commit: () => {
        if (!changed) return;
        Object.assign(t, { title: after.title, priority: after.priority, labels: after.labels, status: after.status, assignee: after.assignee });
        t.events++;
        org.audit++;
      },
    };
  }
}
