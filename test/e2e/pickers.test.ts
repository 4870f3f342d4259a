// Pickers where a value is missing on a terminal (issue 16.1): driven through tmux. Without a
// terminal the same commands are exit 2 naming what to pass.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';
import { HAS_TMUX, shellScript, tmuxServer, until } from '../support/terminal.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());
let owner: Person;

beforeAll(async () => {
  [owner] = (await Promise.all([sb.person('owner@example.com', 'Owner'), sb.person('mem@example.com', 'Mem')])) as [Person, Person];
  expect((await owner.run(['org', 'create', 'Globex'])).code).toBe(0);
  expect((await owner.run(['org', 'create', 'Acme'])).code).toBe(0); // the active one
  withStore(sb, (db) => seedMember(db, 'acme', 'mem@example.com', 'viewer'));
  expect((await owner.run(['ticket', 'create', '--title', 'To pick for'])).code).toBe(0);
});

describe('without a terminal', () => {
  it.each([
    ['invite create', ['invite', 'create', 'x@example.com'], '--role'],
    ['member set-role', ['member', 'set-role', 'mem@example.com'], 'role'],
    ['ticket assign', ['ticket', 'assign', '1'], '@me'],
    ['org switch', ['org', 'switch'], '<slug>'],
  ])('%s: exit 2 naming what to pass', async (_name, args, flag) => {
    const r = await owner.run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
  });
});

describe.skipIf(!HAS_TMUX)('on a terminal (tmux)', () => {
  const tmux = tmuxServer(sb.dir);
  afterAll(() => tmux.kill());

  /** Runs `tkt <args>` on a terminal, waits for `question`, presses `keys`, and returns the exit code. */
  async function pick(name: string, args: string, question: string, ...keys: string[]): Promise<{ code: string; screen: string }> {
    const env = { ...sb.env(owner.configDir), TERM: 'xterm-256color' };
    const done = path.join(sb.dir, `${name}.done`);
    const term = tmux.session(name, shellScript(sb.dir, name, env, `tkt ${args} > /dev/null; echo $? > '${done}'`), 120, 30);
    const screen = await term.shows(question);
    term.keys(...keys);
    const code = await until('the exit code', () => (fs.existsSync(done) && fs.readFileSync(done, 'utf8') ? fs.readFileSync(done, 'utf8').trim() : undefined));
    return { code, screen };
  }

  it('invite create EMAIL: the roles you may give, the cursor on member', async () => {
    const { code, screen } = await pick('invite', 'invite create x@example.com', 'Which role?', 'Enter');
    expect(code).toBe('0');
    expect(screen).toContain('viewer');
    const invites = (await owner.run(['invite', 'list', '--json'])).json() as { email: string; role: string }[];
    expect(invites).toEqual([expect.objectContaining({ email: 'x@example.com', role: 'member' })]);
  });

  it('member set-role EMAIL: picked with the arrow keys', async () => {
    const { code } = await pick('setrole', 'member set-role mem@example.com', 'Which role?', 'Up', 'Enter');
    expect(code).toBe('0');
    const members = (await owner.run(['member', 'list', '--json'])).json() as { email: string; role: string }[];
    expect(members.find((m) => m.email === 'mem@example.com')?.role).toBe('admin');
  });

  it('ticket assign KEY: the members, me first', async () => {
    const { code } = await pick('assign', 'ticket assign 1', 'Assign to', 'Enter');
    expect(code).toBe('0');
    expect((await owner.run(['ticket', 'view', '1', '--json'])).json()).toMatchObject({ assignee: { email: 'owner@example.com' } });
  });

  it('org switch: the cursor starts on the active org', async () => {
    expect((await owner.run(['org', 'switch', 'globex'])).code).toBe(0); // listed after acme
    const { code } = await pick('switch', 'org switch', 'Switch to which organization?', 'Enter');
    expect(code).toBe('0');
    expect((await owner.run(['org', 'current', '--json'])).json()).toMatchObject({ slug: 'globex' });
  });
});
