import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { PERMISSIONS, WILDCARDS } from '../../domain/permissions.js';
import { list, type CommandResult } from '../../output/types.js';

export type PermissionsOptions = Record<string, never>;

export function newCmdPermissions(f: Factory, run: Run<PermissionsOptions, OrgDeps> = permissionsRun) {
  return f.orgCommand(new Command('permissions').description('the catalogue of permissions a role can grant'), {
    requirement: 'membership',
    options: () => ({}),
    run,
  });
}

export async function permissionsRun(_opts: PermissionsOptions): Promise<CommandResult> {
  return list({
    items: [...PERMISSIONS, ...WILDCARDS].map((p) => ({ code: p.code, description: p.description })),
    fields: ['code', 'description'],
    columns: [
      { header: 'PERMISSION', value: (p) => p.code, tone: () => 'accent' },
      { header: 'GRANTS', value: (p) => p.description },
    ],
    id: (p) => p.code,
  });
}
