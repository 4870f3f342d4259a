import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { findMyOrg, listOrgs } from '../../domain/orgs.js';
import { usageError } from '../../errors.js';
import type { CommandResult } from '../../output/types.js';
import { ORG_FIELDS, orgItem, orgView } from '../shared/org-view.js';

export interface SwitchOptions {
  /** Picked from a list when not given. */
  slug?: string;
}

export function newCmdSwitch(f: Factory, run: Run<SwitchOptions, UserDeps> = switchRun) {
  return f.userCommand(
    new Command('switch')
      .description('make an organization the active one (a picker when no slug is given on a terminal)')
      .argument('[slug]', 'the organization to switch to'),
    { fields: ORG_FIELDS, options: (slug) => ({ slug }), run },
  );
}

export async function switchRun(opts: SwitchOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  if (rt.usingToken) throw usageError('with TKT_TOKEN there is no saved active organization', 'pass --org <slug> or set TKT_ORG');
  const store = await rt.store();
  let slug = opts.slug;
  if (slug === undefined) {
    const mine = await listOrgs(store, principal);
    if (mine.length === 0) throw usageError('you belong to no organization yet', 'create one with tkt org create <name>');
    const activeId = rt.savedConfig().activeOrgId;
    // With one organization there is nothing to pick.
    slug =
      mine.length === 1 && rt.prompter.interactive
        ? mine[0]!.org.slug
        : await rt.prompter.select(
            'Switch to which organization?',
            mine.map(({ org, role }) => ({ value: org.slug, name: `${org.slug}  ${org.name}  (${role.code})${org.id === activeId ? '  active' : ''}` })),
            '<slug>',
            mine.find(({ org }) => org.id === activeId)?.org.slug,
          );
  }
  const ctx = await findMyOrg(store, principal, slug);
  await rt.saveConfig((c) => ({ ...c, activeOrgId: ctx.org.id }));
  return orgItem(orgView(ctx.org, ctx.role, true), `Switched to ${ctx.org.slug}.`);
}
