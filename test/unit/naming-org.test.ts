import { describe, expect, it } from 'vitest';
import { namingOrg } from '../../src/cli/define.js';
import { item, message } from '../../src/output/types.js';

describe('namingOrg: on a terminal, an org-scoped message names the org', () => {
  const said = (text: string) => (namingOrg(message(text), 'acme-corp') as { message: string }).message;

  it('appends the org, before a final full stop', () => {
    expect(said('Created ACME-5: Fix login')).toBe('Created ACME-5: Fix login (in acme-corp)');
    expect(said('Commented on ACME-5.')).toBe('Commented on ACME-5 (in acme-corp).');
  });

  it('leaves a message that names the org alone, but not one that names another org with the same start', () => {
    expect(said('Imported 3 tickets into acme-corp.')).toBe('Imported 3 tickets into acme-corp.');
    expect(said('Moved from acme-corp-old.')).toBe('Moved from acme-corp-old (in acme-corp).');
    expect(said('Moved from old-acme-corp.')).toBe('Moved from old-acme-corp (in acme-corp).');
  });

  it('leaves results without a message as they are', () => {
    const quiet = item({ item: { a: 1 }, fields: ['a'], details: [], id: () => '1' });
    expect(namingOrg(quiet, 'acme-corp')).toBe(quiet);
    expect(namingOrg(undefined, 'acme-corp')).toBeUndefined();
  });
});
