import fs from 'node:fs';
import type { RenderTarget } from '../output/render.js';

// The process's streams behind one object, so commands and tests never touch process.* directly.
export interface IO {
  /** Bytes only for documents written verbatim (attachment get -o -). */
  stdout: { write(text: string | Uint8Array): unknown; isTTY?: boolean; columns?: number; rows?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /**
   * Runs `command` (a pager) with `text` on its stdin and this process's stdout and stderr; false
   * when it could not start. Only the real process has it: a test's IO pages nothing unless it
   * brings its own.
   */
  page?(command: string, text: string): Promise<boolean>;
}

export function processIO(): IO {
  return {
    stdout: lazyStdout(),
    stderr: process.stderr,
    stdin: lazyStdin(),
    page: async (command, text) => (await import('../output/pager.js')).runPager(command, text),
  };
}

/**
 * process.stdout, created only for a terminal: into a pipe or a file, output goes straight to fd 1
 * with synchronous writes, which is what process.stdout does there too (on Linux and macOS),
 * without creating the stream, which costs every command start-up time. A reader that went away
 * is an EPIPE error (main() ends the command quietly); a non-blocking pipe that is full hands the
 * rest over to process.stdout.
 */
function lazyStdout(): IO['stdout'] {
  if (maybeTerminal(1)) return process.stdout;
  let stream: NodeJS.WriteStream | undefined;
  return {
    write(text: string | Uint8Array) {
      if (stream) return stream.write(text);
      let rest = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
      try {
        while (rest.length > 0) rest = rest.subarray(fs.writeSync(1, rest));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        stream = process.stdout;
        return stream.write(rest);
      }
      return true;
    },
  };
}

/**
 * process.stdin, created on first use: creating it costs every command start-up time (a file or
 * /dev/null on stdin loads Node's file streams), and most commands never read it. Whether it is a
 * terminal is answered without creating it when fd 0 is a pipe, a file, a socket or /dev/null.
 */
function lazyStdin(): IO['stdin'] {
  return new Proxy({} as IO['stdin'], {
    get(_, key) {
      if (key === 'isTTY' && !maybeTerminal(0)) return undefined;
      const stdin = process.stdin;
      const value = Reflect.get(stdin, key, stdin) as unknown;
      return typeof value === 'function' ? value.bind(stdin) : value;
    },
  });
}

function maybeTerminal(fd: number): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
  } catch {
    return false; // no such fd: not a terminal either
  }
  if (!stat.isCharacterDevice()) return false;
  try {
    return stat.rdev !== fs.statSync('/dev/null').rdev;
  } catch {
    return true; // no /dev/null here: ask the stream
  }
}

/**
 * What this invocation may do with the terminal, decided once: gh's IOStreams. Renderers and
 * prompts ask it, never the streams or the environment.
 */
export interface Terminal {
  /** Tables, details and times for people; false: plain tab-separated lines. */
  readonly stdoutIsTTY: boolean;
  /** Messages for people are read on a terminal (or TKT_FORCE_TTY says to act as if). */
  readonly stderrIsTTY: boolean;
  readonly color: boolean;
  /** A question may be asked (stdin and stderr are terminals and --no-input was not given). */
  readonly canPrompt: boolean;
  /** Columns a table may use. */
  readonly width: number;
  /** Lines that fit on one screen: longer output goes through the pager. */
  readonly height: number;
  /** The pager command for long output, when stdout is a real terminal and one is wanted. */
  readonly pager: string | undefined;
}

const DEFAULT_WIDTH = 80;
const DEFAULT_HEIGHT = 24;

/**
 * Colour, by the conventions of no-color.org, force-color.org and bixense.com/clicolors:
 * --no-color always wins; then FORCE_COLOR or CLICOLOR_FORCE (set for one invocation, as in
 * `FORCE_COLOR=1 tkt … | less -R`) beat NO_COLOR (a standing preference), as in Node itself; then
 * NO_COLOR; otherwise colour only when stdout is a terminal (or TKT_FORCE_TTY says to act as one).
 * A variable that is empty counts as unset; FORCE_COLOR=0 or false and CLICOLOR_FORCE=0 force nothing.
 */
export function terminalOf(io: IO, env: NodeJS.ProcessEnv, wanted: { color: boolean; input: boolean }): Terminal {
  const realTTY = Boolean(io.stdout.isTTY);
  const forceTTY = isSet(env.TKT_FORCE_TTY) && env.TKT_FORCE_TTY !== '0';
  const stdoutIsTTY = realTTY || forceTTY;
  const forced = (isSet(env.FORCE_COLOR) && !['0', 'false'].includes(env.FORCE_COLOR!)) || (isSet(env.CLICOLOR_FORCE) && env.CLICOLOR_FORCE !== '0');
  const color = wanted.color && (forced || (!isSet(env.NO_COLOR) && stdoutIsTTY));
  const pager = env.TKT_PAGER ?? env.PAGER ?? 'less -FRX';
  return {
    stdoutIsTTY,
    stderrIsTTY: Boolean(io.stderr.isTTY) || forceTTY,
    color,
    canPrompt: wanted.input && Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY),
    width: size(realTTY ? io.stdout.columns : undefined, env.COLUMNS, DEFAULT_WIDTH),
    height: size(realTTY ? io.stdout.rows : undefined, env.LINES, DEFAULT_HEIGHT),
    pager: realTTY && pager.trim() !== '' && pager.trim() !== 'cat' ? pager.trim() : undefined,
  };
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

function size(fromStream: number | undefined, fromEnv: string | undefined, fallback: number): number {
  if (fromStream && fromStream > 0) return fromStream;
  const n = Number(fromEnv);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Where render() writes, and what it may do, for this invocation. */
export function renderTarget(io: IO, terminal: Terminal, now: number): RenderTarget {
  const page = io.page?.bind(io);
  return {
    out: (t) => io.stdout.write(t),
    err: (t) => io.stderr.write(t),
    tty: terminal.stdoutIsTTY,
    color: terminal.color,
    width: terminal.width,
    now,
    ...(terminal.pager && page
      ? {
          page: async (text: string) => {
            if (text.split('\n').length - 1 <= terminal.height || !(await page(terminal.pager!, text))) io.stdout.write(text);
          },
        }
      : {}),
  };
}

/**
 * Before reading `-` (a body, a password, a token) from stdin: when stdin is a terminal, people
 * would otherwise face a silent wait. Says on stderr what is read and how to end it.
 */
export function noticeStdinRead(io: IO, what: string): void {
  if (io.stdin.isTTY) io.stderr.write(`Reading ${what} from stdin; end with ${process.platform === 'win32' ? 'Ctrl-Z, Enter' : 'Ctrl-D'}.\n`);
}
