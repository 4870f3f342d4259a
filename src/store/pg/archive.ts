// Creating a whole organization from an archive (org import) on PostgreSQL, in ONE transaction:
// tkt_archive_begin() makes the org (the principal its owner), its roles and workflow; each record
// then goes through tkt_archive_add() / tkt_archive_chunk() (migrations/pg/0016), which write only
// into the org this transaction began. A bad record or a crash rolls all of it back.
import type { ArchiveRecord, ArchiveStore, ImportOutcome, ImportPlan } from '../ports/archive.js';
import type { Clock, OrgRecord } from '../ports/common.js';
import type { PgConnection, Query } from './connection.js';

export class PgArchiveStore implements ArchiveStore {
  constructor(
    readonly conn: PgConnection,
    readonly clock: Clock,
  ) {}

  importOrg(plan: ImportPlan, records: () => Iterable<ArchiveRecord>): Promise<ImportOutcome> {
    return this.conn.tx(async (q): Promise<ImportOutcome> => {
      const roles = plan.systemRoles.map((r) => ({ code: r.code, name: r.name, permissions: r.permissions.join(',') }));
      const statuses = plan.workflow.statuses.map((s) => ({ code: s.code, name: s.name, category: s.category, isDefault: s.isDefault }));
      const [row] = await q<{ o: { org: OrgRecord; roles: Record<string, number> } | string }>('SELECT tkt_archive_begin($1, $2, $3, $4, $5, $6, $7) AS o', [
        plan.org.name,
        plan.org.slug,
        plan.org.ticketKey,
        JSON.stringify(roles),
        plan.ownerRole,
        JSON.stringify(statuses),
        JSON.stringify(plan.workflow.transitions),
      ]);
      const begun = row!.o;
      if (begun === 'slug-taken' || begun === 'key-taken') return { kind: begun };
      if (typeof begun === 'string') throw new Error(`tkt_archive_begin answered ${begun}`);
      const o = begun.org.id;
      const add = async (kind: string, record: unknown): Promise<number> =>
        Number((await q<{ id: string }>('SELECT tkt_archive_add($1, $2, $3) AS id', [o, kind, JSON.stringify(record)]))[0]!.id);
      const [me] = await q<{ email: string }>('SELECT email FROM users WHERE id = $1', [plan.importerId]);
      const customRoles = new Set(plan.systemRoles.map((r) => r.code));
      for (const r of records()) {
        switch (r.type) {
          case 'role':
            if (!r.system && !customRoles.has(r.code)) {
              customRoles.add(r.code);
              await add('role', { code: r.code, name: r.name, permissions: r.permissions.join(',') });
            }
            break;
          case 'ticket':
          case 'content':
          case 'attachment':
          case 'event':
            await add(r.type, r);
            break;
          case 'chunk':
            await chunk(q, o, r.sha256, r.seq, Buffer.from(r.data, 'base64'));
            break;
          default:
            break;
        }
      }
      const inviteIds: number[] = [];
      for (const invite of plan.invites) inviteIds.push(await add('invitation', invite));
      for (const event of plan.audit(inviteIds)) {
        await add('event', { ...event, actor: { email: me!.email, name: '' }, createdAt: this.clock.now() });
      }
      return { kind: 'created', org: begun.org, inviteIds };
    });
  }
}

function chunk(q: Query, org: number, sha256: string, seq: number, data: Buffer): Promise<unknown> {
  return q('SELECT tkt_archive_chunk($1, $2, $3, $4)', [org, sha256, seq, data]);
}
