// The dynamic part of shell completion: `tkt completion __complete -- <words>` prints one
// candidate a line. It never prompts and never creates a store; on any error it prints nothing.
// What comes from the store is read like the commands read it, through the tenant guard: only the
// user's orgs, and keys, emails and roles of the active org only, with the permission that
// `ticket list`, `member list` and `role list` need.
import fs from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import type { Deps, Factory, Run } from '../../cli/define.js';
import { createPrompter } from '../../cli/prompter.js';
import { Runtime } from '../../cli/runtime.js';
import { listMembers } from '../../domain/members.js';
import { listOrgs } from '../../domain/orgs.js';
import { listRoles } from '../../domain/roles.js';
import { listTickets, ticketJson } from '../../domain/tickets/index.js';
import { text, type CommandResult } from '../../output/types.js';
import { candidates, wanted, type Source, type Wanted } from './engine.js';
import { showWorkflow } from '../../domain/workflow.js';

export interface CompleteOptions {
  words: string[];
}

/** How many ticket keys are offered (most recent first). */
const KEYS = 100;

export function newCmdComplete(f: Factory, run: Run<CompleteOptions, Deps> = completeRun) {
  return f.publicCommand(
    new Command('__complete')
      .description('candidates for the word being typed (used by the completion scripts)')
      .argument('[words...]', 'the words after tkt, up to the cursor'),
    { options: (words) => ({ words }), run },
  );
}

export async function completeRun(opts: CompleteOptions, { rt }: Deps): Promise<CommandResult> {
  try {
    const { buildProgram } = await import('../../cli/program.js');
    const want = wanted(buildProgram({ io: rt.io, env: rt.env, cwd: rt.cwd, clock: rt.clock }), opts.words);
    // Without a store, a login or an org, the fixed words alone (categories and `all` for --status).
    const stored = want.source ? await fromStore(want, want.source, rt).catch(() => []) : [];
    const found = candidates(want, stored);
    return found.length > 0 ? text({ text: found.join('\n') + '\n', id: '' }) : undefined;
  } catch {
    return undefined;
  }
}

async function fromStore(want: Wanted, source: Source, rt: Runtime): Promise<string[]> {
  // --db and --org typed on the command line being completed.
  const scoped =
    want.db !== undefined || want.org !== undefined
      ? new Runtime({
          io: rt.io,
          env: rt.env,
          cwd: rt.cwd,
          clock: rt.clock,
          prompter: createPrompter(false),
          globals: { ...rt.globals, ...(want.db !== undefined ? { db: want.db } : {}), ...(want.org !== undefined ? { org: want.org } : {}) },
        })
      : rt;
  try {
    const locator = scoped.storeLocator;
    if (locator.kind === 'sqlite' && !fs.existsSync(locator.path)) return []; // opening it would create it
    switch (source) {
      case 'orgs':
        return (await listOrgs(await scoped.store(), await scoped.principal())).map((m) => m.org.slug);
      case 'keys': {
        const tenant = await scoped.tenant('ticket:read');
        return (await listTickets(tenant, {}, { limit: KEYS })).map((t) => ticketJson(t, tenant.ctx.org).key);
      }
      case 'emails':
        return (await listMembers(await scoped.tenant('member:read'))).map((m) => m.user.email);
      case 'roles':
        return (await listRoles(await scoped.tenant('role:read'))).map((r) => r.code);
      case 'statuses':
        return (await showWorkflow(await scoped.tenant('ticket:read'))).statuses.map((st) => st.code);
      default:
        return [];
    }
  } finally {
    if (scoped !== rt) await scoped.close();
  }
}
