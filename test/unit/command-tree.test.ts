// Walks the whole command tree: every runnable command declares its access level, and every
// command that acts inside an organization declares the permission (or bare membership) it needs.
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { accessOf } from '../../src/cli/define.js';
import { buildProgram } from '../../src/cli/program.js';
import { isPermission } from '../../src/domain/permissions.js';

function leaves(command: Command, path: string[] = []): Array<{ path: string; command: Command }> {
  if (command.commands.length === 0) return [{ path: path.join(' '), command }];
  return command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

const program = buildProgram({
  io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin },
  env: {},
  cwd: process.cwd(),
});
const all = leaves(program);

// Nouns whose every verb acts inside one organization.
const ORG_NOUNS = ['member', 'role', 'invite', 'ticket', 'audit', 'access'];
// Verbs that act inside an organization although their noun does not always.
const ORG_VERBS = ['org current', 'org rename', 'org transfer', 'org leave', 'org delete'];
// The only commands that may run without a login.
const PUBLIC = ['auth signup', 'auth login', 'db init', 'db status', 'db migrate', 'db check', 'demo', 'invite accept'];
// Completion: the scripts need no login; __complete reads the store only through the tenant guard.
PUBLIC.push('completion bash', 'completion zsh', 'completion fish', 'completion __complete');

describe('command tree', () => {
  it('has commands to check', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(all.map((l) => [l.path, l.command] as const))('%s declares its access', (path, command) => {
    const access = accessOf(command);
    expect(access, `${path} was not declared through define.*Action`).toBeDefined();
    if (access!.scope === 'public') expect(PUBLIC, `${path} must not run without a login`).toContain(path);
    const orgScoped = ORG_VERBS.includes(path) || (ORG_NOUNS.includes(path.split(' ')[0]!) && path !== 'invite accept');
    if (orgScoped) {
      expect(access!.scope, `${path} acts in an organization and must go through the tenant guard`).toBe('org');
      if (access!.scope === 'org') {
        expect(access!.requirement === 'membership' || isPermission(access!.requirement)).toBe(true);
      }
    }
  });
});
