// Driving the built CLI on a real pseudo-terminal: tmux for prompts (send-keys, capture-pane),
// script(1) for output at a chosen size. A tool that is missing skips its tests with a message.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN } from './cli.js';

/** Whether `tool` is on the PATH. */
export const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
export const HAS_TMUX = has('tmux');
export const HAS_SCRIPT = has('script') && spawnSync('script', ['-qfec', 'true', '/dev/null']).status === 0;

/** Polls `probe` every `everyMs` until it gives a value (or fails after `ms`). */
export async function until<T>(what: string, probe: () => T | undefined, ms = 15_000, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A shell script in `dir` that exports `env`, goes to `dir` and runs `body`, in which `tkt` is the
 * built CLI; returns its path.
 */
export function shellScript(dir: string, name: string, env: Record<string, string | undefined>, body: string): string {
  const exports = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}='${v}'`)
    .join('\n');
  const file = path.join(dir, `${name}.sh`);
  fs.writeFileSync(file, `${exports}\ntkt() { "${process.execPath}" "${BIN}" "$@"; }\ncd '${dir}'\n${body}\n`);
  return file;
}

/** tmux sessions on a socket of their own in `dir`; `kill()` ends them all. */
export function tmuxServer(dir: string) {
  const socket = path.join(dir, 'tmux.sock');
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  return {
    /** Runs `script` (then waits, so the screen stays readable) on a terminal of `width` × `height`. */
    session(name: string, script: string, width = 100, height = 24) {
      tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), `sh ${script}; sleep 60`);
      const screen = () => tmux('capture-pane', '-p', '-t', name);
      return {
        screen,
        keys: (...keys: string[]) => void tmux('send-keys', '-t', name, ...keys),
        /** Waits until the screen shows `text`; returns the screen. */
        shows: (text: string) => until(JSON.stringify(text), () => (screen().includes(text) ? screen() : undefined)),
      };
    },
    kill: () => void spawnSync('tmux', ['-S', socket, 'kill-server']),
  };
}
