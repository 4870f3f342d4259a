// The PostgreSQL store: the same ports as the SQLite store, on one node-postgres connection. The
// app role reaches secrets only through SECURITY DEFINER functions (migrations/pg/0001_security.sql)
// and sees, through row-level security, only the rows the principal's memberships and roles admit.
import { conflict, storeError } from '../../errors.js';
import type { AdminStore, CheckResult, StoreStatus } from '../ports/admin.js';
import { systemClock, type Clock, type OrgRecord, type RoleRecord, type UserRecord } from '../ports/common.js';
import type { CreateOrgOutcome, DirectoryStore, NewOrg } from '../ports/directory.js';
import type { CredentialKind, CredentialRecord, IdentityStore, NewCredential, RevokedCounts, RevokeMany } from '../ports/identity.js';
import type { AcceptOutcome, AcceptPlan, AcceptState, InviteRecord, InviteStore, Invitee } from '../ports/invites.js';
import type { Store, TenantStore } from '../ports/store.js';
import { mintTenantContext, type OrgRef, type TenantContext } from '../ports/tenant.js';
import type { PostgresLocator } from '../locator.js';
import { isUniqueViolation, PgConnection, type Row } from './connection.js';
import { roleFromJson, toOrg, toRole, toUser } from './common.js';
import { appliedPg, migratePg, pgTags, readPgMigrations } from './migrate.js';
import { PgAttachmentRepo, pgAttachmentChecks } from './attachments.js';
import { pgStoreChecks } from './check.js';
import { PgArchiveStore } from './archive.js';
import { PgTicketRepo } from './tickets.js';
import { PgWorkflowRepo } from './workflow.js';
import { PgAuditRepo, PgInviteRepo, PgMembersRepo, PgOrganizationRepo, PgRolesRepo } from './tenant.js';

const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

function toCredential(c: Row): CredentialRecord {
  return {
    id: c.id as number,
    userId: (c.userId ?? c.user_id) as number,
    kind: c.kind as CredentialKind,
    name: (c.name as string | null) ?? null,
    createdAt: (c.createdAt ?? c.created_at) as number,
    expiresAt: (c.expiresAt ?? c.expires_at) as number,
    revokedAt: ((c.revokedAt ?? c.revoked_at) as number | null) ?? null,
    lastUsedAt: ((c.lastUsedAt ?? c.last_used_at) as number | null) ?? null,
  };
}

/** A password proof: what tkt derived from the typed password, with the email it was checked for. */
interface Proof {
  email: string;
  candidate: string;
}

class PgIdentityStore implements IdentityStore {
  /** Who proved a password in this process (login, signup): they may start a session. */
  private get proofs(): Map<number, Proof> {
    return this.conn.proofs;
  }
  /** Credentials found by their secret in this process: id → its hash and whose it is. */
  private readonly hashes = new Map<number, { hash: string; userId: number }>();
  private readonly lastUsed = new Map<number, number | null>();

  constructor(
    private readonly conn: PgConnection,
    private readonly clock: Clock,
  ) {}

  createUser(input: { email: string; name: string; passwordHash: string }): Promise<UserRecord> {
    return this.conn.tx(async (q) => {
      try {
        const [row] = await q<{ u: UserRecord }>('SELECT tkt_signup($1, $2, $3) AS u', [input.email, input.name, input.passwordHash]);
        this.proofs.set(row!.u.id, { email: input.email, candidate: input.passwordHash });
        return row!.u;
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`a user with email ${input.email} already exists`, 'log in with tkt auth login');
        throw err;
      }
    });
  }

  /** Secrets stay in the database: no hash is ever read (the login goes through checkPassword). */
  async findUserByEmail(): Promise<{ user: UserRecord; passwordHash: string } | null> {
    throw storeError('a PostgreSQL store never hands out password hashes', 'this tkt command is not available on PostgreSQL');
  }

  async passwordParams(email: string): Promise<string | null> {
    return this.conn.tx(async (q) => (await q<{ p: string | null }>('SELECT tkt_password_params($1) AS p', [email]))[0]?.p ?? null);
  }

  async confirmPassword(email: string, candidate: string): Promise<UserRecord | null> {
    const user = await this.conn.tx(async (q) => (await q<{ u: UserRecord | null }>('SELECT tkt_login($1, $2) AS u', [email, candidate]))[0]?.u ?? null);
    if (user) this.proofs.set(user.id, { email, candidate });
    return user;
  }

  createCredential(input: NewCredential): Promise<CredentialRecord> {
    const proof = this.proofs.get(input.userId);
    return this.conn.tx(async (q) => {
      const [row] = await q<{ c: Row }>('SELECT tkt_create_credential($1, $2, $3, $4, $5, $6, $7) AS c', [
        input.userId,
        input.kind,
        input.name,
        input.tokenHash,
        input.expiresAt,
        proof?.email ?? null,
        proof?.candidate ?? null,
      ]);
      return toCredential(row!.c);
    });
  }

  findCredential(tokenHash: string): Promise<{ user: UserRecord; credential: CredentialRecord } | null> {
    return this.conn.tx(async (q) => {
      const [row] = await q<{ c: (Row & { user: UserRecord }) | null }>('SELECT tkt_credential($1) AS c', [tokenHash]);
      const c = row?.c;
      if (!c) return null;
      const credential = toCredential(c);
      this.hashes.set(credential.id, { hash: tokenHash, userId: credential.userId });
      this.lastUsed.set(credential.id, credential.lastUsedAt);
      return { user: c.user, credential };
    });
  }

  async touchCredential(id: number): Promise<void> {
    const now = this.clock.now();
    const last = this.lastUsed.get(id);
    if (last !== undefined && last !== null && now - last < TOUCH_INTERVAL_MS) return;
    // Never backwards: another process, its clock a little ahead, may have touched it meanwhile
    // (and the database refuses a last use that goes back).
    await this.conn.tx((q) => q('UPDATE credentials SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)', [id, now]));
    this.lastUsed.set(id, now);
  }

  revokeCredential(input: { userId: number; kind: CredentialKind; id: number }): Promise<boolean> {
    // By the secret only when it is that user's credential: holding another user's secret found in
    // this process (a process acting for several people) must not end it on their behalf.
    const found = this.hashes.get(input.id);
    const hash = found && found.userId === input.userId ? found.hash : undefined;
    return this.conn.tx(async (q) => {
      if (hash !== undefined) return (await q<{ ok: boolean }>('SELECT tkt_revoke_by_hash($1, $2) AS ok', [hash, input.kind]))[0]!.ok;
      const rows = await q('UPDATE credentials SET revoked_at = $4 WHERE id = $1 AND user_id = $2 AND kind = $3 AND revoked_at IS NULL RETURNING id', [
        input.id,
        input.userId,
        input.kind,
        this.clock.now(),
      ]);
      return rows.length > 0;
    });
  }

  listCredentials(userId: number, kind: CredentialKind): Promise<CredentialRecord[]> {
    return this.conn.tx(async (q) =>
      (
        await q('SELECT id, user_id, kind, name, created_at, expires_at, revoked_at, last_used_at FROM credentials WHERE user_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC', [
          userId,
          kind,
        ])
      ).map(toCredential),
    );
  }

  revokeCredentials(input: RevokeMany): Promise<RevokedCounts> {
    return this.conn.tx((q) => this.revokeMany(q, input));
  }

  changePassword(input: { userId: number; passwordHash: string; revoke: RevokeMany }): Promise<RevokedCounts> {
    const proof = this.proofs.get(input.userId);
    return this.conn.tx(async (q) => {
      const [row] = await q<{ ok: boolean }>('SELECT tkt_change_password($1, $2) AS ok', [proof?.candidate ?? null, input.passwordHash]);
      if (!row?.ok) throw storeError('the database did not accept the password change');
      return this.revokeMany(q, input.revoke);
    });
  }

  private async revokeMany(q: (t: string, p?: unknown[]) => Promise<Row[]>, input: RevokeMany): Promise<RevokedCounts> {
    const counts: RevokedCounts = { session: 0, token: 0 };
    if (input.kinds.length === 0) return counts;
    const now = this.clock.now();
    const rows = await q(
      `UPDATE credentials SET revoked_at = $3 WHERE user_id = $1 AND kind = ANY($2::text[]) AND revoked_at IS NULL AND expires_at > $3
       AND ($4::bigint IS NULL OR id <> $4) RETURNING kind`,
      [input.userId, input.kinds, now, input.exceptId ?? null],
    );
    for (const r of rows) counts[r.kind as CredentialKind]++;
    return counts;
  }
}

class PgDirectoryStore implements DirectoryStore {
  constructor(private readonly conn: PgConnection) {}

  createOrg(input: NewOrg): Promise<CreateOrgOutcome> {
    return this.conn.tx(async (q) => {
      const roles = input.systemRoles.map((r) => ({ code: r.code, name: r.name, permissions: r.permissions.join(',') }));
      const audit = { ...input.audit, details: JSON.stringify(input.audit.details) };
      const statuses = input.statuses.map((s) => ({ code: s.code, name: s.name, category: s.category, isDefault: s.isDefault }));
      const [row] = await q<{ o: Row | string }>('SELECT tkt_create_org($1, $2, $3, $4, $5, $6, $7) AS o', [
        input.name,
        input.slug,
        input.ticketKey,
        JSON.stringify(roles),
        input.ownerRole,
        JSON.stringify(statuses),
        JSON.stringify(audit),
      ]);
      const o = row!.o;
      if (o === 'slug-taken' || o === 'key-taken') return { kind: o };
      return { kind: 'created', org: o as unknown as OrgRecord };
    });
  }

  findMembership(userId: number, ref: OrgRef): Promise<TenantContext | null> {
    return this.conn.tx(async (q) => {
      const [row] = await q(
        `SELECT o.*, u.id AS u_id, u.email AS u_email, u.name AS u_name, u.created_at AS u_created_at,
           r.id AS r_id, r.code AS r_code, r.name AS r_name, r.permissions AS r_permissions, r.is_system AS r_is_system
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
         JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id JOIN users u ON u.id = m.user_id
         WHERE m.user_id = $1 AND ${'slug' in ref ? 'o.slug = $2' : 'o.id = $2'}`,
        [userId, 'slug' in ref ? ref.slug : ref.id],
      );
      return row ? mintTenantContext(toUser(row, 'u_'), toOrg(row), toRole(row, 'r_')) : null;
    });
  }

  listMemberships(userId: number): Promise<Array<{ org: OrgRecord; role: RoleRecord }>> {
    return this.conn.tx(async (q) =>
      (
        await q(
          `SELECT o.*, r.id AS r_id, r.code AS r_code, r.name AS r_name, r.permissions AS r_permissions, r.is_system AS r_is_system
           FROM memberships m JOIN organizations o ON o.id = m.organization_id JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id
           WHERE m.user_id = $1 ORDER BY o.slug`,
          [userId],
        )
      ).map((row) => ({ org: toOrg(row), role: toRole(row, 'r_') })),
    );
  }
}

interface StateJson {
  now: number;
  invite: Omit<InviteRecord, 'role'> & { role: Parameters<typeof roleFromJson>[0] };
  org: OrgRecord;
  user: UserRecord | null;
  emailTaken: boolean;
  alreadyMember: boolean;
  inviterId: number;
  inviterRole: Parameters<typeof roleFromJson>[0];
}

class PgInviteStore implements InviteStore {
  constructor(private readonly conn: PgConnection) {}

  accept(input: { tokenHash: string; invitee: Invitee }, decide: (state: AcceptState) => AcceptPlan): Promise<AcceptOutcome> {
    return this.conn.tx(async (q): Promise<AcceptOutcome> => {
      const { invitee } = input;
      const newEmail = 'newUser' in invitee ? invitee.newUser.email : null;
      const read = async () => {
        const [row] = await q<{ s: StateJson | null }>('SELECT tkt_invite_state($1, $2) AS s', [input.tokenHash, newEmail]);
        const s = row?.s;
        return s ? { ...s, invite: { ...s.invite, role: roleFromJson(s.invite.role) } as InviteRecord, inviterRole: roleFromJson(s.inviterRole) } : null;
      };
      const s = await read();
      if (!s) return { kind: 'unknown' };
      if ('userId' in invitee && s.user?.id !== invitee.userId) s.user = null;
      const plan = decide({ ...s, user: 'userId' in invitee ? s.user : null });
      const audit = (a: { details: Record<string, unknown> }) => JSON.stringify({ ...a, details: JSON.stringify(a.details) });
      switch (plan.kind) {
        case 'voided': {
          await q('SELECT tkt_invite_void($1, $2, $3)', [input.tokenHash, plan.reason, audit(plan.audit)]);
          return { kind: 'voided', reason: plan.reason, invite: (await read())!.invite, org: s.org };
        }
        case 'accept': {
          const [row] = await q<{ u: UserRecord | null }>('SELECT tkt_invite_accept($1, $2, $3) AS u', [
            input.tokenHash,
            'newUser' in invitee ? JSON.stringify(invitee.newUser) : null,
            audit(plan.audit),
          ]);
          if (!row?.u) return { kind: 'email-taken', invite: s.invite, org: s.org };
          if ('newUser' in invitee) this.conn.proofs.set(row.u.id, { email: invitee.newUser.email, candidate: invitee.newUser.passwordHash });
          return { kind: 'accepted', invite: (await read())!.invite, org: s.org, role: plan.role, user: row.u };
        }
        default:
          return { kind: plan.kind, invite: s.invite, org: s.org };
      }
    });
  }
}

class PgAdminStore implements AdminStore {
  constructor(
    private readonly conn: PgConnection,
    private readonly appRole: string | undefined,
  ) {}

  status(): Promise<StoreStatus> {
    return this.conn.tx(async (q) => {
      const applied = new Map((await appliedPg(q)).map((m) => [m.tag, m]));
      const files = readPgMigrations();
      const tags = files.map((m) => m.tag);
      const last = [...tags].reverse().find((t) => applied.has(t)) ?? null;
      return {
        store: this.conn.locator.label,
        schemaVersion: last,
        latestVersion: tags.at(-1)!,
        pending: tags.filter((t) => !applied.has(t)),
        migrations: files.map((m) => ({ tag: m.tag, appliedAt: applied.get(m.tag)?.applied_at ?? null, modified: applied.has(m.tag) && applied.get(m.tag)!.hash !== m.hash })),
      };
    });
  }

  isEmpty(): Promise<boolean> {
    return this.conn.tx(async (q) => (await q<{ e: boolean }>('SELECT tkt_is_empty() AS e'))[0]!.e);
  }

  migrate(): Promise<string[]> {
    return migratePg(this.conn, this.appRole);
  }

  /**
   * Store-wide, as on SQLite: the migrations (all applied, none edited since), foreign keys, the
   * walls in place, tenant consistency, the search index (src/store/pg/check.ts), attachment content.
   */
  async check(options: { quick?: boolean } = {}): Promise<CheckResult[]> {
    const status = await this.status();
    const schema = { name: 'schema is up to date', ok: status.pending.length === 0, problems: status.pending.map((t) => `migration ${t} is pending`) };
    const modified = status.migrations.filter((m) => m.modified).map((m) => m.tag);
    const unchanged = { name: 'applied migrations unchanged', ok: modified.length === 0, problems: modified.map((tag) => `${tag} was edited after it was applied`) };
    if (!schema.ok) return [schema, unchanged];
    const quick = options.quick === true;
    return [schema, ...(await pgStoreChecks(this.conn, quick)), ...(await pgAttachmentChecks(this.conn, quick)), unchanged];
  }
}

export class PgStore implements Store {
  readonly identity: PgIdentityStore;
  readonly directory: PgDirectoryStore;
  readonly admin: PgAdminStore;
  readonly invites: PgInviteStore;
  readonly archive: PgArchiveStore;

  constructor(
    readonly conn: PgConnection,
    private readonly clock: Clock,
    appRole?: string,
  ) {
    this.identity = new PgIdentityStore(conn, clock);
    this.directory = new PgDirectoryStore(conn);
    this.admin = new PgAdminStore(conn, appRole);
    this.invites = new PgInviteStore(conn);
    this.archive = new PgArchiveStore(conn, clock);
  }

  get location(): string {
    return this.conn.locator.label;
  }

  /** The session or API token secret this process acts as: presented as tkt.token in every transaction. */
  presentToken(secret: string): void {
    this.conn.token = secret.trim();
  }

  forOrg(ctx: TenantContext): TenantStore {
    const { conn, clock } = this;
    return {
      audit: new PgAuditRepo(conn, clock, ctx),
      tickets: new PgTicketRepo(conn, clock, ctx),
      invites: new PgInviteRepo(conn, clock, ctx),
      members: new PgMembersRepo(conn, clock, ctx),
      roles: new PgRolesRepo(conn, clock, ctx),
      organization: new PgOrganizationRepo(conn, clock, ctx),
      attachments: new PgAttachmentRepo(conn, clock, ctx),
      workflow: new PgWorkflowRepo(conn, clock, ctx),
    };
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

export interface PgOpenOptions {
  locator: PostgresLocator;
  clock?: Clock;
  /** `db migrate`: connect as the owner, create the app role when missing, migrate. */
  admin?: boolean;
  appRole?: string;
}

/**
 * Opens the store. Every command but `db migrate` refuses a role for which row-level security
 * would not apply (superuser, BYPASSRLS, owner of the tables or a member of that owner) and a
 * store whose schema is behind this tkt (exit 7).
 */
export async function openPgStore(options: PgOpenOptions): Promise<PgStore> {
  const conn = await PgConnection.open(options.locator);
  const label = options.locator.label;
  try {
    if (!options.admin) {
      const [me] = await conn.client.query(
        `SELECT current_user AS name, r.rolsuper AS super, r.rolbypassrls AS bypass,
           (SELECT t.tableowner FROM pg_tables t WHERE t.schemaname = 'public' AND t.tablename = 'tickets' AND pg_has_role(current_user, t.tableowner, 'MEMBER')) AS owns,
           to_regclass('public.tkt_migrations') IS NOT NULL AS migrated
         FROM pg_roles r WHERE r.rolname = current_user`,
      ).then((r) => r.rows as Array<{ name: string; super: boolean; bypass: boolean; owns: string | null; migrated: boolean }>);
      const why = me!.super ? 'a superuser' : me!.bypass ? 'a role with BYPASSRLS' : me!.owns ? `the owner of the tables (or a member of ${me!.owns})` : null;
      if (why) {
        throw storeError(
          `refusing to use ${label} as ${me!.name}: it is ${why}, so row-level security would not apply`,
          'connect as a login role granted tkt_app (CREATE ROLE team LOGIN IN ROLE tkt_app); only tkt db migrate runs as the owner',
        );
      }
      const applied = me!.migrated ? new Set((await conn.client.query('SELECT tag FROM tkt_migrations')).rows.map((r: { tag: string }) => r.tag)) : new Set<string>();
      const pending = pgTags().filter((t) => !applied.has(t));
      if (pending.length > 0) {
        throw storeError(
          me!.migrated ? `the store ${label} needs migrations this tkt brings (${pending.join(', ')})` : `${label} is not a tkt store yet`,
          'the database owner runs tkt db migrate (TKT_DB=postgres://owner@…/db tkt db migrate)',
        );
      }
    }
    return new PgStore(conn, options.clock ?? systemClock, options.appRole);
  } catch (err) {
    await conn.close();
    throw err;
  }
}

