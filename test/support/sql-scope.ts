// Records every SQL statement drizzle runs and judges whether each one that touches a tenant
// table is constrained to one organization. Used by the scoping tests.
import type { Logger } from 'drizzle-orm/logger';
import { tenantTables } from '../../src/store/schema.js';

export interface LoggedQuery {
  sql: string;
  params: unknown[];
}

export class RecordingLogger implements Logger {
  readonly queries: LoggedQuery[] = [];
  logQuery(query: string, params: unknown[]): void {
    this.queries.push({ sql: query, params });
  }
}

/**
 * Statements that are cross-organization by design, each with the reason it is safe. Keep short:
 * every entry is a place where a forgotten filter would not be caught.
 */
export const REVIEWED_EXCEPTIONS: Array<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /^select .* from "memberships" inner join "organizations" .* where \("memberships"\."user_id" = \? and "organizations"\."(slug|id)" = \?\)$/,
    reason: 'the tenant guard itself: the membership of this user in the org named by slug or id',
  },
  {
    pattern: /^select .* from "memberships" inner join "organizations" .* where "memberships"\."user_id" = \?( order by|$)/,
    reason: "a user's own list of orgs (org list): constrained by the user, not by one org",
  },
  {
    pattern: /"invitations"\."token_hash" = \?/,
    reason: 'accepting an invitation: the token hash names exactly one invitation, whose org the accept then uses',
  },
];

/** A MATCH expression whose every term is qualified by the same organization. */
function orgBoundMatch(expression: string): boolean {
  const body = /^\{title body comments\}: \((.*)\)$/.exec(expression)?.[1];
  if (body === undefined) return false;
  const terms = body.replace(/"\*?/g, ' ').split(' ').filter((t) => t.length > 0);
  const tags = new Set(terms.map((t) => /^o\d+x/.exec(t)?.[0]));
  return terms.length > 0 && tags.size === 1 && !tags.has(undefined);
}

export function touchedTenantTables(sql: string): string[] {
  return tenantTables.filter((t) => new RegExp(`"${t}"`).test(sql));
}

/** Returns the statements that touch a tenant table without constraining organization_id. */
export function unscopedQueries(queries: LoggedQuery[]): LoggedQuery[] {
  return queries.filter((q) => {
    const sql = q.sql.replace(/\s+/g, ' ').trim();
    if (touchedTenantTables(sql).length === 0) return false;
    if (/^insert into/i.test(sql)) return !/"organization_id"/.test(sql.split(/\) values/i)[0] ?? '');
    // A bound value, not merely a join between two tenant columns.
    const constrained =
      /"organization_id" (= \?|in \()/i.test(sql) ||
      // FTS: every term of the MATCH expression carries one organization's tag (o<id>x)
      (/ticket_search/.test(sql) && q.params.some((p) => typeof p === 'string' && orgBoundMatch(p)));
    if (constrained) return false;
    return !REVIEWED_EXCEPTIONS.some((e) => e.pattern.test(sql));
  });
}
