import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { renameOrg } from '../../domain/org-admin.js';
import type { CommandResult } from '../../output/types.js';
import { ORG_FIELDS, orgItem, orgView } from '../shared/org-view.js';

export interface RenameOptions {
  name: string;
}

export function newCmdRename(f: Factory, run: Run<RenameOptions, OrgDeps> = renameRun) {
  return f.orgCommand(
    new Command('rename').description("change the organization's display name (slug and key stay)").argument('<name>', 'the new name'),
    { requirement: 'org:update', fields: ORG_FIELDS, options: (name) => ({ name }), run },
  );
}

export async function renameRun(opts: RenameOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const { before, after } = await renameOrg(tenant, opts.name);
  const active = !rt.usingToken && rt.savedConfig().activeOrgId === after.id;
  const text = before.name === after.name ? `${after.slug} is already named "${after.name}".` : `Renamed ${after.slug} from "${before.name}" to "${after.name}".`;
  return orgItem(orgView(after, tenant.ctx.role, active), text);
}
