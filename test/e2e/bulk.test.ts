// Many tickets in one command (issue 16.5): several keys or `-` for keys on stdin, written in ONE
// transaction: all or nothing, the first bad key named; the keys piped, an array with --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme
let carol: Person; // owner of globex

const statuses = () =>
  withStore(sb, (db) =>
    (db.prepare("SELECT t.number, t.status FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'acme' ORDER BY t.number").all() as {
      number: number;
      status: string;
    }[]).map((r) => `${r.number}:${r.status}`),
  );
const acme = (p: Person, args: string[], input?: string) => p.run(['--org', 'acme', ...args], input !== undefined ? { input } : {});

beforeAll(async () => {
  [alice, carol] = (await Promise.all([sb.person('alice@example.com', 'Alice'), sb.person('carol@example.com', 'Carol'), sb.person('bob@example.com', 'Bob')])) as [Person, Person, Person];
  expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
  expect((await carol.run(['org', 'create', 'Globex'])).code).toBe(0);
  withStore(sb, (db) => seedMember(db, 'acme', 'bob@example.com', 'member'));
  for (const title of ['one', 'two', 'three', 'four', 'five']) expect((await acme(alice, ['ticket', 'create', '--title', title])).code).toBe(0);
  expect((await carol.run(['--org', 'globex', 'ticket', 'create', '--title', 'theirs'])).code).toBe(0);
});

describe('many keys, one transaction', () => {
  it('closes several keys; piped, the keys one per line', async () => {
    const r = await acme(alice, ['ticket', 'close', '1', '#2', 'ACME-3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('ACME-1\nACME-2\nACME-3\n');
    expect(r.stderr).toContain('Closed 3 tickets: ACME-1, ACME-2, ACME-3');
    expect(statuses()).toEqual(['1:done', '2:done', '3:done', '4:open', '5:open']);
  });

  it('a missing key in the middle: exit 5 naming it, and nothing written', async () => {
    const r = await acme(alice, ['ticket', 'reopen', '1', '99', '2', '98']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('ACME-99');
    expect(r.stderr).not.toContain('ACME-98');
    expect(statuses()).toEqual(['1:done', '2:done', '3:done', '4:open', '5:open']);
  });

  it("another org's ticket looks missing, as for one key", async () => {
    const r = await carol.run(['--org', 'globex', 'ticket', 'move', '1', '2', 'in_progress']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('GLOBEX-2');
    const theirs = await carol.run(['--org', 'globex', 'ticket', 'view', '1', '--json']);
    expect(theirs.json()).toMatchObject({ status: 'open' });
  });

  it('- reads the keys from stdin, one per line or whitespace-separated; --json is an array', async () => {
    const listed = await acme(alice, ['ticket', 'list', '-q', '--status', 'done']);
    const r = await acme(alice, ['ticket', 'reopen', '-', '--json'], listed.stdout);
    expect(r.code, r.stderr).toBe(0);
    expect((r.json() as { key: string; status: string }[]).map((t) => `${t.key}:${t.status}`).sort()).toEqual([
      'ACME-1:open',
      'ACME-2:open',
      'ACME-3:open',
    ]);
    const moved = await acme(alice, ['ticket', 'move', '-', 'in_progress'], ' 4 5\n\t1 ');
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toBe('ACME-4\nACME-5\nACME-1\n');
    expect(statuses()).toEqual(['1:in_progress', '2:open', '3:open', '4:in_progress', '5:in_progress']);
    expect((await acme(alice, ['ticket', 'close', '-'], '\n  \n')).code).toBe(2);
  });

  it('assign and unassign take the last word as the member; edit and delete take many keys', async () => {
    const a = await acme(alice, ['ticket', 'assign', '1', '2', 'bob@example.com']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('Assigned to bob@example.com 2 tickets: ACME-1, ACME-2');
    const outsider = await acme(alice, ['ticket', 'assign', '3', '4', 'carol@example.com']);
    expect(outsider.code).toBe(2);
    const view = async (n: number) => (await acme(alice, ['ticket', 'view', String(n), '--json'])).json() as { assignee: { email: string } | null; labels: string[] };
    expect((await view(3)).assignee).toBeNull();
    expect((await acme(alice, ['ticket', 'unassign', '1', '2', '-q'])).stdout).toBe('ACME-1\nACME-2\n');
    expect((await view(1)).assignee).toBeNull();
    const e = await acme(alice, ['ticket', 'edit', '3', '4', '--add-label', 'triage']);
    expect(e.code, e.stderr).toBe(0);
    expect((await view(4)).labels).toEqual(['triage']);
    const refused = await acme(alice, ['ticket', 'delete', '4', '5']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('-y');
    const d = await acme(alice, ['ticket', 'delete', '4', '5', '-y', '--json']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.json()).toEqual([{ key: 'ACME-4', deleted: true }, { key: 'ACME-5', deleted: true }]);
    expect(statuses()).toEqual(['1:in_progress', '2:open', '3:open']);
  });
});
