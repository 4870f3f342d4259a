import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import { listInvites } from '../../domain/invites.js';
import { list, type CommandResult, type Tone } from '../../output/types.js';
import { INVITE_FIELDS, inviteView } from './shared.js';

export interface ListOptions {
  /** Also accepted, revoked, expired and void ones. */
  all: boolean;
}

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(
    new Command('list')
      .description('pending invitations, newest first (never the tokens)')
      .option('--all', 'also accepted, revoked, expired and void ones'),
    { requirement: 'member:invite', options: (flags) => ({ all: Boolean(flags.all) }), run },
  );
}

type InviteView = ReturnType<typeof inviteView>;

const stateTone = (v: InviteView): Tone => (v.state === 'pending' ? 'success' : v.state === 'accepted' ? 'accent' : 'muted');

export async function listRun(opts: ListOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const now = rt.clock.now();
  const rows = (await listInvites(tenant, { all: opts.all })).map((i) => inviteView(i, now));
  return list({
    items: rows,
    fields: INVITE_FIELDS,
    columns: [
      { header: 'ID', value: (v) => String(v.id) },
      { header: 'EMAIL', value: (v) => v.email, email: true },
      { header: 'ROLE', value: (v) => v.role },
      { header: 'STATE', value: (v) => (v.reason ? `${v.state} (${v.reason})` : v.state), tone: stateTone },
      { header: 'INVITED BY', value: (v) => v.invitedBy.email, email: true },
      { header: 'EXPIRES', value: (v) => v.expiresAt ?? '', tone: () => 'muted' },
    ],
    id: (v) => String(v.id),
    empty: opts.all
      ? 'No invitations yet. Invite someone with tkt invite create <email> --role <code>.'
      : 'No pending invitations (tkt invite list --all shows the others).',
  });
}
