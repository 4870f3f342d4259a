// Looks at a store with plain SQL, beside the code under test (better-sqlite3 directly, so these
// statements are not in the logged queries): the state to compare with the model, a dump to prove
// that a refused operation changed nothing, and which organization a row really belongs to.
// On PostgreSQL, a raw connection as the owner (test/support/raw-store.ts) with the same API.
import type Database from 'better-sqlite3';
import type { RawDb, RawStatement } from '../raw-store.js';
import type { Model } from './model.js';

/** A better-sqlite3 connection, or a raw PostgreSQL one. */
export type ObserveDb = Database.Database | RawDb;
type Statement = Database.Statement | RawStatement;

const prepared = new WeakMap<ObserveDb, Map<string, Statement>>();
const isPg = (db: ObserveDb) => (db as RawDb).dialect === 'postgres';

/** Statements are compiled once per connection: the state is read after every step. */
function query(db: ObserveDb, sql: string): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

export interface OrgState {
  slug: string;
  key: string;
  name: string;
  next: number;
  members: Record<string, string>;
  roles: Record<string, string>;
  tickets: Record<string, { title: string; status: string; priority: string; assignee: string | null; labels: string; comments: number; attachments: string }>;
  invites: Record<string, { email: string; role: string; state: string; reason: string | null }>;
  audit: number;
  /** code:category in order, then the rules (from>to:allow|deny). */
  workflow: string;
}

const ORGS = 'SELECT id, slug, ticket_key, name, next_ticket_number FROM organizations';
const MEMBERS = `SELECT m.organization_id AS org, u.email, r.code FROM memberships m
  JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id AND r.organization_id = m.organization_id`;
const ROLES = 'SELECT organization_id AS org, code, permissions FROM roles';
const TICKETS = `SELECT t.organization_id AS org, t.number, t.title, t.status, t.priority, a.email AS assignee,
    (SELECT group_concat(name, ',') FROM (SELECT l.name FROM ticket_labels tl JOIN labels l
       ON l.id = tl.label_id AND l.organization_id = tl.organization_id
       WHERE tl.organization_id = t.organization_id AND tl.ticket_id = t.id ORDER BY l.name) x) AS labels,
    (SELECT count(*) FROM comments c WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id) AS comments,
    (SELECT group_concat(y.name || ':' || b.size, '|') FROM (SELECT * FROM attachments a WHERE a.organization_id = t.organization_id AND a.ticket_id = t.id ORDER BY a.id) y
       JOIN attachment_blobs b ON b.organization_id = y.organization_id AND b.sha256 = y.sha256) AS attachments
  FROM tickets t LEFT JOIN users a ON a.id = t.assignee_id`;
const INVITES = 'SELECT number AS id, organization_id AS org, email, role_code, accepted_at, revoked_at, void_reason, expires_at FROM invitations';
const AUDIT = 'SELECT organization_id AS org, count(*) AS n FROM audit_events GROUP BY organization_id';
const STATUSES = 'SELECT organization_id AS org, code, category FROM workflow_statuses ORDER BY organization_id, position';
const RULES = 'SELECT organization_id AS org, from_status, to_status, allowed FROM workflow_transitions ORDER BY organization_id, from_status, to_status';

function workflowText(statuses: Array<{ code: string; category: string }>, rules: Array<[string, boolean]>): string {
  return `${statuses.map((x) => `${x.code}:${x.category}`).join(',')} | ${rules.map(([k, v]) => `${k}:${v ? 'allow' : 'deny'}`).join(',')}`;
}

/** Every organization in the store, keyed by id. */
export function storeState(db: ObserveDb, now: number): Record<number, OrgState> {
  const out: Record<number, OrgState> = {};
  for (const o of query(db, ORGS).all() as any[]) {
    const empty = { members: {}, roles: {}, tickets: {}, invites: {}, audit: 0, workflow: '' };
    out[o.id] = { slug: o.slug, key: o.ticket_key, name: o.name, next: o.next_ticket_number, ...empty };
  }
  const org = (id: number) => {
    const found = out[id];
    if (!found) throw new Error(`a row points at organization ${id}, which does not exist`);
    return found;
  };
  for (const r of query(db, MEMBERS).all() as any[]) org(r.org).members[r.email] = r.code;
  for (const r of query(db, ROLES).all() as any[]) org(r.org).roles[r.code] = r.permissions;
  const tickets = isPg(db)
    ? TICKETS.replace("group_concat(name, ',')", "string_agg(name, ',' ORDER BY name)")
        .replace("group_concat(y.name || ':' || b.size, '|')", "string_agg(y.name || ':' || b.size, '|' ORDER BY y.id)")
    : TICKETS;
  for (const t of query(db, tickets).all() as any[]) {
    const o = org(t.org);
    o.tickets[`${o.key}-${t.number}`] = {
      title: t.title,
      status: t.status,
      priority: t.priority,
      assignee: t.assignee,
      labels: t.labels ?? '',
      comments: t.comments,
      attachments: t.attachments ?? '',
    };
  }
  for (const i of query(db, INVITES).all() as any[]) {
    const state =
      i.accepted_at !== null ? 'accepted'
      : i.revoked_at !== null ? 'revoked'
      : i.void_reason !== null ? 'void'
      : i.expires_at <= now ? 'expired'
      : 'pending';
    org(i.org).invites[i.id] = { email: i.email, role: i.role_code, state, reason: i.void_reason };
  }
  for (const a of query(db, AUDIT).all() as any[]) org(a.org).audit = a.n;
  const statuses = query(db, STATUSES).all() as any[];
  const rules = query(db, RULES).all() as any[];
  for (const [id, o] of Object.entries(out)) {
    o.workflow = workflowText(
      statuses.filter((x) => x.org === Number(id)),
      rules.filter((r) => r.org === Number(id)).map((r) => [`${r.from_status}>${r.to_status}`, r.allowed === 1 || r.allowed === true]),
    );
  }
  return out;
}

/** The same shape, from the model. */
export function modelState(model: Model): Record<number, OrgState> {
  const out: Record<number, OrgState> = {};
  for (const o of model.orgs.filter((x) => x.alive)) {
    out[o.dbId] = {
      slug: o.slug,
      key: o.key,
      name: o.name,
      next: o.next,
      members: Object.fromEntries(o.members),
      roles: Object.fromEntries([...o.roles.values()].map((r) => [r.code, r.permissions.join(',')])),
      tickets: Object.fromEntries(
        [...o.tickets.values()].map((t) => [
          t.key,
          {
            title: t.title,
            status: t.status,
            priority: t.priority,
            assignee: t.assignee,
            labels: [...t.labels].sort().join(','),
            comments: t.comments.length,
            attachments: t.attachments.map((x) => `${x.name}:${x.size}`).join('|'),
          },
        ]),
      ),
      invites: Object.fromEntries(o.invites.map((i) => [i.id, { email: i.email, role: i.role, state: model.inviteState(i), reason: i.reason }])),
      audit: o.audit,
      workflow: workflowText(o.statuses, [...o.rules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
  }
  return out;
}

const DUMPED = [
  'organizations',
  'users',
  'memberships',
  'roles',
  'invitations',
  'tickets',
  'labels',
  'ticket_labels',
  'comments',
  'audit_events',
  'ticket_search',
  'attachments',
  'attachment_blobs',
  'attachment_chunks',
  'workflow_statuses',
  'workflow_transitions',
];

/** Everything but credentials (a command re-checking a session may note its use). */
export function dump(db: ObserveDb): string {
  if (isPg(db)) {
    // No rowid: every row, in the order of its text (a stable order for equal contents).
    const sql = DUMPED.map((t) => `SELECT '${t}' AS t, coalesce((SELECT json_agg(r ORDER BY r::text) FROM ${t} r), '[]') AS rows`).join(' UNION ALL ');
    return (query(db, sql).all() as Array<{ t: string; rows: unknown }>).map((r) => `${r.t}:${JSON.stringify(r.rows)}`).join('\n');
  }
  const sqlite = db as Database.Database;
  return DUMPED.map((t) => `${t}:${JSON.stringify((query(sqlite, `SELECT rowid, * FROM ${t} ORDER BY rowid`) as Database.Statement).raw().all())}`).join('\n');
}

/** The organizations that own these audit events or invitations (missing ids count as "none"). */
/** For each id people see (numbered per org), org `orgId` if it has that row, else null. */
export function ownersOf(db: ObserveDb, table: 'audit_events' | 'invitations', orgId: number, ids: number[]): Array<number | null> {
  const byNumber = query(db, `SELECT organization_id AS org FROM ${table} WHERE organization_id = ? AND number = ?`);
  return ids.map((id) => (byNumber.get(orgId, id) as { org: number } | undefined)?.org ?? null);
}

export function orgIdOf(db: ObserveDb, slug: string): number {
  const row = query(db, 'SELECT id FROM organizations WHERE slug = ?').get(slug) as { id: number } | undefined;
  if (!row) throw new Error(`no organization ${slug} in the store`);
  return row.id;
}
