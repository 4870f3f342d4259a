// What the PostgreSQL repositories share: row mappers, the member queries, audit appends and the
// per-org counters. Every query names its organization explicitly; row-level security is the
// second wall behind that, not a replacement for it.
import type { AuditInput, Clock, OrgRecord, RoleRecord, UserRecord } from '../ports/common.js';
import type { MemberRecord, TicketRef } from '../ports/members.js';
import type { TenantContext } from '../ports/tenant.js';
import type { PgConnection, Query, Row } from './connection.js';

export function toUser(row: Row, prefix = ''): UserRecord {
  return {
    id: row[`${prefix}id`] as number,
    email: row[`${prefix}email`] as string,
    name: row[`${prefix}name`] as string,
    createdAt: row[`${prefix}created_at`] as number,
  };
}

export function toOrg(row: Row): OrgRecord {
  return { id: row.id as number, slug: row.slug as string, name: row.name as string, ticketKey: row.ticket_key as string, createdAt: row.created_at as number };
}

export function toRole(row: Row, prefix = ''): RoleRecord {
  const permissions = row[`${prefix}permissions`] as string;
  return {
    id: row[`${prefix}id`] as number,
    code: row[`${prefix}code`] as string,
    name: row[`${prefix}name`] as string,
    permissions: permissions === '' ? [] : permissions.split(','),
    isSystem: row[`${prefix}is_system`] as boolean,
  };
}

/** From the JSON the SECURITY DEFINER functions return. */
export function roleFromJson(role: { id: number; code: string; name: string; permissions: string; isSystem: boolean } | null): RoleRecord | null {
  return role ? { id: role.id, code: role.code, name: role.name, permissions: role.permissions === '' ? [] : role.permissions.split(','), isSystem: role.isSystem } : null;
}

export const MEMBER_SELECT = `SELECT u.id AS u_id, u.email AS u_email, u.name AS u_name, u.created_at AS u_created_at,
    r.id AS r_id, r.code AS r_code, r.name AS r_name, r.permissions AS r_permissions, r.is_system AS r_is_system, m.created_at AS joined_at
  FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.organization_id = m.organization_id AND r.id = m.role_id`;

export function toMember(row: Row): MemberRecord {
  return { user: toUser(row, 'u_'), role: toRole(row, 'r_'), joinedAt: row.joined_at as number };
}

export async function selectMembers(q: Query, orgId: number, where = '', params: unknown[] = []): Promise<MemberRecord[]> {
  const rows = await q(`${MEMBER_SELECT} WHERE m.organization_id = $1 ${where} ORDER BY u.email`, [orgId, ...params]);
  return rows.map(toMember);
}

export async function memberById(q: Query, orgId: number, userId: number): Promise<MemberRecord | null> {
  return (await selectMembers(q, orgId, 'AND m.user_id = $2', [userId]))[0] ?? null;
}

export async function memberByEmail(q: Query, orgId: number, email: string): Promise<MemberRecord | null> {
  return (await selectMembers(q, orgId, 'AND u.email = $2', [email]))[0] ?? null;
}

export async function findRole(q: Query, orgId: number, code: string): Promise<RoleRecord | null> {
  const [row] = await q('SELECT * FROM roles WHERE organization_id = $1 AND code = $2', [orgId, code]);
  return row ? toRole(row) : null;
}

export type OrgCounter = 'next_comment_number' | 'next_audit_number' | 'next_invite_number' | 'next_ticket_number';

/** Reserves `count` consecutive numbers of a counter; the org's write lock makes them gapless. */
export async function takeNumbers(q: Query, orgId: number, counter: OrgCounter, count = 1): Promise<number> {
  const [row] = await q<{ next: number }>(`UPDATE organizations SET ${counter} = ${counter} + $2 WHERE id = $1 RETURNING ${counter} AS next`, [orgId, count]);
  if (!row) throw new Error(`organization ${orgId} vanished during a write`);
  return row.next - count;
}

export async function appendAudit(q: Query, orgId: number, actorId: number, at: number, event: AuditInput): Promise<void> {
  const number = await takeNumbers(q, orgId, 'next_audit_number');
  await q(
    `INSERT INTO audit_events (organization_id, number, actor_id, action, target_type, target, details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [orgId, number, actorId, event.action, event.targetType, event.target, JSON.stringify(event.details), at],
  );
}

export function ticketKey(org: OrgRecord, number: number): string {
  return `${org.ticketKey}-${number}`;
}

/** The tickets a member holds, as whoever may end that membership sees them (migrations/pg/0023), ticket permissions or not. */
export async function assignedTickets(q: Query, ctx: TenantContext, userId: number): Promise<TicketRef[]> {
  const rows = await q<{ number: number }>('SELECT n AS number FROM tkt_assigned_numbers($1, $2) AS n', [ctx.org.id, userId]);
  return rows.map(({ number }) => ({ number, key: ticketKey(ctx.org, number) }));
}

/** Base of the repositories bound to one organization: writes hold the org's write lock. */
export abstract class PgTenantRepo {
  protected readonly orgId: number;

  constructor(
    protected readonly conn: PgConnection,
    protected readonly clock: Clock,
    protected readonly ctx: TenantContext,
  ) {
    this.orgId = ctx.org.id;
  }

  protected read<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return this.conn.tx(fn);
  }

  protected write<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return this.conn.tx(fn, { lockOrg: this.orgId });
  }

  protected actor(q: Query): Promise<MemberRecord | null> {
    return memberById(q, this.orgId, this.ctx.user.id);
  }

  protected audit(q: Query, event: AuditInput, at = this.clock.now()): Promise<void> {
    return appendAudit(q, this.orgId, this.ctx.user.id, at, event);
  }
}
