import { Command, Option } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import * as parse from '../../cli/parse.js';
import { DEFAULT_LIST_LIMIT, listTickets, ticketJson } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { filtersOf, ticketList, withFilterFlags, type FilterOptions } from './shared.js';

export interface ListOptions extends FilterOptions {
  sort: string;
  limit: string;
}

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(
    withFilterFlags(
      new Command('list').alias('ls').description('tickets, newest first; piped: key, status, priority, assignee, labels, title'),
    )
      .addOption(new Option('--sort <field>', 'number (newest first), created, updated or priority (most urgent first)').default('number'))
      .addOption(new Option('--limit <n>', 'at most this many; 0 for all').default(String(DEFAULT_LIST_LIMIT))),
    { requirement: 'ticket:read', options: (flags) => flags, run },
  );
}

export async function listRun(opts: ListOptions, { tenant }: OrgDeps): Promise<CommandResult> {
  const found = await listTickets(tenant, filtersOf(opts), {
    sort: opts.sort,
    limit: parse.nonNegativeInt(opts.limit, '--limit'),
  });
  return ticketList(found.map((t) => ticketJson(t, tenant.ctx.org)), { paged: true });
}
