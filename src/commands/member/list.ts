import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { listMembers } from '../../domain/members.js';
import { list, type CommandResult } from '../../output/types.js';
import { MEMBER_FIELDS, memberView } from './shared.js';

export type ListOptions = Record<string, never>;

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(new Command('list').description('members and their roles'), {
    requirement: 'member:read',
    options: () => ({}),
    run,
  });
}

export async function listRun(_opts: ListOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  return list({
    items: (await listMembers(tenant)).map(memberView),
    fields: MEMBER_FIELDS,
    columns: [
      { header: 'EMAIL', value: (m) => m.email, tone: () => 'accent', email: true },
      { header: 'NAME', value: (m) => m.name },
      { header: 'ROLE', value: (m) => m.role, tone: (m) => (m.role === 'owner' ? 'strong' : undefined) },
      { header: 'JOINED', value: (m) => m.joinedAt ?? '', tone: () => 'muted', time: 'relative' },
    ],
    id: (m) => m.email,
    empty: 'No members.',
    paged: true,
  });
}
