import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { storeError } from '../../errors.js';
import { list, type CommandResult } from '../../output/types.js';
import type { CheckResult } from '../../store/ports/admin.js';

export interface CheckOptions {
  /** Skips hashing every attachment's content. */
  quick?: true;
}

export function newCmdCheck(f: Factory, run: Run<CheckOptions, Deps> = checkRun) {
  return f.publicCommand(
    new Command('check')
      .description('integrity, foreign keys, tenant consistency and attachment content; exit 7 when anything is wrong')
      .option('--quick', "skip recomputing every attachment's SHA-256"),
    { options: (flags) => flags, run },
  );
}

export async function checkRun(opts: CheckOptions, { rt }: Deps): Promise<CommandResult> {
  const results = await (await rt.store()).admin.check({ quick: opts.quick === true });
  const bad = results.filter((r) => !r.ok);
  return list({
    items: results,
    fields: ['name', 'ok', 'problems'],
    columns: [
      { header: 'CHECK', value: (r) => r.name },
      { header: 'RESULT', value: (r) => (r.ok ? 'ok' : `FAILED: ${r.problems.join('; ')}`), tone: (r) => (r.ok ? 'success' : 'danger') },
    ],
    id: (r) => r.name,
    ...(bad.length === 0
      ? { message: `All ${results.length} checks passed.` }
      : { failWith: storeError(`${bad.length} of ${results.length} store checks failed: ${bad.map((r) => `${r.name} (${firstProblem(r)})`).join('; ')}`) }),
  });
}

function firstProblem(r: CheckResult): string {
  const first = (r.problems[0] ?? 'failed').replace(/\s+/g, ' ').trim();
  const cut = first.length > 200 ? `${first.slice(0, 200)}…` : first;
  return r.problems.length > 1 ? `${cut}, and ${r.problems.length - 1} more` : cut;
}
