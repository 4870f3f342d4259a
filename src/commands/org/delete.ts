import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { deleteOrg } from '../../domain/org-admin.js';
import { usageError } from '../../errors.js';
import { message, type CommandResult } from '../../output/types.js';
import { forgetActiveOrg, SWITCH_HINT } from './shared.js';

export interface DeleteOptions {
  /** The organization to delete: the guard enters it instead of --org or the active one. */
  slug: string;
}

export function newCmdDelete(f: Factory, run: Run<DeleteOptions, OrgDeps> = deleteRun) {
  return f.orgCommand(
    new Command('delete')
      .description('delete an organization and everything in it (owners only; -y, or type the slug)')
      .argument('<slug>', 'the organization to delete (not taken from --org or the active one)'),
    { requirement: 'org:delete', org: (opts) => opts.slug, fields: ['deleted'], options: (slug) => ({ slug }), run },
  );
}

export async function deleteRun(_opts: DeleteOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const slug = tenant.ctx.org.slug;
  if (!rt.globals.yes) {
    if (!rt.prompter.interactive) {
      throw usageError(`deleting ${slug} needs a confirmation and prompting is off (--no-input or no terminal)`, `pass -y to delete ${slug} and everything in it`);
    }
    const typed = await rt.prompter.input(`This deletes ${slug} with all its tickets, members, roles and audit log. Type ${slug} to confirm:`, '-y');
    if (typed.trim() !== slug) throw usageError(`you typed ${JSON.stringify(typed.trim())}, not ${slug}; nothing was deleted`);
  }
  await deleteOrg(tenant);
  const wasActive = await forgetActiveOrg(rt, tenant.ctx.org.id);
  return message(`Deleted ${slug} and everything in it.${wasActive ? SWITCH_HINT : ''}`, { deleted: slug });
}
