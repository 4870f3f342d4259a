import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../../cli/define.js';
import { listTokens } from '../../../domain/auth.js';
import { isoTime, list, type CommandResult } from '../../../output/types.js';
import type { CredentialRecord } from '../../../store/ports/identity.js';

export type ListOptions = Record<string, never>;

export function newCmdList(f: Factory, run: Run<ListOptions, UserDeps> = listRun) {
  return f.userCommand(new Command('list').description('your API tokens (never the secrets)'), { options: () => ({}), run });
}

function tokenRow(c: CredentialRecord, now: number) {
  const state = c.revokedAt !== null ? 'revoked' : c.expiresAt <= now ? 'expired' : 'active';
  return {
    id: c.id,
    name: c.name ?? '',
    state,
    createdAt: isoTime(c.createdAt),
    expiresAt: isoTime(c.expiresAt),
    lastUsedAt: isoTime(c.lastUsedAt),
  };
}

export async function listRun(_opts: ListOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const now = rt.clock.now();
  const rows = (await listTokens(await rt.authDeps(), principal)).map((c) => tokenRow(c, now));
  return list({
    items: rows,
    fields: ['id', 'name', 'state', 'createdAt', 'expiresAt', 'lastUsedAt'],
    columns: [
      { header: 'ID', value: (t) => String(t.id) },
      { header: 'NAME', value: (t) => t.name },
      { header: 'STATE', value: (t) => t.state, tone: (t) => (t.state === 'active' ? 'success' : 'muted') },
      { header: 'EXPIRES', value: (t) => t.expiresAt ?? '' },
      { header: 'LAST USED', value: (t) => t.lastUsedAt ?? 'never' },
    ],
    id: (t) => String(t.id),
    empty: 'No API tokens. Create one with tkt auth token create --name <name>.',
  });
}
