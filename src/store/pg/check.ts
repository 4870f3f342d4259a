// `tkt db check` on PostgreSQL: the equivalents of the SQLite store's checks (src/store/sqlite/admin.ts),
// store-wide, through tkt_store_problems() (migrations/pg/0020_store_checks.sql): a SECURITY DEFINER
// function that sees every org and answers with org ids, numbers and counts only. PostgreSQL has no
// integrity_check of its pages (checksums and amcheck are the server administrator's); what it has
// instead: every foreign key validated and holding, row-level security forced on every tenant table,
// no trigger disabled.
import type { CheckResult } from '../ports/admin.js';
import type { PgConnection } from './connection.js';

/** The checks, in the order they are reported: each holds when the function returns no problem for it. */
export const PG_STORE_CHECKS = [
  'foreign keys',
  'row-level security and triggers in place',
  'membership role belongs to the same org',
  'invitation role belongs to the same org',
  'ticket assignee is a member of the ticket org',
  'comment belongs to a ticket of the same org',
  'ticket label links stay inside one org',
  'ticket numbers are below the org counter',
  'comment, audit event and invitation ids are below the org counters',
  'audit event numbers are gapless',
  'search index rows match their ticket and org',
  "ticket status is one of its org's statuses",
  'workflow transitions stay inside one org',
  'every org has a status for new tickets',
  'every org has an owner',
] as const;

/** At most this many problems per check (as on SQLite): the count says the rest. */
const SHOWN = 20;

export async function pgStoreChecks(conn: PgConnection, quick: boolean): Promise<CheckResult[]> {
  const rows = await conn.tx((q) => q<{ check_name: string; problem: string }>('SELECT check_name, problem FROM tkt_store_problems($1)', [quick]));
  const unknown = rows.filter((r) => !(PG_STORE_CHECKS as readonly string[]).includes(r.check_name));
  return [
    ...PG_STORE_CHECKS.map((name) => {
      const problems = rows.filter((r) => r.check_name === name).map((r) => r.problem);
      const shown = problems.length > SHOWN ? [...problems.slice(0, SHOWN), `and ${problems.length - SHOWN} more`] : problems;
      return { name, ok: problems.length === 0, problems: shown };
    }),
    // A check the database knows and this tkt does not (a newer function): reported, not dropped.
    ...[...new Set(unknown.map((r) => r.check_name))].map((name) => ({ name, ok: false, problems: unknown.filter((r) => r.check_name === name).map((r) => r.problem) })),
  ];
}
