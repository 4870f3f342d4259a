import { readStdinLines } from '../../cli/input.js';
import { checkedBy } from '../../cli/prompter.js';
import * as validate from '../../domain/validate.js';
import type { StoreConfig } from '../../cli/config.js';
import type { Runtime } from '../../cli/runtime.js';
import { endReplacedSession, type SessionGrant } from '../../domain/auth.js';
import { usageError } from '../../errors.js';
import { isoTime, item } from '../../output/types.js';

/** The flag's value, or the answer to a question checked by the same rule as the flag. */
export async function ask(rt: Runtime, value: string | undefined, question: string, flag: string, rule: (answer: string) => unknown): Promise<string> {
  return value ?? rt.prompter.input(question, flag, checkedBy(rule));
}

export async function readPassword(rt: Runtime, fromStdin: boolean, confirm: boolean): Promise<string> {
  if (fromStdin) return (await readStdinLines(rt.io, 'the password on stdin'))[0] ?? '';
  return askNewPassword(rt, 'Password:', confirm ? 'Password again:' : undefined);
}

async function askNewPassword(rt: Runtime, question: string, again: string | undefined): Promise<string> {
  const password = await rt.prompter.password(question, '--password-stdin', checkedBy(validate.password));
  if (again === undefined) return password;
  const differ = 'the two passwords differ';
  const repeated = await rt.prompter.password(again, '--password-stdin', {
    validate: (answer) => (answer === password ? undefined : `${differ}; type the same one again`),
  });
  // A terminal asks again until they match; a prompter that cannot ask again refuses here.
  if (repeated !== password) throw usageError(differ);
  return password;
}

/** The current and the new password: two lines on stdin, or asked on a terminal (the new one twice). */
export async function readPasswordChange(rt: Runtime, fromStdin: boolean): Promise<{ current: string; next: string }> {
  if (fromStdin) {
    const lines = await readStdinLines(rt.io, 'the passwords on stdin');
    if (lines.length < 2 || (lines.length === 2 && lines[1] === '')) {
      throw usageError('--password-stdin needs two lines: the current password, then the new one');
    }
    return { current: lines[0]!, next: lines[1]! };
  }
  const current = await rt.prompter.password('Current password:', '--password-stdin');
  return { current, next: await askNewPassword(rt, 'New password:', 'New password again:') };
}

/** With TKT_TOKEN, tkt saves nothing in the config, so there is no session to log in to. */
export function refuseWithToken(rt: Runtime, what: string): void {
  if (rt.usingToken) throw usageError(`TKT_TOKEN is set, so tkt saves no session and cannot ${what}`, `unset TKT_TOKEN to ${what}`);
}

/** The saved session and active org for this store; a damaged entry counts as none (logging in repairs it). */
export function replacedConfig(rt: Runtime): StoreConfig {
  try {
    return rt.config.forStore(rt.storeLabel);
  } catch {
    return {};
  }
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

/** Saves a new session for this store in the config, ending the session it replaces. */
export async function saveSession(rt: Runtime, sessionToken: string, activeOrgId: number | undefined): Promise<void> {
  await endReplacedSession(await rt.authDeps(), replacedConfig(rt).session);
  await rt.saveConfig(() => ({ session: sessionToken, ...(activeOrgId ? { activeOrgId } : {}) }));
}
