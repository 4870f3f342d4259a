import { Command, Option } from '@commander-js/extra-typings';
import type { Factory, OrgDeps, Run } from '../../cli/define.js';
import * as parse from '../../cli/parse.js';
import { DEFAULT_LIST_LIMIT, listTicketPage, TICKET_FIELDS, ticketJson, UNFINISHED } from '../../domain/tickets/index.js';
import type { CommandResult } from '../../output/types.js';
import { filtersOf, ticketList, withFilterFlags, type FilterOptions } from './shared.js';

export interface ListOptions extends FilterOptions {
  sort: string;
  limit: string;
  page?: string;
}

export function newCmdList(f: Factory, run: Run<ListOptions, OrgDeps> = listRun) {
  return f.orgCommand(
    withFilterFlags(
      new Command('list')
        .alias('ls')
        .description('unfinished tickets (statuses of the categories unstarted and started; --status all for every one), newest first; piped: key, status, priority, assignee, labels, title'),
    )
      .addOption(new Option('--sort <field>', 'number (newest first), created, updated or priority (most urgent first)').default('number'))
      .addOption(new Option('--limit <n>', 'at most this many; 0 for all').default(String(DEFAULT_LIST_LIMIT)))
      .option('--page <n>', 'the nth page of --limit tickets (default 1)'),
    { requirement: 'ticket:read', fields: TICKET_FIELDS, options: (flags) => flags, run },
  );
}

/** "Showing 31–60 of 5,008 tickets · --limit 0 for all · --page 3 for the next"; undefined when every match is shown. */
export function listFooter(shown: number, total: number, page: { number: number; size: number }): string | undefined {
  if (shown === 0 || shown >= total) return undefined;
  const first = (page.number - 1) * page.size + 1;
  const n = (x: number) => x.toLocaleString('en-US');
  const range = page.number > 1 ? `${n(first)}–${n(first + shown - 1)}` : n(shown);
  const parts = [`Showing ${range} of ${n(total)} ticket${total === 1 ? '' : 's'}`, '--limit 0 for all'];
  if (first - 1 + shown < total) parts.push(`--page ${page.number + 1} for the next`);
  return parts.join(' · ');
}

export async function listRun(opts: ListOptions, { rt, tenant }: OrgDeps): Promise<CommandResult> {
  const limit = parse.nonNegativeInt(opts.limit, '--limit');
  const page = opts.page !== undefined ? parse.positiveInt(opts.page, '--page') : 1;
  // The count costs a second query: only a table on a terminal shows it.
  const footer = rt.terminal.stdoutIsTTY && !rt.globals.json && !rt.globals.quiet && limit > 0;
  const found = await listTicketPage(tenant, filtersOf(opts, rt.clock.now(), UNFINISHED), { sort: opts.sort, limit, page }, footer);
  const text = found.total !== undefined ? listFooter(found.tickets.length, found.total, { number: page, size: limit }) : undefined;
  return ticketList(
    found.tickets.map((t) => ticketJson(t, tenant.ctx.org)),
    { paged: true, ...(text !== undefined ? { footer: text } : {}) },
  );
}
