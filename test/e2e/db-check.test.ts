// `tkt db check` finds damage written behind tkt's back, on either store: rows changed as the
// store's owner (test/support/raw-store.ts: the SQLite file, or psql as the PostgreSQL database's
// owner, who row-level security exempts), then `db check` through the CLI: exit 7, naming the check
// that failed, and every other check still passing. On PostgreSQL the database keeps most of these
// rules itself (composite foreign keys, triggers): the owner damages a rule by switching a
// trigger or row-level security off, which the check reports as well.
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { withStore, type RawDb } from '../support/raw-store.js';
import { onPostgres } from '../support/stores.js';

interface Check {
  name: string;
  ok: boolean;
  problems: string[];
}

let sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const sb of sandboxes) sb.cleanup();
  sandboxes = [];
});

/** A store with one org (DMG), two tickets, a comment; its org id. */
async function damaged(): Promise<{ sb: Sandbox; ann: Person; org: number }> {
  const sb = new Sandbox();
  sandboxes.push(sb);
  const ann = await sb.person('ann@example.com');
  expect((await ann.run(['org', 'create', 'Damage Co', '--key', 'DMG'])).code).toBe(0);
  for (const title of ['first ticket', 'second ticket']) expect((await ann.run(['ticket', 'create', '--title', title])).code).toBe(0);
  expect((await ann.run(['ticket', 'comment', 'DMG-1', '--body', 'a comment'])).code).toBe(0);
  const org = withStore(sb, (db) => (db.prepare("SELECT id FROM organizations WHERE slug = 'damage-co'").get() as { id: number }).id);
  return { sb, ann, org: Number(org) };
}

async function check(who: Person, ...flags: string[]): Promise<{ code: number; failed: string[]; checks: Check[]; stderr: string }> {
  const r = await who.run(['db', 'check', '--json', ...flags]);
  const checks = JSON.parse(r.stdout) as Check[];
  return { code: r.code, failed: checks.filter((c) => !c.ok).map((c) => c.name), checks, stderr: r.stderr };
}

/** The id of ticket DMG-n. */
const ticketId = (db: RawDb, org: number, n: number) => Number((db.prepare('SELECT id FROM tickets WHERE organization_id = ? AND number = ?').get(org, n) as { id: number }).id);

describe('db check', () => {
  it('passes on a store tkt wrote, and names its checks', async () => {
    const { ann } = await damaged();
    const r = await check(ann);
    expect(r.code, r.stderr).toBe(0);
    expect(r.failed).toEqual([]);
    const names = r.checks.map((c) => c.name);
    // The same consistency rules on both stores.
    expect(names).toEqual(
      expect.arrayContaining([
        'foreign keys',
        'membership role belongs to the same org',
        'ticket numbers are below the org counter',
        'comment, audit event and invitation ids are below the org counters',
        'search index rows match their ticket and org',
        "ticket status is one of its org's statuses",
        'every org has an owner',
        'applied migrations unchanged',
        'attachment content: chunks complete',
      ]),
    );
    if (onPostgres) expect(names).toEqual(expect.arrayContaining(['schema is up to date', 'row-level security and triggers in place', 'audit event numbers are gapless']));
  });

  it('finds a ticket missing from the search index', async () => {
    const { sb, ann, org } = await damaged();
    withStore(sb, (db) => {
      const id = ticketId(db, org, 2);
      db.prepare(onPostgres ? 'DELETE FROM ticket_search WHERE organization_id = ? AND ticket_id = ?' : 'DELETE FROM ticket_search WHERE rowid = ?').run(...(onPostgres ? [org, id] : [id]));
    });
    const r = await check(ann);
    expect(r.code).toBe(7);
    expect(r.failed).toEqual(['search index rows match their ticket and org']);
    expect(r.stderr).toContain('search index rows match their ticket and org');
  });

  it('finds an audit event past its org counter', async () => {
    const { sb, ann, org } = await damaged();
    withStore(sb, (db) => db.prepare('UPDATE organizations SET next_audit_number = next_audit_number - 1 WHERE id = ?').run(org));
    const r = await check(ann);
    expect(r.code).toBe(7);
    // On PostgreSQL the counter also no longer matches the number of events.
    expect(r.failed).toEqual(['comment, audit event and invitation ids are below the org counters', ...(onPostgres ? ['audit event numbers are gapless'] : [])]);
  });

  it.runIf(onPostgres)('PostgreSQL: finds a search document that no longer matches its ticket (not with --quick)', async () => {
    const { sb, ann, org } = await damaged();
    withStore(sb, (db) => db.prepare("UPDATE ticket_search SET document = 'o1xnothing' WHERE organization_id = ? AND ticket_id = ?").run(org, ticketId(db, org, 1)));
    const r = await check(ann);
    expect(r.code).toBe(7);
    expect(r.failed).toEqual(['search index rows match their ticket and org']);
    expect(r.checks.find((c) => !c.ok)!.problems).toEqual([`org ${org}: the search row of ticket 1 does not match its title, body and comments`]);
    expect((await check(ann, '--quick')).code).toBe(0);
  });

  it.runIf(onPostgres)('PostgreSQL: finds the walls taken down (row-level security not forced, a trigger disabled), and what that let through', async () => {
    const { sb, ann, org } = await damaged();
    withStore(sb, (db) => db.prepare('ALTER TABLE tickets NO FORCE ROW LEVEL SECURITY').run());
    let r = await check(ann);
    expect(r.code).toBe(7);
    expect(r.failed).toEqual(['row-level security and triggers in place']);
    expect(r.checks.find((c) => !c.ok)!.problems).toEqual(['tickets: row-level security is not forced']);

    // With its triggers off, the owner can remove the last owner and a gap in the audit log.
    withStore(sb, (db) => {
      db.prepare('ALTER TABLE tickets FORCE ROW LEVEL SECURITY').run();
      db.prepare('ALTER TABLE memberships DISABLE TRIGGER USER').run();
      db.prepare('ALTER TABLE audit_events DISABLE TRIGGER USER').run();
      db.prepare('DELETE FROM memberships WHERE organization_id = ?').run(org);
      db.prepare('DELETE FROM audit_events WHERE organization_id = ? AND number = 1').run(org);
    });
    r = await check(ann);
    expect(r.code).toBe(7);
    expect(r.failed).toEqual(['row-level security and triggers in place', 'audit event numbers are gapless', 'every org has an owner']);
    expect(r.checks.find((c) => c.name === 'every org has an owner')!.problems).toEqual([`org ${org} has no owner`]);

    withStore(sb, (db) => {
      db.prepare('ALTER TABLE memberships ENABLE TRIGGER USER').run();
      db.prepare('ALTER TABLE audit_events ENABLE TRIGGER USER').run();
    });
    expect((await check(ann)).failed).toEqual(['audit event numbers are gapless', 'every org has an owner']);
  });
});
