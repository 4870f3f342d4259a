import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { createOrg } from '../../domain/orgs.js';
import type { CommandResult } from '../../output/types.js';
import { switchToNewOrg } from '../shared/active-org.js';
import { ORG_FIELDS, orgItem, orgView } from '../shared/org-view.js';

export interface CreateOptions {
  name: string;
  slug?: string;
  key?: string;
}

export function newCmdCreate(f: Factory, run: Run<CreateOptions, UserDeps> = createRun) {
  return f.userCommand(
    new Command('create')
      .description('create an organization; you become its owner and it becomes active')
      .argument('<name>', 'display name, e.g. "Acme Corp"')
      .option('--slug <slug>', 'identifier (default: from the name, e.g. acme-corp)')
      .option('--key <KEY>', 'ticket key prefix, 2-10 letters (default: from the name, e.g. ACME)'),
    { fields: ORG_FIELDS, options: (name, flags) => ({ name, slug: flags.slug, key: flags.key }), run },
  );
}

export async function createRun(opts: CreateOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const created = await createOrg(await rt.store(), principal, {
    name: opts.name,
    ...(opts.slug !== undefined ? { slug: opts.slug } : {}),
    ...(opts.key !== undefined ? { key: opts.key } : {}),
  });
  const { active, note } = await switchToNewOrg(rt, created);
  const text = `Created ${created.slug} (tickets ${created.ticketKey}-1, ${created.ticketKey}-2, …)${note}`;
  return orgItem(orgView(created, { id: 0, code: 'owner', name: 'Owner', permissions: ['*'], isSystem: true }, active), text);
}
