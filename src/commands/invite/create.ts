import { Command, Option } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import * as parse from '../../cli/parse.js';
import { createInvite, INVITE_MAX_TTL_MS, INVITE_MIN_TTL_MS } from '../../domain/invites.js';
import { displayEmail } from '../../output/email.js';
import { item, span, type CommandResult } from '../../output/types.js';
import { pickRole } from '../shared/pickers.js';
import { INVITE_FIELDS, inviteView } from './shared.js';

const CREATED_FIELDS = [...INVITE_FIELDS, 'org', 'token'] as const;

export interface CreateOptions {
  email: string;
  /** Missing: picked on a terminal. */
  role?: string;
  expires: string;
}

export function newCmdCreate(f: Factory, run: Run<CreateOptions, OrgDeps> = createRun) {
  return f.orgCommand(
    new Command('create')
      .description('invite someone by email with a role; prints the token to send them, once')
      .argument('<email>', 'who may accept it (only a user with this email can)')
      .option('--role <code>', 'the role they get (tkt role list); you must hold all of its permissions; picked on a terminal when left out')
      .addOption(new Option('--expires <duration>', 'how long it stays valid, 1m to 30d').default('7d')),
    {
      requirement: 'member:invite',
      fields: CREATED_FIELDS,
      options: (email, flags) => ({ email, ...(flags.role !== undefined ? { role: flags.role } : {}), expires: flags.expires }),
      run,
    },
  );
}

export async function createRun(opts: CreateOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const ttlMs = parse.duration(opts.expires, '--expires', {
    min: INVITE_MIN_TTL_MS,
    max: INVITE_MAX_TTL_MS,
    describe: 'between 1 minute and 30 days',
  });
  const role = opts.role ?? (await pickRole(rt, tenant, '--role'));
  const created = await createInvite(tenant, { email: opts.email, role, ttlMs });
  const view = { ...inviteView(created.invite, rt.clock.now()), org: tenant.ctx.org.slug, token: created.token };
  const replaced = created.replaced.length > 0 ? ` It replaces the pending invitation ${created.replaced.join(', ')}.` : '';
  return item({
    item: view,
    fields: CREATED_FIELDS,
    details: [
      { label: 'id', value: (v) => String(v.id) },
      { label: 'email', value: (v) => v.email, email: true },
      { label: 'org', value: (v) => v.org, tone: () => 'accent' },
      { label: 'role', value: (v) => v.role },
      { label: 'expires', value: (v) => v.expiresAt ?? '' },
      { label: 'token', value: (v) => v.token, tone: () => 'strong' },
    ],
    id: (v) => v.token,
    primary: (v) => v.token,
    extra: (v) => [
      [],
      [`Send this to ${displayEmail(v.email)} (it works once, on this store):`],
      ['  ', span('strong', `tkt invite accept ${v.token}`)],
      [`Without an account yet: tkt auth signup --invite ${v.token} --email ${displayEmail(v.email)} --name <name>`],
    ],
    message: `Invited ${view.email} to ${view.org} as ${view.role}.${replaced} Copy the token now: it is shown only this once.`,
  });
}
