import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { acceptInvite } from '../../domain/invites.js';
import type { CommandResult } from '../../output/types.js';
import { switchToNewOrg } from '../shared/active-org.js';
import { inviteToken } from '../shared/invite-token.js';
import { ORG_FIELDS, orgItem, orgView } from '../shared/org-view.js';

export interface AcceptOptions {
  token: string;
}

export function newCmdAccept(f: Factory, run: Run<AcceptOptions, UserDeps> = acceptRun) {
  return f.userCommand(
    new Command('accept')
      .description('join an organization with an invitation sent to your email')
      .argument('<token>', 'the tkti_… token you were sent, or - to read it from stdin (so it stays out of ps)'),
    { fields: ORG_FIELDS, options: (token) => ({ token }), run },
  );
}

export async function acceptRun(opts: AcceptOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const token = await inviteToken(rt, opts.token);
  const joined = await acceptInvite(await rt.store(), principal.user, token);
  const { active, note } = await switchToNewOrg(rt, joined.org);
  return orgItem(orgView(joined.org, joined.role, active), `Joined ${joined.org.slug} as ${joined.role.code}${note}`);
}
