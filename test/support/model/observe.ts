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

/** The rows the state is made of: one query each on SQLite. */
interface StateRows {
  orgs: any[];
  members: any[];
  roles: any[];
  tickets: any[];
  invites: any[];
  audit: any[];
  statuses: any[];
  rules: any[];
}

const PG_TICKETS = TICKETS.replace("group_concat(name, ',')", "string_agg(name, ',' ORDER BY name)").replace(
  "group_concat(y.name || ':' || b.size, '|')",
  "string_agg(y.name || ':' || b.size, '|' ORDER BY y.id)",
);

/**
 * PostgreSQL: the same queries, and the dump when asked, in ONE statement (one round trip instead
 * of eight or nine: the state is read after every step). Each query's rows come back as a JSON
 * array; ordered ones are aggregated in their order.
 */
function pgStateSql(withDump: boolean): string {
  const rows = (sql: string, order?: string) => `coalesce((SELECT json_agg(q${order ? ` ORDER BY ${order}` : ''}) FROM (${sql}) q), '[]')`;
  const parts = [
    `'orgs', ${rows(ORGS)}`,
    `'members', ${rows(MEMBERS)}`,
    `'roles', ${rows(ROLES)}`,
    `'tickets', ${rows(PG_TICKETS)}`,
    `'invites', ${rows(INVITES)}`,
    `'audit', ${rows(AUDIT)}`,
    `'statuses', ${rows('SELECT organization_id AS org, code, category, position FROM workflow_statuses', 'q.org, q.position')}`,
    `'rules', ${rows(RULES.replace(/ ORDER BY .*$/, ''), 'q.org, q.from_status, q.to_status')}`,
  ];
  return `SELECT json_build_object(${parts.join(', ')}) AS state${withDump ? `, ${PG_DUMP} AS dump` : ''}`;
}

function readState(db: ObserveDb, withDump: boolean): { rows: StateRows; dump?: string } {
  if (isPg(db)) {
    const row = query(db, pgStateSql(withDump)).get() as { state: StateRows | string; dump?: string };
    const rows = typeof row.state === 'string' ? (JSON.parse(row.state) as StateRows) : row.state;
    return { rows, ...(withDump ? { dump: row.dump! } : {}) };
  }
  const all = (sql: string) => query(db, sql).all() as any[];
  const rows = {
    orgs: all(ORGS),
    members: all(MEMBERS),
    roles: all(ROLES),
    tickets: all(TICKETS),
    invites: all(INVITES),
    audit: all(AUDIT),
    statuses: all(STATUSES),
    rules: all(RULES),
  };
  return { rows, ...(withDump ? { dump: dump(db) } : {}) };
}

/** Every organization in the store, keyed by id. */
export function storeState(db: ObserveDb, now: number): Record<number, OrgState> {
  return toState(readState(db, false).rows, now);
}

/** What a step left in the store, read at once (on PostgreSQL in one round trip). */
export interface Observed {
  /** The dump (when asked): to prove a step changed nothing. */
  dump?: string;
  /** The state; `now` decides which pending invitations count as expired. */
  stateAt(now: number): Record<number, OrgState>;
  /** The id of the organization with this slug (an org just created). */
  orgId(slug: string): number;
}

export function observe(db: ObserveDb, withDump: boolean): Observed {
  const read = readState(db, withDump);
  return {
    ...(withDump ? { dump: read.dump! } : {}),
    stateAt: (now) => toState(read.rows, now),
    orgId(slug) {
      const row = read.rows.orgs.find((o) => o.slug === slug);
      if (!row) throw new Error(`no organization ${slug} in the store`);
      return row.id;
    },
  };
}

function toState(rows: StateRows, now: number): Record<number, OrgState> {
  const out: Record<number, OrgState> = {};
  for (const o of rows.orgs) {
    const empty = { members: {}, roles: {}, tickets: {}, invites: {}, audit: 0, workflow: '' };
    out[o.id] = { slug: o.slug, key: o.ticket_key, name: o.name, next: o.next_ticket_number, ...empty };
  }
  const org = (id: number) => {
    const found = out[id];
    if (!found) throw new Error(`a row points at organization ${id}, which does not exist`);
    return found;
  };
  for (const r of rows.members) org(r.org).members[r.email] = r.code;
  for (const r of rows.roles) org(r.org).roles[r.code] = r.permissions;
  for (const t of rows.tickets) {
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
  for (const i of rows.invites) {
    const state =
      i.accepted_at !== null ? 'accepted'
      : i.revoked_at !== null ? 'revoked'
      : i.void_reason !== null ? 'void'
      : i.expires_at <= now ? 'expired'
      : 'pending';
    org(i.org).invites[i.id] = { email: i.email, role: i.role_code, state, reason: i.void_reason };
  }
  for (const a of rows.audit) org(a.org).audit = a.n;
  for (const [id, o] of Object.entries(out)) {
    o.workflow = workflowText(
      rows.statuses.filter((x) => x.org === Number(id)),
      rows.rules.filter((r) => r.org === Number(id)).map((r) => [`${r.from_status}>${r.to_status}`, r.allowed === 1 || r.allowed === true]),
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

/**
 * PostgreSQL's dump, as a fingerprint (dumps are only compared for equality): per table its number
 * of rows and the sum of a 64-bit hash of each row's full text. No rowid there, and no sort needed:
 * the sum does not depend on the order rows come in, and any row added, removed or changed in any
 * column changes it (but for a 2^-64 chance). Sorting and moving the whole text after every step
 * cost more than the rest of the observation.
 */
const PG_DUMP = `concat_ws(' ', ${DUMPED.map((t) => `(SELECT '${t}:' || count(*) || ':' || coalesce(sum(hashtextextended(r::text, 0)::numeric), 0) FROM ${t} r)`).join(', ')})`;

/** Everything but credentials (a command re-checking a session may note its use). */
export function dump(db: ObserveDb): string {
  if (isPg(db)) return (query(db, `SELECT ${PG_DUMP} AS dump`).get() as { dump: string }).dump;
  const sqlite = db as Database.Database;
  return DUMPED.map((t) => `${t}:${JSON.stringify((query(sqlite, `SELECT rowid, * FROM ${t} ORDER BY rowid`) as Database.Statement).raw().all())}`).join('\n');
}

/** The organizations that own these audit events or invitations (missing ids count as "none"). */
/** For each id people see (numbered per org), org `orgId` if it has that row, else null. */
export function ownersOf(db: ObserveDb, table: 'audit_events' | 'invitations', orgId: number, ids: number[]): Array<number | null> {
  if (ids.length === 0) return [];
  // One statement for all the ids (a round trip per id is slow on PostgreSQL).
  const found = query(db, `SELECT number, organization_id AS org FROM ${table} WHERE organization_id = ? AND number IN (${ids.map(() => '?').join(', ')})`)
    .all(orgId, ...ids) as Array<{ number: number; org: number }>;
  const owner = new Map(found.map((r) => [Number(r.number), Number(r.org)]));
  return ids.map((id) => owner.get(id) ?? null);
}

export function orgIdOf(db: ObserveDb, slug: string): number {
  const row = query(db, 'SELECT id FROM organizations WHERE slug = ?').get(slug) as { id: number } | undefined;
  if (!row) throw new Error(`no organization ${slug} in the store`);
  return row.id;
}
