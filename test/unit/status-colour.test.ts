// On a terminal a status is coloured by its category, whatever the org calls it.
import { describe, expect, it } from 'vitest';
import { TICKET_DETAILS } from '../../src/commands/ticket/shared.js';
import type { TicketJson } from '../../src/domain/tickets/index.js';

describe('status colours', () => {
  it('follow the category, not the code', () => {
    const tone = TICKET_DETAILS.find((d) => d.label === 'status')!.tone!;
    const t = (status: string, statusCategory: TicketJson['statusCategory']) => ({ status, statusCategory }) as TicketJson;
    expect(tone(t('verified', 'completed'))).toBe('success');
    expect(tone(t('done', 'completed'))).toBe('success');
    expect(tone(t('backlog', 'unstarted'))).toBe('info');
    expect(tone(t('in_review', 'started'))).toBe('warning');
    expect(tone(t('wont_fix', 'canceled'))).toBe('muted');
    // A code that is a default status's but in another category here takes that category's colour.
    expect(tone(t('done', 'started'))).toBe('warning');
  });
});
