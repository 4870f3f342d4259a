// Each organization's own workflow, through the real CLI: two orgs with different workflows side
// by side, a forbidden transition (exit 6 naming the allowed targets) and its audited override,
// a removal that moves 10,000 tickets in one transaction, list/close/reopen on the org's
// statuses, import with and without --status-map, and JSON statusCategory.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme
let bob: Person; // owner of globex
let mia: Person; // member of acme

const file = (name: string, content: string) => {
  const p = path.join(sb.dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const ok = async (p: Person, args: string[]) => {
  const r = await p.run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const json = async <T>(p: Person, args: string[]): Promise<T> => JSON.parse((await ok(p, [...args, '--json'])).stdout) as T;

beforeAll(async () => {
  [alice, bob, mia] = (await Promise.all([sb.person('alice@example.com'), sb.person('bob@example.com'), sb.person('mia@example.com')])) as [
    Person,
    Person,
    Person,
  ];
  await ok(alice, ['org', 'create', 'Acme']);
  await ok(bob, ['org', 'create', 'Globex']);
  withStore(sb, (db) => seedMember(db, 'acme', 'mia@example.com', 'member'));
  await ok(mia, ['org', 'switch', 'acme']);
  // acme: Backlog → Todo → In progress → In review → Done (+ Canceled)
  await ok(alice, ['workflow', 'status', 'add', 'backlog', '--name', 'Backlog', '--category', 'unstarted']);
  await ok(alice, ['workflow', 'status', 'rename', 'open', '--name', 'Todo']);
  await ok(alice, ['workflow', 'status', 'add', 'in_review', '--name', 'In review', '--category', 'started', '--after', 'in_progress']);
  await ok(alice, ['workflow', 'status', 'reorder', 'backlog,open,in_progress,in_review,done,canceled']);
  // globex: Open → Fixed → Verified
  await ok(bob, ['workflow', 'status', 'add', 'fixed', '--category', 'completed', '--after', 'open']);
  await ok(bob, ['workflow', 'status', 'add', 'verified', '--category', 'completed', '--after', 'fixed']);
  await ok(bob, ['workflow', 'status', 'remove', 'in_progress', '-y']);
  await ok(bob, ['workflow', 'status', 'remove', 'done', '-y']);
});

describe('two orgs, two workflows', () => {
  it('each shows and uses only its own statuses', async () => {
    const a = await json<Array<{ code: string; name: string; category: string; default: boolean }>>(alice, ['workflow', 'show']);
    expect(a.map((s) => s.code)).toEqual(['backlog', 'open', 'in_progress', 'in_review', 'done', 'canceled']);
    expect(a.find((s) => s.default)?.code).toBe('backlog');
    const g = await json<Array<{ code: string; category: string }>>(bob, ['workflow', 'show']);
    expect(g.map((s) => `${s.code}:${s.category}`)).toEqual(['open:unstarted', 'fixed:completed', 'verified:completed', 'canceled:canceled']);

    expect((await ok(alice, ['ticket', 'create', '--title', 'A1'])).stdout.trim()).toBe('ACME-1');
    expect((await ok(bob, ['ticket', 'create', '--title', 'G1'])).stdout.trim()).toBe('GLOBEX-1');
    const created = await json<{ status: string; statusCategory: string }>(alice, ['ticket', 'view', 'ACME-1']);
    expect([created.status, created.statusCategory]).toEqual(['backlog', 'unstarted']);

    // A status of the other org is exit 2, and the valid ones named are this org's only.
    const wrong = await bob.run(['ticket', 'move', 'GLOBEX-1', 'in_review']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('globex has no status "in_review"');
    expect(wrong.stderr).toContain('open, fixed, verified, canceled');
    expect(wrong.stderr).not.toMatch(/backlog|acme/);
    const listWrong = await alice.run(['ticket', 'list', '--status', 'verified']);
    expect(listWrong.code).toBe(2);
    expect(listWrong.stderr).not.toMatch(/fixed|globex/);

    // close takes each org's first completed status; list's default is unstarted + started.
    await ok(bob, ['ticket', 'close', 'GLOBEX-1']);
    expect((await json<{ status: string }>(bob, ['ticket', 'view', '1'])).status).toBe('fixed');
    expect((await ok(bob, ['ticket', 'list'])).stdout).toBe('');
    expect((await ok(bob, ['ticket', 'list', '--status', 'completed', '-q'])).stdout.trim()).toBe('GLOBEX-1');
    await ok(bob, ['ticket', 'reopen', 'GLOBEX-1']);
    expect((await json<{ status: string }>(bob, ['ticket', 'view', '1'])).status).toBe('open');
    await ok(alice, ['ticket', 'move', 'ACME-1', 'in_review']);
    expect((await ok(alice, ['ticket', 'list', '--status', 'started', '-q'])).stdout.trim()).toBe('ACME-1');
    await ok(alice, ['ticket', 'close', 'ACME-1']);
    expect((await json<{ status: string; statusCategory: string }>(alice, ['ticket', 'view', '1'])).statusCategory).toBe('completed');
    await ok(alice, ['ticket', 'reopen', 'ACME-1']);
    expect((await json<{ status: string }>(alice, ['ticket', 'view', '1'])).status).toBe('backlog');
  });

  it('a forbidden transition is exit 6 naming the allowed targets; -f needs workflow:manage and is audited', async () => {
    await ok(alice, ['ticket', 'create', '--title', 'ruled']); // ACME-2, backlog
    await ok(alice, ['workflow', 'transition', 'allow', 'backlog', 'open']);
    await ok(alice, ['workflow', 'transition', 'allow', 'backlog', 'canceled']);
    await ok(alice, ['workflow', 'transition', 'deny', 'open', 'done']);
    const refused = await mia.run(['ticket', 'move', 'ACME-2', 'done']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('the workflow does not allow moving ACME-2 from backlog to done (allowed from backlog: open, canceled)');
    const denied = await mia.run(['ticket', 'move', 'ACME-2', 'open']);
    expect(denied.code).toBe(0);
    expect((await mia.run(['ticket', 'move', 'ACME-2', 'done'])).code).toBe(6);
    // The member may not override; the owner may, and the audit log says so.
    const notAllowed = await mia.run(['ticket', 'move', '-f', 'ACME-2', 'done']);
    expect(notAllowed.code).toBe(4);
    expect(notAllowed.stderr).toContain('workflow:manage');
    await ok(alice, ['ticket', 'move', '-f', 'ACME-2', 'done']);
    const events = await json<Array<{ action: string; target: string; details: Record<string, unknown> }>>(alice, ['audit', 'list', '--action', 'ticket.move']);
    expect(events[0]).toMatchObject({ target: 'ACME-2', details: { from: 'open', to: 'done', forced: true } });
    // globex has no rules: the same move there is fine.
    await ok(bob, ['ticket', 'move', 'GLOBEX-1', 'verified']);
    const rules = await json<Array<{ code: string; movesTo: string[] }>>(alice, ['workflow', 'show']);
    expect(rules.find((s) => s.code === 'backlog')?.movesTo).toEqual(['open', 'canceled']);
  });

  it('workflow changes need workflow:manage; every change is audited; history reads after rename and removal', async () => {
    const denied = await mia.run(['workflow', 'status', 'add', 'todo2', '--category', 'unstarted']);
    expect(denied.code).toBe(4);
    expect((await mia.run(['workflow', 'show'])).code).toBe(0);
    const perms = await json<Array<{ code: string }>>(alice, ['role', 'permissions']);
    expect(perms.map((p) => p.code)).toContain('workflow:manage');
    const check = await alice.run(['access', 'check', 'workflow:manage', '--user', 'mia@example.com']);
    expect(check.code).toBe(4);

    await ok(alice, ['ticket', 'move', '-f', 'ACME-1', 'in_review']); // backlog has rules from the test before
    await ok(alice, ['workflow', 'status', 'rename', 'in_review', '--name', 'Review']);
    await ok(alice, ['workflow', 'status', 'remove', 'in_review', '--move-to', 'in_progress', '-y']);
    const view = (await ok(alice, ['ticket', 'view', 'ACME-1'])).stdout;
    expect(view).toContain('moved it Backlog → In review (forced past the workflow rules)');
    expect(view).toContain('moved it Review (in_review) → In progress (status in_review was removed)');
    const actions = (await json<Array<{ action: string }>>(alice, ['audit', 'list', '--action', 'workflow', '--limit', '0'])).map((e) => e.action);
    for (const a of ['workflow.status.add', 'workflow.status.rename', 'workflow.status.remove', 'workflow.status.reorder', 'workflow.transition.allow', 'workflow.transition.deny']) {
      expect(actions).toContain(a);
    }
    const theirs = (await json<Array<{ action: string }>>(bob, ['audit', 'list', '--limit', '0'])).map((e) => e.action);
    expect(theirs).not.toContain('workflow.transition.allow');
  });
});

describe('import and the workflow', () => {
  it('a status the org lacks is an error naming it, unless --status-map maps it', async () => {
    const exported = (await ok(bob, ['ticket', 'export', '--format', 'json'])).stdout;
    expect(JSON.parse(exported)[0]).toMatchObject({ status: 'verified', statusCategory: 'completed' });
    const src = file('globex.json', exported);
    const refused = await alice.run(['ticket', 'import', src]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('status "verified" is not a status of acme');
    expect(refused.stderr).toContain('--status-map verified=<status>');
    const badMap = await alice.run(['ticket', 'import', src, '--status-map', 'verified=shipped']);
    expect(badMap.code).toBe(2);
    const mapped = await ok(alice, ['ticket', 'import', src, '--status-map', 'verified=done,fixed=done', '-q']);
    const key = mapped.stdout.trim();
    expect((await json<{ status: string }>(alice, ['ticket', 'view', key])).status).toBe('done');
  });
});

describe('a removal that moves 10,000 tickets', () => {
  it('moves them all in one transaction, each with its history', async () => {
    // (One transaction: the repo's change() is a single BEGIN IMMEDIATE; 'a failed removal moves nothing' below.)
    const carl = await sb.person('carl@example.com');
    await ok(carl, ['org', 'create', 'Big Co', '--slug', 'big', '--key', 'BIG']);
    await ok(carl, ['workflow', 'status', 'add', 'triage', '--category', 'unstarted']);
    const rows = [...Array.from({ length: 10_000 }, (_, i) => ({ title: `t${i}`, status: 'triage' })), { title: 'stays', status: 'open' }];
    await ok(carl, ['ticket', 'import', file('big.json', JSON.stringify(rows))]);
    await ok(carl, ['workflow', 'transition', 'deny', 'triage', 'open']); // rules do not bind a removal
    const started = Date.now();
    const removed = await ok(carl, ['workflow', 'status', 'remove', 'triage', '--move-to', 'open', '-y']);
    const ms = Date.now() - started;
    expect(removed.stderr).toContain('moved 10000 tickets to open');
    const counts = withStore(sb, (db) =>
      db
        .prepare(`SELECT t.status, count(*) AS n FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'big' GROUP BY t.status`)
        .all(),
    );
    expect(counts).toEqual([{ status: 'open', n: 10_001 }]);
    const moves = withStore(sb, (db) =>
      (db.prepare(`SELECT count(*) AS n FROM audit_events a JOIN organizations o ON o.id = a.organization_id WHERE o.slug = 'big' AND a.action = 'ticket.move'`).get() as { n: number }).n,
    );
    expect(moves).toBe(10_000);
    console.log(`workflow status remove moving 10,000 tickets: ${ms} ms (whole command)`);
  }, 60_000);

  it('a failed removal moves nothing', async () => {
    const carl = await sb.person('carl2@example.com');
    await ok(carl, ['org', 'create', 'Small Co', '--slug', 'small', '--key', 'SMALL']);
    await ok(carl, ['ticket', 'create', '--title', 'x']);
    await ok(carl, ['ticket', 'move', '1', 'in_progress']);
    const r = await carl.run(['workflow', 'status', 'remove', 'in_progress', '-y']);
    expect(r.code).toBe(2);
    expect((await json<{ status: string }>(carl, ['ticket', 'view', '1'])).status).toBe('in_progress');
  });
});
