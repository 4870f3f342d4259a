// Shell completion through the built CLI: the scripts parse in their shells, and the hidden
// `completion __complete` answers from the command tree and, through the tenant guard, from the
// store: only the caller's orgs, only the active org's keys, emails and roles; nothing when logged
// out; and it never creates a store or a config.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';
import { has } from '../support/terminal.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme, viewer in globex
let carol: Person; // owner of globex

beforeAll(async () => {
  [alice, carol] = await Promise.all([sb.person('alice@example.com', 'Alice'), sb.person('carol@example.com', 'Carol')]);
  expect((await alice.run(['org', 'create', 'Acme', '--key', 'ACME'])).code).toBe(0);
  expect((await carol.run(['org', 'create', 'Globex', '--key', 'GLX'])).code).toBe(0);
  for (const title of ['one', 'two', 'three']) expect((await alice.run(['ticket', 'create', '--title', title])).code).toBe(0);
  expect((await carol.run(['ticket', 'create', '--title', 'secret'])).code).toBe(0);
  withStore(sb, (db) => seedMember(db, 'globex', 'alice@example.com', 'viewer'));
  expect((await carol.run(['role', 'create', 'auditor', '--name', 'Auditor', '--permissions', 'audit:read'])).code).toBe(0);
});

const complete = async (p: Person | undefined, ...words: string[]) => {
  const args = ['completion', '__complete', '--', ...words];
  const r = p ? await p.run(args) : await sb.run(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.lines();
};

describe('completion scripts', () => {

  it.each(['bash', 'zsh', 'fish'])('%s: printed, and parsed by the shell when it is installed', async (shell) => {
    const r = await sb.run(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tkt completion __complete --');
    const file = path.join(sb.dir, `tkt.${shell}`);
    fs.writeFileSync(file, r.stdout);
    if (!has(shell)) {
      console.warn(`completion test: ${shell} is not installed here; its script was not syntax-checked`);
      return;
    }
    const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('bash: the function offers what __complete answers, in its order', async () => {
    const script = (await sb.run(['completion', 'bash'])).stdout;
    const bin = path.join(sb.dir, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'tkt'), `#!/bin/sh\nexec "${process.execPath}" "${path.resolve('bin/tkt.js')}" "$@"\n`, { mode: 0o755 });
    const out = execFileSync(
      'bash',
      ['-c', `${script}\nCOMP_WORDS=(tkt ticket view ''); COMP_CWORD=3; _tkt_completion; printf '%s\\n' "\${COMPREPLY[@]}"`],
      { env: { ...sb.env(alice.configDir), PATH: `${bin}:${process.env.PATH}` }, cwd: sb.dir, encoding: 'utf8' },
    );
    expect(out.trim().split('\n')).toEqual(['ACME-3', 'ACME-2', 'ACME-1']);
  });
});

describe('completion __complete', () => {
  it('commands, subcommands and flags from the command tree (hidden commands stay hidden)', async () => {
    expect(await complete(undefined, '')).toEqual(expect.arrayContaining(['auth', 'org', 'ticket', 'member', 'completion']));
    expect(await complete(undefined, 'ti')).toEqual(['ticket']);
    expect(await complete(undefined, 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete(undefined, 'ticket', 'cl')).toEqual(['close']);
    const flags = await complete(undefined, 'ticket', 'list', '--');
    expect(flags).toEqual(expect.arrayContaining(['--status', '--priority', '--assignee', '--json', '--org', '--no-color']));
    expect(await complete(undefined, 'ticket', 'list', '--st')).toEqual(['--status']);
  });

  it('fixed values: statuses, priorities, formats, permissions (a comma list goes on)', async () => {
    expect(await complete(undefined, 'ticket', 'list', '--status', '')).toEqual(['unstarted', 'started', 'completed', 'canceled', 'all']);
    expect(await complete(undefined, 'ticket', 'list', '--priority', 'u')).toEqual(['urgent']);
    expect(await complete(undefined, 'ticket', 'export', '--format', '')).toEqual(['json', 'csv']);
    expect(await complete(undefined, 'ticket', 'move', '5', '')).toEqual([]); // logged out: no org, so no statuses
    expect(await complete(undefined, 'role', 'create', 'x', '--permissions', 'ticket:read,ticket:c')).toEqual([
      'ticket:read,ticket:create',
      'ticket:read,ticket:comment',
    ]);
  });

  it('ticket keys, emails and roles of the active org only, most recent key first', async () => {
    expect(await complete(alice, 'ticket', 'view', '')).toEqual(['ACME-3', 'ACME-2', 'ACME-1']);
    expect(await complete(carol, 'ticket', 'view', '')).toEqual(['GLX-1']);
    expect(await complete(alice, 'member', 'remove', '')).toEqual(['alice@example.com']);
    expect(await complete(alice, 'ticket', 'assign', 'ACME-1', '')).toEqual(['@me', 'alice@example.com']);
    expect(await complete(alice, 'member', 'set-role', 'alice@example.com', '')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(await complete(carol, 'member', 'set-role', 'x', '')).toContain('auditor');
  });

  it("status codes of the active org's own workflow only", async () => {
    expect((await carol.run(['workflow', 'status', 'add', 'verified', '--category', 'completed'])).code).toBe(0);
    expect(await complete(carol, 'ticket', 'move', 'GLX-1', '')).toEqual(['open', 'in_progress', 'done', 'verified', 'canceled']);
    expect(await complete(alice, 'ticket', 'move', 'ACME-1', '')).toEqual(['open', 'in_progress', 'done', 'canceled']);
    expect(await complete(alice, 'ticket', 'list', '--status', 'ver')).toEqual([]);
    expect(await complete(carol, 'ticket', 'list', '--status', 'ver')).toEqual(['verified']);
    expect(await complete(carol, 'workflow', 'status', 'remove', 've')).toEqual(['verified']);
    expect(await complete(carol, 'workflow', 'transition', 'allow', 'open', 'v')).toEqual(['verified']);
  });

  it('--org on the line being completed switches the org, through the guard', async () => {
    expect(await complete(alice, '--org', 'globex', 'ticket', 'view', '')).toEqual(['GLX-1']);
    expect(await complete(alice, 'ticket', 'view', '--org=globex', '')).toEqual(['GLX-1']);
    expect(await complete(alice, '--org', '')).toEqual(['acme', 'globex']);
    expect(await complete(carol, '--org', '')).toEqual(['globex']);
    expect(await complete(carol, '--org', 'acme', 'ticket', 'view', '')).toEqual([]); // not a member
  });

  it('nothing when logged out, and no store or config is created', async () => {
    expect(await complete(undefined, 'ticket', 'view', '')).toEqual([]);
    expect(await complete(undefined, '--org', '')).toEqual([]);
    const missing = path.join(sb.dir, 'nowhere', 'missing.db');
    const configDir = path.join(sb.dir, 'fresh-config');
    const r = await sb.run(['completion', '__complete', '--', '--db', missing, 'ticket', 'view', ''], { configDir });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
    expect(fs.existsSync(configDir)).toBe(false);
  });
});
