import { Command } from '@commander-js/extra-typings';
import type { Factory, Run, UserDeps } from '../../../cli/define.js';
import { listSessions, type SessionView } from '../../../domain/auth.js';
import { isoTime, list, type CommandResult } from '../../../output/types.js';

export type ListOptions = Record<string, never>;

export function newCmdList(f: Factory, run: Run<ListOptions, UserDeps> = listRun) {
  return f.userCommand(new Command('list').description('your live sessions on this store, this one marked'), { options: () => ({}), run });
}

function sessionRow(s: SessionView) {
  return {
    id: s.id,
    current: s.current,
    createdAt: isoTime(s.createdAt),
    lastUsedAt: isoTime(s.lastUsedAt),
    expiresAt: isoTime(s.expiresAt),
  };
}

export async function listRun(_opts: ListOptions, { rt, principal }: UserDeps): Promise<CommandResult> {
  const rows = (await listSessions(await rt.authDeps(), principal)).map(sessionRow);
  return list({
    items: rows,
    fields: ['id', 'current', 'createdAt', 'lastUsedAt', 'expiresAt'],
    columns: [
      { header: 'ID', value: (s) => String(s.id), tone: (s) => (s.current ? 'success' : undefined) },
      { header: 'CREATED', value: (s) => s.createdAt ?? '' },
      { header: 'LAST USED', value: (s) => s.lastUsedAt ?? 'never' },
      { header: 'EXPIRES', value: (s) => s.expiresAt ?? '' },
      { header: 'CURRENT', value: (s) => (s.current ? '*' : ''), tone: () => 'success' },
    ],
    id: (s) => String(s.id),
    empty: 'No live sessions on this store.',
  });
}
