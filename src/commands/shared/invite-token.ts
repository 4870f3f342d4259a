import { readStdinLines } from '../../cli/input.js';
import type { Runtime } from '../../cli/runtime.js';
import { usageError } from '../../errors.js';

/** An invitation token given as `-`: read so that it never appears in `ps` or the shell history. */
export const TOKEN_FROM_STDIN = '-';

/**
 * The token argument as typed, or for `-` the first line of stdin; on a terminal (where stdin has
 * no end to wait for) a hidden prompt instead.
 */
export async function inviteToken(rt: Runtime, value: string): Promise<string> {
  if (value !== TOKEN_FROM_STDIN) return value;
  if (rt.io.stdin.isTTY && rt.prompter.interactive) return rt.prompter.password('Invitation token:', 'the token on stdin');
  return (await readStdinLines(rt.io, 'the invitation token on stdin'))[0] ?? '';
}

/**
 * `auth signup --invite - --password-stdin`: both secrets on stdin, the token on the first line and
 * the password on the second.
 */
export async function inviteTokenAndPassword(rt: Runtime): Promise<{ token: string; password: string }> {
  const [token, password] = await readStdinLines(rt.io, 'the invitation token and the password on stdin');
  if (password === undefined) {
    throw usageError(
      'with --invite - and --password-stdin, stdin must hold two lines: the invitation token, then the password',
      "printf '%s\\n%s\\n' \"$TOKEN\" \"$PASSWORD\" | tkt auth signup --invite - --password-stdin …",
    );
  }
  return { token: token ?? '', password };
}

