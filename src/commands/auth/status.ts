import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../cli/define.js';
import { isTktError } from '../../errors.js';
import { isoTime, item, type CommandResult } from '../../output/types.js';

export type StatusOptions = Record<string, never>;

export function newCmdStatus(f: Factory, run: Run<StatusOptions, UserDeps> = statusRun) {
  return f.userCommand(new Command('status').description('who you are, on which store, in which organization'), {
    options: () => ({}),
    run,
  });
}

export async function statusRun(_opts: StatusOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  let org: { slug: string; name: string; role: string } | null = null;
  let warning: string | undefined;
  if (rt.orgSelection()) {
    try {
      const tenant = await rt.tenant('membership');
      org = { slug: tenant.ctx.org.slug, name: tenant.ctx.org.name, role: tenant.ctx.role.code };
    } catch (err) {
      if (!isTktError(err)) throw err;
      warning = `Warning: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
    }
  }
  return item({
    item: {
      email: principal.user.email,
      name: principal.user.name,
      store: rt.storeLabel,
      org: org?.slug ?? null,
      orgName: org?.name ?? null,
      role: org?.role ?? null,
      via: principal.via === 'token' ? 'token' : 'session',
      expiresAt: isoTime(principal.credential.expiresAt),
    },
    fields: ['email', 'name', 'store', 'org', 'orgName', 'role', 'via', 'expiresAt'],
    details: [
      { label: 'user', value: (s) => `${s.name} <${s.email}>` },
      { label: 'store', value: (s) => s.store },
      { label: 'org', value: (s) => (s.org ? `${s.org} (${s.orgName})` : 'none'), tone: (s) => (s.org ? 'accent' : 'muted') },
      { label: 'role', value: (s) => s.role ?? '-' },
      { label: 'via', value: (s) => (s.via === 'token' ? 'API token (TKT_TOKEN)' : 'session') },
      { label: 'expires', value: (s) => s.expiresAt ?? '' },
    ],
    id: (s) => s.email,
    ...(warning ? { message: warning } : {}),
  });
}
