// What the completion engine wants at each position, read from the real command tree (no store).
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { candidates, wanted } from '../../src/commands/completion/engine.js';

const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin };
const root = buildProgram({ io, env: {}, cwd: '/' });
const offered = (...words: string[]) => {
  const want = wanted(root, words);
  return { ...want, offered: candidates(want, []) };
};

describe('completion engine', () => {
  it('subcommands, then arguments; hidden commands are never offered', () => {
    expect(offered('').offered).toContain('ticket');
    expect(offered('completion', '').offered).toEqual(['bash', 'zsh', 'fish']);
    expect(offered('ticket', 'view', '').source).toBe('keys');
    expect(offered('ticket', 'view', 'ACME-1', '').source).toBeUndefined(); // one key only
    expect(offered('member', 'set-role', 'a@b.c', '').source).toBe('roles');
    expect(offered('member', 'set-role', '').source).toBe('emails');
    expect(offered('role', 'create', '').source).toBeUndefined(); // a new code
    expect(offered('org', 'switch', '').source).toBe('orgs');
  });

  it('option values, after the flag or with =, and global options anywhere', () => {
    expect(offered('ticket', 'list', '--priority', '').offered).toEqual(['none', 'low', 'medium', 'high', 'urgent']);
    expect(offered('ticket', 'list', '--assignee', '')).toMatchObject({ source: 'emails', offered: ['@me', 'none'] });
    expect(offered('--org', '')).toMatchObject({ source: 'orgs' });
    expect(offered('--db', '/tmp/x.db', '--org=acme', 'ticket', 'view', '')).toMatchObject({ source: 'keys', db: '/tmp/x.db', org: 'acme' });
    expect(offered('ticket', 'list', '--title', '').offered).toEqual([]); // free text: nothing
    expect(offered('ticket', 'list', '--priority', '=', 'h').offered).toEqual(['high']); // bash's words for --priority=h
    expect(offered('--org', '=', 'acme', 'ticket', 'view', '')).toMatchObject({ source: 'keys', org: 'acme' });
  });

  it('flags of the command and the global ones; after -- only operands', () => {
    const flags = offered('member', 'list', '--').offered;
    expect(flags).toEqual(expect.arrayContaining(['--json', '--org', '--quiet', '--no-input']));
    expect(offered('ticket', 'create', '--pr').offered).toEqual(['--priority']);
    expect(offered('ticket', 'view', '--', '').source).toBe('keys');
  });

  it('a comma list offers each permission once', () => {
    const want = offered('role', 'edit', 'triage', '--permissions', 'ticket:read,ticket:');
    expect(want.offered).toContain('ticket:read,ticket:create');
    expect(want.offered).toContain('ticket:read,ticket:*');
    expect(want.offered).not.toContain('ticket:read,ticket:read');
  });
});
