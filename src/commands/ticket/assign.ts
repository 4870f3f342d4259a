import { Command } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import type { Prompter } from '../../cli/prompter.js';
import type { Tenant } from '../../domain/guard.js';
import { listMembers } from '../../domain/members.js';
import { assignTickets, TICKET_FIELDS } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { changesResult, readKeys, type Keys } from './many.js';
import { changeItem } from './shared.js';

export interface AssignOptions {
  keys: string[];
  /** Missing: picked from the members on a terminal. */
  who?: string;
}

export function newCmdAssign(f: Factory, run: Run<AssignOptions, OrgDeps, Keys> = assignRun) {
  return f.orgCommand(
    new Command('assign')
      .description('assign tickets to a member (or @me); on a terminal, pick the member when it is not given')
      .usage('[options] <key...|-> [email|@me]')
      .argument('<words...>', "tickets (ACME-42, 42 or #42; - reads keys from stdin), then a member's email or @me"),
    {
      requirement: 'ticket:assign',
      fields: TICKET_FIELDS,
      options: (words) => (words.length > 1 ? { keys: words.slice(0, -1), who: words.at(-1)! } : { keys: words }),
      input: (opts, source) => readKeys(opts.keys, source),
      run,
    },
  );
}

export async function assignRun(opts: AssignOptions, { rt, tenant }: OrgDeps, { keys, one }: Keys): Promise<CommandResult> {
  const who = opts.who ?? (await pickMember(rt.prompter, tenant));
  const changes = await assignTickets(tenant, keys, who);
  const email = changes[0]!.after.assignee?.email;
  if (!one) return changesResult(tenant, changes, `Assigned to ${email}`, 'already assigned to them');
  const [change] = changes;
  return changeItem(tenant, change!, `Assigned ${change!.after.key} to ${email}.`, `${change!.after.key} is already assigned to ${email}.`);
}

/** On a terminal, the members to pick from, me first. */
async function pickMember(prompter: Prompter, tenant: Tenant): Promise<string> {
  const me = tenant.ctx.user.email;
  const members = prompter.interactive ? (await listMembers(tenant)).sort((a, b) => Number(b.user.email === me) - Number(a.user.email === me)) : [];
  return prompter.select(
    'Assign to',
    members.map((m) => ({ value: m.user.email, name: `${m.user.name} <${m.user.email}>${m.user.email === me ? ' (me)' : ''}` })),
    "the member's email or @me after the keys",
  );
}
