import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { listRoles } from '../../domain/roles.js';
import { list, type CommandResult } from '../../output/types.js';
import { ROLE_FIELDS, roleView } from './shared.js';

export type ListOptions = Record<string, never>;

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(new Command('list').description('the roles, how many members hold each, what they grant'), {
    requirement: 'role:read',
    options: () => ({}),
    run,
  });
}

export async function listRun(_opts: ListOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  return list({
    items: (await listRoles(tenant)).map((r) => roleView(r, r.members)),
    fields: ROLE_FIELDS,
    columns: [
      { header: 'ROLE', value: (r) => r.code, tone: () => 'accent' },
      { header: 'NAME', value: (r) => r.name },
      { header: 'SYSTEM', value: (r) => (r.system ? 'yes' : ''), tone: () => 'muted' },
      { header: 'MEMBERS', value: (r) => String(r.members) },
      { header: 'PERMISSIONS', value: (r) => r.permissions.join(',') },
    ],
    id: (r) => r.code,
  });
}
