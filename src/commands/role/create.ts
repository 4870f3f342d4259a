import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { createRole } from '../../domain/roles.js';
import type { CommandResult } from '../../output/types.js';
import { ROLE_DETAIL_FIELDS, roleItem, roleView } from './shared.js';

export interface CreateOptions {
  code: string;
  name: string;
  /** Comma-separated, as typed: the domain parses and checks it. */
  permissions: string;
}

export function newCmdCreate(f: Factory, run: Run<CreateOptions, OrgDeps> = createRun) {
  return f.orgCommand(
    new Command('create')
      .description('create a custom role (only with permissions you hold)')
      .argument('<code>', 'role code: 2-32 characters of a-z, 0-9 and -')
      .requiredOption('--name <name>', 'display name')
      .requiredOption('--permissions <list>', 'comma-separated permissions (tkt role permissions)'),
    {
      requirement: 'role:manage',
      fields: ROLE_DETAIL_FIELDS,
      options: (code, flags) => ({ code, name: flags.name, permissions: flags.permissions }),
      run,
    },
  );
}

export async function createRun(opts: CreateOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const created = await createRole(tenant, opts);
  return roleItem(roleView(created, 0), `Created role ${created.code} in ${tenant.ctx.org.slug}.`, true);
}
