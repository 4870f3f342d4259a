// Issue 11.1: a permission checked before the input, used at the write. A member starts a command
// that waits for them (a body or an import on stdin, a confirmation prompt); meanwhile an owner
// removes or demotes them, or deletes the organization; then the member finishes. Each must end
// with exit 4, one message, and the store exactly as the owner's change left it.
//
// Stdin comes from a FIFO the test writes only after the change (the command is seen blocked
// reading it first); prompts run on a pseudo-terminal (util-linux `script`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnFifo, runOnPty } from '../support/blocked.js';
import { Sandbox, type CliResult, type Person } from '../support/cli.js';
import { dumpStore } from '../support/dump.js';
import { seedMember, seedTicket } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let owner: Person;
let bob: Person;
let orgs = 0;

beforeAll(async () => {
  [owner, bob] = await Promise.all([sb.person('olga@example.com', 'Olga'), sb.person('bob@example.com', 'Bob')]);
  // A session's first use records when it was used (then at most every few minutes): do it now,
  // so that the dumps compared below differ only by what the commands under test write.
  expect((await bob.run(['org', 'list'])).code).toBe(0);
});

/** A fresh org where bob holds `role`, with one ticket (KEY-1). */
async function freshOrg(role: string): Promise<{ slug: string; key: string }> {
  const n = ++orgs;
  const slug = `org${n}`;
  const created = await owner.run(['org', 'create', `Org ${n}`, '--slug', slug, '--key', `ORG${String.fromCharCode(64 + n)}`]);
  expect(created.code, created.stderr).toBe(0);
  const key = withStore(sb, (db) => {
    seedMember(db, slug, bob.email, role);
    return seedTicket(db, slug, 'Existing ticket', owner.email, bob.email);
  });
  return { slug, key };
}

/** What the owner does while bob's command waits: the role bob is demoted to lacks the permission his command needs. */
const CHANGES = [
  { name: 'removed from the org', run: (slug: string) => ['--org', slug, 'member', 'remove', '-y', bob.email] },
  { name: 'demoted', run: (slug: string, demotedTo: string) => ['--org', slug, 'member', 'set-role', bob.email, demotedTo] },
  { name: 'the org deleted', run: (slug: string) => ['org', 'delete', slug, '-y'] },
] as const;

function expectRefused(r: CliResult, before: string): void {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(4);
  expect(dumpStore(sb) === before, 'the store changed').toBe(true);
}

/** The message lines (the first names the problem; a hint may follow, indented). */
const messages = (text: string) =>
  text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '') // a terminal's cursor moves
    .split(/\r?\n/)
    .filter((l) => l.startsWith('tkt:'));

const IMPORT = JSON.stringify([{ title: 'Imported one' }, { title: 'Imported two', labels: ['x'] }]);

describe('stdin read while an owner takes the permission away (FIFO)', () => {
  const verbs = [
    { name: 'ticket comment --body-file -', args: (key: string) => ['ticket', 'comment', key, '--body-file', '-'], input: 'A late comment' },
    { name: 'ticket create --body-file -', args: () => ['ticket', 'create', '--title', 'Late', '--body-file', '-'], input: 'A late body' },
    { name: 'ticket edit --body-file -', args: (key: string) => ['ticket', 'edit', key, '--body-file', '-'], input: 'A late edit' },
    { name: 'ticket import -', args: () => ['ticket', 'import', '-'], input: IMPORT },
  ];
  for (const verb of verbs) {
    for (const change of CHANGES) {
      it(`${verb.name}, ${change.name} while it reads: exit 4, nothing written`, async () => {
        const { slug, key } = await freshOrg('member');
        const waiting = runOnFifo(sb.dir, ['--org', slug, ...verb.args(key)], sb.env(bob.configDir));
        await waiting.reading();
        const changed = await owner.run(change.run(slug, 'viewer'));
        expect(changed.code, changed.stderr).toBe(0);
        const before = dumpStore(sb);
        const r = await waiting.feed(verb.input);
        expectRefused(r, before);
        expect(r.stdout).toBe('');
        expect(messages(r.stderr), r.stderr).toHaveLength(1);
        expect(r.stderr).toMatch(change.name === 'demoted' ? /role "viewer" in org\d+ does not grant ticket:/ : /not a member/);
      });
    }
  }

  it('the same FIFO, fed while bob is still a member, comments (the test can tell the two apart)', async () => {
    const { slug, key } = await freshOrg('member');
    const waiting = runOnFifo(sb.dir, ['--org', slug, 'ticket', 'comment', key, '--body-file', '-'], sb.env(bob.configDir));
    await waiting.reading();
    const r = await waiting.feed('In time');
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('a prompt answered after an owner took the permission away (pseudo-terminal)', () => {
  for (const change of CHANGES) {
    it(`ticket delete, ${change.name} while the confirmation waits: exit 4, nothing deleted`, async () => {
      // An admin may delete tickets; a member may not.
      const { slug, key } = await freshOrg('admin');
      const waiting = runOnPty(sb.dir, ['--org', slug, 'ticket', 'delete', key], sb.env(bob.configDir));
      await waiting.shows(`Delete ${key}`);
      const changed = await owner.run(change.run(slug, 'member'));
      expect(changed.code, changed.stderr).toBe(0);
      const before = dumpStore(sb);
      const r = await waiting.answer('y\r');
      expectRefused(r, before);
      expect(messages(r.stdout), r.stdout).toHaveLength(1);
      expect(r.stdout).toMatch(change.name === 'demoted' ? /role "member" in org\d+ does not grant ticket:delete/ : /no longer a member of org\d+/);
    });
  }

  it('ticket create, removed while the title prompt waits (the body given): exit 4, nothing written', async () => {
    const { slug } = await freshOrg('member');
    const waiting = runOnPty(sb.dir, ['--org', slug, 'ticket', 'create', '--body', 'b'], sb.env(bob.configDir));
    await waiting.shows('Title');
    expect((await owner.run(CHANGES[0].run(slug))).code).toBe(0);
    const before = dumpStore(sb);
    const r = await waiting.answer('Late title\r');
    expectRefused(r, before);
    expect(r.stdout).toMatch(/no longer a member of org\d+/);
  });

  it('the same prompt, answered while bob is still a member, deletes (the test can tell the two apart)', async () => {
    const { slug, key } = await freshOrg('admin');
    const waiting = runOnPty(sb.dir, ['--org', slug, 'ticket', 'delete', key], sb.env(bob.configDir));
    await waiting.shows(`Delete ${key}`);
    const r = await waiting.answer('y\r');
    expect(r.code, r.stdout).toBe(0);
    expect(withStore(sb, (db) => db.prepare('SELECT count(*) AS n FROM tickets t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = ?').get(slug))).toEqual({ n: 0 });
  });
});
