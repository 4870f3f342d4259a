import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../../cli/define.js';
import * as parse from '../../../cli/parse.js';
import { revokeOtherSessions, revokeSession } from '../../../domain/auth.js';
import { usageError } from '../../../errors.js';
import { message, type CommandResult } from '../../../output/types.js';

export interface RevokeOptions {
  /** As typed; checked in the run function, after the login. */
  id: string | undefined;
  allOthers: boolean;
}

export function newCmdRevoke(f: Factory, run: Run<RevokeOptions, UserDeps> = revokeRun) {
  return f.userCommand(
    new Command('revoke')
      .description('end one of your other sessions, or all of them')
      .argument('[id]', 'session id (see tkt auth session list)')
      .option('--all-others', 'end every session but this one'),
    { fields: ['revoked'], options: (id, flags) => ({ id, allOthers: Boolean(flags.allOthers) }), run },
  );
}

export async function revokeRun(opts: RevokeOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  if ((opts.id === undefined) === !opts.allOthers) {
    throw usageError('name one session id or pass --all-others', 'see tkt auth session list');
  }
  if (opts.allOthers) {
    const ended = await revokeOtherSessions(await rt.authDeps(), principal);
    return message(`Ended ${ended} other session${ended === 1 ? '' : 's'}.`, { revoked: ended });
  }
  const id = parse.positiveInt(opts.id!, 'the session id');
  await revokeSession(await rt.authDeps(), principal, id);
  return message(`Ended session ${id}.`, { revoked: 1 });
}
