// Issue 11, item 9: the ids people see (comments, audit events, invitations) are numbered per
// organization, so a member cannot count another org's activity from the gaps between them.
// Two orgs act in turns; each org's ids must still be 1..n, and an id is only ever this org's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let ann: Person;
let ben: Person;

async function ok(by: Person, args: string[]): Promise<any> {
  const r = await by.run([...args, '--json']);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json();
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

beforeAll(async () => {
  ann = await sb.person('ann@example.com');
  ben = await sb.person('ben@example.com');
  expect((await ann.run(['org', 'create', 'Acme'])).code).toBe(0);
  expect((await ben.run(['org', 'create', 'Globex'])).code).toBe(0);
  // Interleaved: every step of one org is followed by more of the other's.
  await ok(ann, ['ticket', 'create', '--title', 'first acme ticket']);
  await ok(ben, ['ticket', 'create', '--title', 'first globex ticket']);
  for (let round = 0; round < 3; round++) {
    await ok(ann, ['ticket', 'comment', 'ACME-1', '--body', `acme comment ${round}`]);
    await ok(ben, ['ticket', 'comment', 'GLOBEX-1', '--body', `globex comment ${round}a`]);
    await ok(ben, ['ticket', 'comment', 'GLOBEX-1', '--body', `globex comment ${round}b`]);
    await ok(ben, ['invite', 'create', `g${round}@example.com`, '--role', 'member']);
    await ok(ann, ['invite', 'create', `a${round}@example.com`, '--role', 'member']);
    await ok(ben, ['invite', 'create', `gg${round}@example.com`, '--role', 'member']);
  }
});

describe('ids numbered per organization', () => {
  it('comments are 1..n in each org, whatever the other org did in between', async () => {
    expect((await ok(ann, ['ticket', 'view', 'ACME-1'])).comments.map((c: any) => c.id)).toEqual(range(3));
    expect((await ok(ben, ['ticket', 'view', 'GLOBEX-1'])).comments.map((c: any) => c.id)).toEqual(range(6));
    const text = await ann.run(['ticket', 'view', 'ACME-1']);
    expect(text.stdout).not.toMatch(/#(4|5|6|7|8|9)\b/);
  });

  it('audit events are 1..n in each org, and the comment events name the per-org comment id', async () => {
    const acme = await ok(ann, ['audit', 'list', '--limit', '0']);
    const globex = await ok(ben, ['audit', 'list', '--limit', '0']);
    expect(sorted(acme.map((e: any) => e.id))).toEqual(range(acme.length));
    expect(sorted(globex.map((e: any) => e.id))).toEqual(range(globex.length));
    expect(acme.filter((e: any) => e.action === 'ticket.comment').map((e: any) => e.details.commentId).sort()).toEqual(range(3));
  });

  it('invitations are 1..n in each org; revoke takes this org’s number, another org’s number is not found', async () => {
    const acme = await ok(ann, ['invite', 'list', '--all']);
    const globex = await ok(ben, ['invite', 'list', '--all']);
    expect(sorted(acme.map((i: any) => i.id))).toEqual(range(3));
    expect(sorted(globex.map((i: any) => i.id))).toEqual(range(6));
    const revoked = await ok(ann, ['invite', 'revoke', '-y', '2']);
    expect([revoked.id, revoked.email, revoked.state]).toEqual([2, 'a1@example.com', 'revoked']);
    // Globex's invitation #2 is untouched by Acme's revoke of its own #2.
    expect((await ok(ben, ['invite', 'list', '--all'])).find((i: any) => i.id === 2).state).toBe('pending');
    // Globex has a #5; Acme has no #5, and cannot reach Globex's.
    const other = await ann.run(['invite', 'revoke', '-y', '5']);
    expect(other.code, other.stderr).toBe(5);
    expect((await ok(ben, ['invite', 'list', '--all'])).find((i: any) => i.id === 5).state).toBe('pending');
    const auditTargets = (await ok(ann, ['audit', 'list', '--limit', '0', '--action', 'invite']))
      .map((e: any) => `${e.action} ${e.target}`)
      .sort();
    expect(auditTargets).toEqual(['invite.create 1', 'invite.create 2', 'invite.create 3', 'invite.revoke 2']);
  });
});
