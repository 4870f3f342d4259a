// Level-3 test support for commands that wait for a person: a CLI process fed from a named FIFO
// (it blocks reading until the test writes), or run on a pseudo-terminal (util-linux `script`)
// where it shows a prompt and waits for an answer. Meanwhile the test changes the store.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, type CliResult, cliResult } from './cli.js';
import { until } from './terminal.js';

/** Polls every 20 ms until `ready` holds (or throws after 10 s). */
const once = async (ready: () => boolean, what: string): Promise<void> => {
  await until(what, () => (ready() ? true : undefined), 10_000, 20);
};

/**
 * True once the process waits for data on its stdin: libuv has added fd 0 to its epoll set, which
 * it does when the program starts reading it (Linux: /proc/<pid>/fdinfo lists an epoll set's fds).
 */
export function readingStdin(pid: number): boolean {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fdinfo`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return /^tfd:\s+0\s/m.test(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    } catch {
      return false;
    }
  });
}

function collect(child: ChildProcess): Promise<CliResult> & { output(): string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(cliResult(code ?? -1, Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8'))));
  });
  return Object.assign(done, { output: () => Buffer.concat(out).toString('utf8') });
}

export interface FifoRun {
  /** Resolves once the process is blocked reading its stdin (the FIFO). */
  reading(): Promise<void>;
  /** Writes `text` into the FIFO, closes it, and waits for the process to end. */
  feed(text: string): Promise<CliResult>;
}

/** Runs the CLI with its stdin read from a new FIFO in `dir` that nobody has written to yet. */
export function runOnFifo(dir: string, args: string[], env: Record<string, string | undefined>): FifoRun {
  const fifo = path.join(dir, `stdin-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  execFileSync('mkfifo', [fifo]);
  // Opening the read end without blocking lets the write end open at once; with a writer
  // attached, the process's reads wait for data instead of seeing end-of-file.
  const readEnd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const writeEnd = fs.openSync(fifo, fs.constants.O_WRONLY);
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: [readEnd, 'pipe', 'pipe'],
  });
  fs.closeSync(readEnd);
  const result = collect(child);
  return {
    reading: () => once(() => readingStdin(child.pid!), `tkt ${args.join(' ')} reads its stdin`),
    async feed(text) {
      fs.writeSync(writeEnd, text);
      fs.closeSync(writeEnd);
      const r = await result;
      fs.rmSync(fifo, { force: true });
      return r;
    },
  };
}

export interface PtyRun {
  /** Resolves once the terminal shows `text` (a prompt). */
  shows(text: string): Promise<void>;
  /** Types `keys` and waits for the process to end; stdout is everything the terminal showed. */
  answer(keys: string): Promise<CliResult>;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal (`script -qfec`), so that it prompts. */
export function runOnPty(dir: string, args: string[], env: Record<string, string | undefined>): PtyRun {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: dir,
    env: Object.fromEntries(Object.entries({ ...env, TERM: 'dumb' }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result = collect(child);
  return {
    shows: (text) => once(() => result.output().includes(text), `the terminal shows ${JSON.stringify(text)}`),
    async answer(keys) {
      child.stdin!.write(keys);
      const r = await result;
      child.stdin!.end();
      return r;
    },
  };
}
