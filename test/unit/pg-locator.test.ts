// PostgreSQL store URLs as libpq writes them: a Unix socket is an empty host (host= in the query);
// the label people see and the config keys never hold the password.
import { describe, expect, it } from 'vitest';
import { parseStoreLocator } from '../../src/store/locator.js';

describe('postgres:// locators', () => {
  it('takes an empty host (a Unix socket) and keeps the password out of the label', () => {
    const l = parseStoreLocator('postgres://team:s3cret@/tkt?host=/run/postgresql&port=5433', '/');
    expect(l).toMatchObject({ kind: 'postgres', label: 'postgres://team@/tkt', user: 'team', host: '/run/postgresql', database: 'tkt' });
    expect(JSON.stringify({ ...l, url: undefined })).not.toContain('s3cret');
  });

  it('keeps host and port of a TCP URL, and drops query parameters such as sslmode from the label', () => {
    const l = parseStoreLocator('postgresql://team:pw@db.example:6543/tkt?sslmode=require', '/');
    expect(l).toMatchObject({ kind: 'postgres', label: 'postgres://team@db.example:6543/tkt', host: 'db.example', port: 6543 });
  });

  it('a URL it cannot read is exit 2 without repeating it', () => {
    expect(() => parseStoreLocator('postgres://team:pw@[bad/tkt', '/')).toThrow(/not a valid PostgreSQL URL/);
    try {
      parseStoreLocator('postgres://team:pw@[bad/tkt', '/');
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('pw');
    }
  });
});
