// Writing text in the person's editor, as `git commit` does: $VISUAL, then $EDITOR, then vi, on a
// temp file (mode 0600, in a folder of its own, removed afterwards). Lines starting with `#`
// explain and are dropped; an empty result cancels (exit 2) and nothing is written.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../errors.js';

// Every ticket command imports this file, and node:child_process (with net, dgram and their
// bindings) costs each of them milliseconds to load: it is loaded when an editor is opened.
const childProcess = () => createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');

export function editorCommand(env: NodeJS.ProcessEnv): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/**
 * Opens the editor on `text` followed by the `#` lines of `help`, and returns what was saved
 * without the `#` lines and surrounding blank space. The editor gets the terminal (stdin and
 * stderr; its stdout goes to stderr too, so `key=$(tkt ticket create -e)` still captures only the key).
 */
export async function editText(env: NodeJS.ProcessEnv, text: string, help: readonly string[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-edit-'));
  const file = path.join(dir, 'TKT_EDITMSG.md');
  try {
    fs.writeFileSync(file, `${text}\n\n${help.map((l) => `# ${l}`.trimEnd()).join('\n')}\n`, { mode: 0o600, flag: 'wx' });
    const command = editorCommand(env);
    // Through the shell, as git does, so EDITOR may hold arguments ("code --wait").
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = childProcess().spawn('sh', ['-c', `${command} "$@"`, command, file], { env, stdio: ['inherit', process.stderr, 'inherit'] });
      child.on('error', reject);
      child.on('exit', (status, signal) => resolve(signal ? null : status));
    });
    if (code !== 0) throw usageError(`the editor (${command}) exited with ${code ?? 'a signal'}; nothing was written`);
    return stripComments(fs.readFileSync(file, 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function stripComments(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trim();
}

/** A title on the first line and the body below it, as in a commit message. */
export function titleAndBody(text: string): { title: string; body: string } {
  const [first = '', ...rest] = text.split('\n');
  return { title: first.trim(), body: rest.join('\n').trim() };
}

export function cancelledIfEmpty(text: string): string {
  if (text === '') throw usageError('the editor left nothing; cancelled, nothing was written');
  return text;
}
