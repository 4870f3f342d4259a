import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { checkedBy } from '../../cli/prompter.js';
import { createOrg } from '../../domain/orgs.js';
import * as validate from '../../domain/validate.js';
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
  // A name with no Latin letters (日本語, an emoji) gives nothing to derive them from: asked on a
  // terminal; otherwise createOrg refuses, naming the flags.
  const ask = rt.terminal.canPrompt;
  const slug =
    opts.slug ?? (ask && validate.slugFromName(opts.name) === undefined ? await rt.prompter.input('Slug (a-z, 0-9 and -):', '--slug', checkedBy((v) => validate.slug(v, '--slug'))) : undefined);
  const key =
    opts.key ?? (ask && validate.keyFromName(opts.name) === undefined ? await rt.prompter.input('Ticket key (2-10 letters A-Z):', '--key', checkedBy(validate.ticketKey)) : undefined);
  const created = await createOrg(await rt.store(), principal, {
    name: opts.name,
    ...(slug !== undefined ? { slug } : {}),
    ...(key !== undefined ? { key } : {}),
  });
  const { active, note } = await switchToNewOrg(rt, created);
  const text = `Created ${created.slug} (tickets ${created.ticketKey}-1, ${created.ticketKey}-2, …)${note}`;
  return orgItem(orgView(created, { id: 0, code: 'owner', name: 'Owner', permissions: ['*'], isSystem: true }, active), text);
}
