import { readAllStdin } from '../../cli/input.js';
import type { Runtime } from '../../cli/runtime.js';
import type { SessionGrant } from '../../domain/auth.js';
import { usageError } from '../../errors.js';
import { isoTime, item } from '../../output/types.js';

export async function ask(rt: Runtime, value: string | undefined, question: string, flag: string): Promise<string> {
  return value ?? rt.prompter.input(question, flag);
}

export async function readPassword(rt: Runtime, fromStdin: boolean, confirm: boolean): Promise<string> {
  if (fromStdin) {
    const all = await readAllStdin(rt.io, 'the password on stdin', 64 * 1024);
    return all.split(/\r?\n/)[0] ?? '';
  }
  const password = await rt.prompter.password('Password:', '--password-stdin');
  if (confirm && (await rt.prompter.password('Password again:', '--password-stdin')) !== password) {
    throw usageError('the two passwords differ');
  }
  return password;
}

export const SESSION_FIELDS = ['email', 'name', 'store', 'expiresAt'] as const;

export function sessionResult(grant: SessionGrant, store: string, text: string) {
  return item({
    item: { email: grant.user.email, name: grant.user.name, store, expiresAt: isoTime(grant.expiresAt) },
    fields: SESSION_FIELDS,
    details: [
      { label: 'user', value: (u) => `${u.name} <${u.email}>` },
      { label: 'store', value: (u) => u.store },
    ],
    id: (u) => u.email,
    message: text,
  });
}
