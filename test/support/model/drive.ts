// What the domain and CLI model tests share: sizes, the seed, and the fast-check run with a
// report that says how to replay a failure.
import fc from 'fast-check';
import type { Plan } from './ops.js';

export const LONG = process.env.TKT_LONG_TESTS === '1';

export interface ModelRunOptions {
  name: string;
  arbitrary: fc.Arbitrary<Plan>;
  runs: number;
  /** Runs one plan; throws (an assertion) on the first wrong step. */
  execute: (plan: Plan) => Promise<void>;
  /**
   * How long shrinking may go on after the first failure (ms); 0: report the first failure as is
   * (CLI processes are too slow to shrink). Past the budget, candidates are not run any more, so
   * the smallest failing case found so far is the one reported.
   */
  shrinkBudgetMs: number;
}

/** A fresh seed per run unless TKT_MODEL_SEED (or the suite's TKT_TEST_SEED) names one; TKT_MODEL_PATH replays a shrunk case directly. */
export function seedFromEnv(): number {
  const fromEnv = process.env.TKT_MODEL_SEED || process.env.TKT_TEST_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`TKT_MODEL_SEED (or TKT_TEST_SEED) must be an integer, got ${JSON.stringify(fromEnv)}`);
    return seed;
  }
  return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

export async function runModel(options: ModelRunOptions): Promise<void> {
  const seed = seedFromEnv();
  const path = process.env.TKT_MODEL_PATH || undefined;
  console.log(
    `${options.name}: seed ${seed}${path ? `, path ${path}` : ''}, ${options.runs} runs` +
      ` (replay: TKT_MODEL_SEED=${seed}${path ? ` TKT_MODEL_PATH=${path}` : ''}${LONG ? ' TKT_LONG_TESTS=1' : ''})`,
  );
  let firstFailure: number | undefined;
  const property = fc.asyncProperty(options.arbitrary, async (plan) => {
    if (firstFailure !== undefined && Date.now() - firstFailure > options.shrinkBudgetMs) return;
    try {
      await options.execute(plan);
    } catch (err) {
      if (firstFailure === undefined) {
        firstFailure = Date.now();
        // What failed first, before shrinking tries smaller plans (which may fail otherwise).
        console.error(`${options.name}: first failure (before shrinking): ${String((err as Error)?.message ?? err).slice(0, 4000)}`);
      }
      throw err;
    }
  });
  try {
    await fc.assert(property, {
      seed,
      numRuns: options.runs,
      // A replayed path is already the shrunk case: report it as is.
      ...(path ? { path, endOnFailure: true } : {}),
      ...(options.shrinkBudgetMs > 0 ? {} : { endOnFailure: true }),
    });
  } catch (err) {
    // fast-check's message carries the seed and the shrink path; say how to use them here.
    const match = /path: "([^"]*)"/.exec(String((err as Error).message));
    const replay = `TKT_MODEL_SEED=${seed}${match ? ` TKT_MODEL_PATH=${match[1]}` : ''}${LONG ? ' TKT_LONG_TESTS=1' : ''}`;
    (err as Error).message = `${options.name} failed; replay with ${replay}\n${(err as Error).message}`;
    throw err;
  }
}

/** Adds the actions performed so far to a failure, so the report reads as a session transcript. */
export function withTranscript(err: unknown, log: readonly string[]): unknown {
  if (err instanceof Error) {
    err.message = `${err.message}\n\nthe operations up to the failure (idle steps left out):\n${log.map((l, i) => `  ${i + 1}. ${l}`).join('\n')}`;
  }
  return err;
}
