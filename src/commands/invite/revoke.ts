import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import * as parse from '../../cli/parse.js';
import { revokeInvite } from '../../domain/invites.js';
import { message, type CommandResult } from '../../output/types.js';
import { INVITE_FIELDS, inviteView } from './shared.js';
import { confirmed } from '../shared/confirm.js';

export interface RevokeOptions {
  /** As typed; checked in the run function, after the guard. */
  id: string;
}

export function newCmdRevoke(f: Factory, run: Run<RevokeOptions, OrgDeps> = revokeRun) {
  return f.orgCommand(
    new Command('revoke')
      .description('revoke a pending invitation so its token no longer works (-y, or confirm at the prompt)')
      .argument('<id>', 'invitation id (tkt invite list)'),
    { requirement: 'member:invite', fields: INVITE_FIELDS, options: (id) => ({ id }), run },
  );
}

export async function revokeRun(opts: RevokeOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const id = parse.positiveInt(opts.id, 'the invitation id');
  await confirmed(rt, `Revoke invitation ${id}? Its token stops working.`, 'to revoke without a prompt');
  const revoked = await revokeInvite(tenant, id, rt.clock.now());
  return message(`Revoked invitation ${id} (${revoked.email}).`, inviteView(revoked, rt.clock.now()));
}
