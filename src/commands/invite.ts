import { Option, type Command } from 'commander';
import * as invites from '../domain/invites.js';
import type { Definer } from '../cli/legacy-define.js';
import * as parse from '../cli/parse.js';
import { isoTime, item, list, message, span, type Tone } from '../output/types.js';
import type { InviteRecord } from '../store/ports/invites.js';
import { ORG_FIELDS, orgItem, orgView } from './org.js';

export const INVITE_FIELDS = [
  'id',
  'email',
  'role',
  'state',
  'reason',
  'invitedBy',
  'createdAt',
  'expiresAt',
  'acceptedAt',
  'acceptedBy',
  'revokedAt',
] as const;

/** Never carries the token: the store does not have it. */
export function inviteView(invite: InviteRecord, now: number) {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.roleCode,
    state: invites.inviteState(invite, now),
    reason: invite.voidReason,
    invitedBy: invite.inviter,
    createdAt: isoTime(invite.createdAt),
    expiresAt: isoTime(invite.expiresAt),
    acceptedAt: isoTime(invite.acceptedAt),
    acceptedBy: invite.acceptedBy,
    revokedAt: isoTime(invite.revokedAt),
  };
}

type InviteView = ReturnType<typeof inviteView>;

const stateTone = (v: InviteView): Tone => (v.state === 'pending' ? 'success' : v.state === 'accepted' ? 'accent' : 'muted');

export function registerInvite(program: Command, define: Definer): void {
  const invite = program.command('invite').description('invite people into the organization, and join one');

  define.orgAction<{ role: string; expires: string }>(
    invite
      .command('create')
      .description('invite someone by email with a role; prints the token to send them, once')
      .argument('<email>', 'who may accept it (only a user with this email can)')
      .requiredOption('--role <code>', 'the role they get (tkt role list); you must hold all of its permissions')
      .addOption(new Option('--expires <duration>', 'how long it stays valid, 1m to 30d').default('7d')),
    'member:invite',
    async ({ args, opts, rt, tenant }) => {
      const ttlMs = parse.duration(opts.expires, '--expires', {
        min: invites.INVITE_MIN_TTL_MS,
        max: invites.INVITE_MAX_TTL_MS,
        describe: 'between 1 minute and 30 days',
      });
      const created = await invites.createInvite(tenant, { email: args[0]!, role: opts.role, ttlMs });
      const view = { ...inviteView(created.invite, rt.clock.now()), org: tenant.ctx.org.slug, token: created.token };
      const replaced = created.replaced.length > 0 ? ` It replaces the pending invitation ${created.replaced.join(', ')}.` : '';
      return item({
        item: view,
        fields: [...INVITE_FIELDS, 'org', 'token'],
        details: [
          { label: 'id', value: (v) => String(v.id) },
          { label: 'email', value: (v) => v.email },
          { label: 'org', value: (v) => v.org, tone: () => 'accent' },
          { label: 'role', value: (v) => v.role },
          { label: 'expires', value: (v) => v.expiresAt ?? '' },
          { label: 'token', value: (v) => v.token, tone: () => 'strong' },
        ],
        id: (v) => v.token,
        primary: (v) => v.token,
        extra: (v) => [
          [],
          [`Send this to ${v.email} (it works once, on this store):`],
          ['  ', span('strong', `tkt invite accept ${v.token}`)],
          [`Without an account yet: tkt auth signup --invite ${v.token} --email ${v.email} --name <name>`],
        ],
        message: `Invited ${view.email} to ${view.org} as ${view.role}.${replaced} Copy the token now: it is shown only this once.`,
      });
    },
    { fields: [...INVITE_FIELDS, 'org', 'token'] },
  );

  define.orgAction<{ all?: boolean }>(
    invite
      .command('list')
      .description('pending invitations, newest first (never the tokens)')
      .option('--all', 'also accepted, revoked, expired and void ones'),
    'member:invite',
    async ({ opts, rt, tenant }) => {
      const now = rt.clock.now();
      const rows = (await invites.listInvites(tenant, { all: Boolean(opts.all) })).map((i) => inviteView(i, now));
      return list({
        items: rows,
        fields: INVITE_FIELDS,
        columns: [
          { header: 'ID', value: (v) => String(v.id) },
          { header: 'EMAIL', value: (v) => v.email },
          { header: 'ROLE', value: (v) => v.role },
          { header: 'STATE', value: (v) => (v.reason ? `${v.state} (${v.reason})` : v.state), tone: stateTone },
          { header: 'INVITED BY', value: (v) => v.invitedBy.email },
          { header: 'EXPIRES', value: (v) => v.expiresAt ?? '', tone: () => 'muted' },
        ],
        id: (v) => String(v.id),
        empty: opts.all
          ? 'No invitations yet. Invite someone with tkt invite create <email> --role <code>.'
          : 'No pending invitations (tkt invite list --all shows the others).',
      });
    },
  );

  define.orgAction(
    invite
      .command('revoke')
      .description('revoke a pending invitation so its token no longer works')
      .argument('<id>', 'invitation id (tkt invite list)'),
    'member:invite',
    async ({ args, rt, tenant }) => {
      const id = parse.positiveInt(args[0]!, 'the invitation id');
      const revoked = await invites.revokeInvite(tenant, id, rt.clock.now());
      return message(`Revoked invitation ${id} (${revoked.email}).`, inviteView(revoked, rt.clock.now()));
    },
    { fields: INVITE_FIELDS },
  );

  define.userAction(
    invite
      .command('accept')
      .description('join an organization with an invitation sent to your email')
      .argument('<token>', 'the tkti_… token you were sent'),
    async ({ args, rt, principal }) => {
      const joined = await invites.acceptInvite(await rt.store(), principal.user, args[0]!);
      let text = `Joined ${joined.org.slug} as ${joined.role.code}`;
      if (rt.usingToken) {
        text += '; with TKT_TOKEN nothing is saved as active, pass --org ' + joined.org.slug;
      } else {
        await rt.saveConfig((c) => ({ ...c, activeOrgId: joined.org.id }));
        text += ' and switched to it.';
      }
      return orgItem(orgView(joined.org, joined.role, !rt.usingToken), text);
    },
    { fields: ORG_FIELDS },
  );
}
