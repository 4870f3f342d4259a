import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../../cli/define.js';
import * as parse from '../../../cli/parse.js';
import { revokeToken } from '../../../domain/auth.js';
import { message, type CommandResult } from '../../../output/types.js';
import { confirmed } from '../../shared/confirm.js';

export interface RevokeOptions {
  /** As typed; checked in the run function, after the login. */
  id: string;
}

export function newCmdRevoke(f: Factory, run: Run<RevokeOptions, UserDeps> = revokeRun) {
  return f.userCommand(
    new Command('revoke').description('revoke one of your API tokens (-y, or confirm at the prompt)').argument('<id>', 'token id (see tkt auth token list)'),
    { fields: ['revoked'], options: (id) => ({ id }), run },
  );
}

export async function revokeRun(opts: RevokeOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const id = parse.positiveInt(opts.id, 'the token id');
  await confirmed(rt, `Revoke token ${id}? Whatever uses it stops working.`, 'to revoke without a prompt');
  await revokeToken(await rt.authDeps(), principal, id);
  return message(`Revoked token ${id}.`, { revoked: id });
}
