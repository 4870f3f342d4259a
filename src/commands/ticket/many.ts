// Verbs that act on many tickets at once (close, reopen, move, assign, unassign, edit, delete):
// several keys, or `-` for keys read from stdin, written in one transaction by the domain.
import { readAllStdin } from '../../cli/input.js';
import { noticeStdinRead } from '../../cli/io.js';
import type { InputSource } from '../../cli/define.js';
import type { Tenant } from '../../domain/guard.js';
import { TICKET_FIELDS, ticketJson, type TicketJson } from '../../domain/tickets/index.js';
import { usageError } from '../../errors.js';
import { list, type CommandResult } from '../../output/types.js';
import { counted, keyList } from '../shared/summary.js';
import type { TicketChange, TicketRecord } from '../../store/ports/tickets.js';

export const KEYS_ARG = ['<keys...>', 'tickets: ACME-42, 42 or #42; - reads keys from stdin'] as const;

/** The tickets a command names, and whether it named them as one ticket (the single-ticket output). */
export interface Keys {
  keys: string[];
  one: boolean;
}

/** What stdin may hold at most: keys, one per line or whitespace-separated. */
const MAX_KEYS_BYTES = 16 * 1024 * 1024;

/** The keys of the arguments, or of stdin for `-`; read in the input step, before the guard. */
export async function readKeys(args: readonly string[], source: InputSource): Promise<Keys> {
  if (!args.includes('-')) return { keys: [...args], one: args.length === 1 };
  if (args.length > 1) throw usageError('- reads the keys from stdin; pass it alone, without other keys');
  noticeStdinRead(source.io, 'the ticket keys');
  const keys = (await readAllStdin(source.io, 'the ticket keys', MAX_KEYS_BYTES)).split(/\s+/).filter((k) => k !== '');
  if (keys.length === 0) throw usageError('no ticket keys on stdin', 'pass keys one per line or separated by spaces');
  return { keys, one: false };
}

export const ticketCount = (n: number) => counted(n, 'ticket');

/**
 * Many tickets written: piped, their keys one per line; --json, an array of them; on a terminal,
 * one summary line ("✓ Closed 3 tickets: ACME-10, ACME-11, ACME-12").
 */
export function ticketsResult(tenant: Tenant, records: TicketRecord[], summary: string): CommandResult {
  return list<TicketJson>({
    items: records.map((t) => ticketJson(t, tenant.ctx.org)),
    fields: TICKET_FIELDS,
    columns: [{ header: 'KEY', value: (t) => t.key }],
    id: (t) => t.key,
    message: summary,
    summary: true,
  });
}

/** `done`: the verb in the past ("Closed"); `already`: what the unchanged ones already were ("already done"). */
export function changesResult(tenant: Tenant, changes: TicketChange[], done: string, already: string): CommandResult {
  const changed = changes.filter((c) => c.changed).map((c) => c.after.key);
  const unchanged = changes.filter((c) => !c.changed).map((c) => c.after.key);
  const parts = [changed.length > 0 ? `✓ ${done} ${ticketCount(changed.length)}: ${keyList(changed)}` : `Nothing changed`];
  if (unchanged.length > 0) parts.push(`${ticketCount(unchanged.length)} ${already}: ${keyList(unchanged)}`);
  return ticketsResult(tenant, changes.map((c) => c.after), parts.join('; ') + '.');
}

