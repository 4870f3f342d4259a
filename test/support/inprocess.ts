// Runs the CLI's main() — what bin/tkt.js calls — inside the test process, with its own argv,
// env, cwd and stdin, and captures what it writes and the exit code it returns. Same result shape
// as runCli (test/support/cli.ts), at a fraction of the cost of a process: for tests that run a
// command hundreds of times (the bad-input matrix). Password hashing uses the cheap test cost.
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { ROOT, cliResult, type CliResult, type RunOptions } from './cli.js';
import { FAST_SCRYPT } from './memory.js';

export async function runInProcess(
  args: string[],
  env: Record<string, string | undefined>,
  options: RunOptions = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const input = options.input ?? '';
  const stdin = Readable.from([typeof input === 'string' ? Buffer.from(input, 'utf8') : input]);
  const code = await main({
    argv: args,
    env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    cwd: options.cwd ?? ROOT,
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      stdin,
    },
    scrypt: FAST_SCRYPT,
  });
  return cliResult(code, out.join(''), err.join(''));
}
