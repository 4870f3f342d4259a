// The pager for long output on a terminal (TKT_PAGER, then PAGER, then `less -FRX`), loaded only
// when output is paged.
import { spawn } from 'node:child_process';

/**
 * Runs `command` (words split on blanks, no shell: `less -R`, `most`) with `text` on its stdin and
 * this process's terminal on its stdout and stderr. Resolves false when it could not start, so the
 * caller prints the text itself; quitting the pager early (EPIPE on its stdin) is fine.
 */
export function runPager(command: string, text: string): Promise<boolean> {
  const [file, ...args] = command.split(/\s+/).filter(Boolean);
  if (!file) return Promise.resolve(false);
  return new Promise((resolve) => {
    let started = false;
    const child = spawn(file, args, {
      stdio: ['pipe', 'inherit', 'inherit'],
      // less shows colours and leaves the screen alone unless the user's LESS says otherwise.
      env: { ...process.env, LESS: process.env.LESS ?? 'FRX', LV: process.env.LV ?? '-c' },
    });
    child.once('spawn', () => {
      started = true;
      child.stdin.end(text);
    });
    child.stdin.on('error', () => undefined); // the pager quit before reading everything
    child.once('error', () => {
      if (!started) resolve(false);
    });
    child.once('close', () => resolve(started));
  });
}
