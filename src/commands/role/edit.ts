import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { editRole, showRole } from '../../domain/roles.js';
import type { CommandResult } from '../../output/types.js';
import { ROLE_DETAIL_FIELDS, roleItem, roleView } from './shared.js';

export interface EditOptions {
  code: string;
  name?: string;
  /** The new, complete list, comma-separated as typed. */
  permissions?: string;
}

export function newCmdEdit(f: Factory, run: Run<EditOptions, OrgDeps> = editRun) {
  return f.orgCommand(
    new Command('edit')
      .description("change a role's name or permissions (not owner; only within what you hold)")
      .argument('<code>', 'role code')
      .option('--name <name>', 'new display name')
      .option('--permissions <list>', 'the new, complete, comma-separated permission list'),
    {
      requirement: 'role:manage',
      fields: ROLE_DETAIL_FIELDS,
      options: (code, flags) => ({ code, name: flags.name, permissions: flags.permissions }),
      run,
    },
  );
}

export async function editRun(opts: EditOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const { before, after } = await editRole(tenant, opts.code, {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.permissions !== undefined ? { permissions: opts.permissions } : {}),
  });
  const changed = before.name !== after.name || before.permissions.join(',') !== after.permissions.join(',');
  const found = await showRole(tenant, after.code);
  return roleItem(
    roleView(found, found.members),
    changed ? `Updated role ${after.code}; it applies from the next command of everyone who holds it.` : `Role ${after.code} was already like that.`,
  );
}
