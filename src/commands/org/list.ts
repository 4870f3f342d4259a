import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { listOrgs } from '../../domain/orgs.js';
import { list, type CommandResult } from '../../output/types.js';
import { ORG_FIELDS, orgView } from '../shared/org-view.js';

export type ListOptions = Record<string, never>;

export function newCmdList(f: Factory, run: Run<ListOptions, UserDeps> = listRun) {
  return f.userCommand(new Command('list').description('your organizations and your role in each'), { options: () => ({}), run });
}

export async function listRun(_opts: ListOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const activeId = rt.savedConfig().activeOrgId;
  const rows = (await listOrgs(await rt.store(), principal)).map(({ org, role }) => orgView(org, role, org.id === activeId));
  return list({
    items: rows,
    fields: ORG_FIELDS,
    columns: [
      { header: 'SLUG', value: (o) => o.slug, tone: (o) => (o.active ? 'success' : 'accent') },
      { header: 'NAME', value: (o) => o.name },
      { header: 'KEY', value: (o) => o.key },
      { header: 'ROLE', value: (o) => o.role },
      { header: 'ACTIVE', value: (o) => (o.active ? '*' : ''), tone: () => 'success' },
    ],
    id: (o) => o.slug,
    empty: 'You belong to no organization yet. Create one with tkt org create <name>.',
  });
}
