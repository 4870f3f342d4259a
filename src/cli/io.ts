import fs from 'node:fs';

// The process's streams behind one object, so commands and tests never touch process.* directly.
export interface IO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export function processIO(): IO {
  return { stdout: lazyStdout(), stderr: process.stderr, stdin: lazyStdin() };
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
    write(text: string) {
      if (stream) return stream.write(text);
      let rest = Buffer.from(text, 'utf8');
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
 * prompts ask it, never the streams.
 */
export interface Terminal {
  /** Tables and details for people; false: plain tab-separated lines. */
  readonly stdoutIsTTY: boolean;
  readonly color: boolean;
  /** A question may be asked (stdin and stderr are terminals and --no-input was not given). */
  readonly canPrompt: boolean;
}

export function terminalOf(io: IO, env: NodeJS.ProcessEnv, wanted: { color: boolean; input: boolean }): Terminal {
  const stdoutIsTTY = Boolean(io.stdout.isTTY);
  return {
    stdoutIsTTY,
    color: wanted.color && !('NO_COLOR' in env) && stdoutIsTTY,
    canPrompt: wanted.input && Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY),
  };
}
