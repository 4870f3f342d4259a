// Destructive or hard-to-undo admin commands ask on a terminal and need -y otherwise (issue 16.1):
// piped without -y they are exit 2 naming -y and change nothing; on a pseudo-terminal (tmux) the
// question is answered. A member removed with many tickets is summarised, not listed key by key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember, seedTicket } from '../support/members.js';
import { withStore } from '../support/raw-store.js';
import { HAS_TMUX, shellScript, tmuxServer } from '../support/terminal.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());
let owner: Person;
let mem: Person;
let tokenId: number;

const members = () =>
  withStore(sb, (db) => (db.prepare('SELECT count(*) AS n FROM memberships').get() as { n: number }).n);

beforeAll(async () => {
  [owner, mem] = (await Promise.all([sb.person('owner@example.com', 'Owner'), sb.person('mem@example.com', 'Mem'), sb.person('many@example.com', 'Many')])) as [Person, Person, Person];
  expect((await owner.run(['org', 'create', 'Acme'])).code).toBe(0);
  expect((await owner.run(['role', 'create', 'triage', '--name', 'Triage', '--permissions', 'ticket:read'])).code).toBe(0);
  expect((await owner.run(['invite', 'create', 'dan@example.com', '--role', 'member'])).code).toBe(0);
  tokenId = (await owner.run(['auth', 'token', 'create', '--name', 'ci', '--json'])).json().id;
  withStore(sb, (db) => {
    seedMember(db, 'acme', 'mem@example.com', 'member');
    seedMember(db, 'acme', 'many@example.com', 'member');
    for (let i = 0; i < 5; i++) seedTicket(db, 'acme', `t${i}`, 'owner@example.com', 'many@example.com');
  });
});

describe('piped, without -y', () => {
  it.each([
    ['org transfer', ['org', 'transfer', 'mem@example.com']],
    ['org leave', ['--org', 'acme', 'org', 'leave']],
    ['member remove', ['member', 'remove', 'mem@example.com']],
    ['role delete', ['role', 'delete', 'triage']],
    ['invite revoke', ['invite', 'revoke', '1']],
    ['auth token revoke', ['auth', 'token', 'revoke', 'TOKEN']],
  ])('%s: exit 2 naming -y, nothing changed', async (_name, args) => {
    const before = members();
    const who = args.includes('leave') ? mem : owner;
    const r = await who.run(args.map((a) => (a === 'TOKEN' ? String(tokenId) : a)));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('-y');
    expect(members()).toBe(before);
  });

  it('nothing was revoked or deleted', async () => {
    expect((await owner.run(['role', 'show', 'triage'])).code).toBe(0);
    expect((await owner.run(['invite', 'list', '--json'])).json()).toEqual([expect.objectContaining({ email: 'dan@example.com', state: 'pending', revokedAt: null })]);
    expect((await owner.run(['auth', 'token', 'list', '--json'])).json()).toEqual([expect.objectContaining({ id: tokenId, name: 'ci' })]);
  });

  it('with -y it goes ahead; the unassigned tickets are summarised', async () => {
    const r = await owner.run(['member', 'remove', 'many@example.com', '-y']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/unassigned 5 tickets \(ACME-\d+, ACME-\d+, ACME-\d+ … and 2 more\)/);
  });
});

describe.skipIf(!HAS_TMUX)('on a terminal (tmux)', () => {
  const tmux = tmuxServer(sb.dir);
  afterAll(() => tmux.kill());

  it.each([
    ['n', 'removes nobody', 2, 'member remove'],
    ['y', 'removes mem', 0, 'member remove'],
  ])('answering %s %s', async (answer, _what, code) => {
    const env = { ...sb.env(owner.configDir), TERM: 'xterm-256color' };
    const term = tmux.session(`remove-${answer}`, shellScript(sb.dir, `remove-${answer}`, env, 'tkt member remove mem@example.com; echo "exit $?"'));
    await term.shows('Remove mem@example.com from acme?');
    term.keys(answer, 'Enter');
    await term.shows(`exit ${code}`);
    const list = (await owner.run(['member', 'list', '-q'])).stdout;
    expect(list.includes('mem@example.com')).toBe(answer === 'n');
  });
});
