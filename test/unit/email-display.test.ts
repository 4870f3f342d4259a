// Lookalike emails on a terminal (issue 11, item 11): `member list` and the other email columns
// show an address with non-ASCII characters escaped, so аlice@example.com (a Cyrillic а) cannot
// pass for alice@example.com; piped output and JSON keep the exact text.
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { displayEmail } from '../../src/output/email.js';
import { Sandbox, type Person } from '../support/cli.js';
import { FAST_SCRYPT } from '../support/memory.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

const LOOKALIKE = '\u0430lice@example.com';

/** The CLI in this process, its stdout a terminal when `tty`. */
async function run(person: Person, args: string[], tty: boolean): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main({
    argv: args,
    env: sb.env(person.configDir, { NO_COLOR: '1' }) as NodeJS.ProcessEnv,
    cwd: sb.dir,
    io: {
      stdout: { write: (t: string) => (out += t), isTTY: tty },
      stderr: { write: (t: string) => (err += t), isTTY: tty },
      stdin: Readable.from([]),
    },
    scrypt: FAST_SCRYPT,
  });
  return { code, out, err };
}

describe('emails on a terminal', () => {
  it('escapes every non-ASCII character, and the backslash, so the mapping cannot be spoofed', () => {
    expect(displayEmail('alice@example.com')).toBe('alice@example.com');
    expect(displayEmail(LOOKALIKE)).toBe('\\u0430lice@example.com');
    expect(displayEmail('\\u0430lice@example.com')).toBe('\\\\u0430lice@example.com');
    expect(displayEmail('zoë@exämple.de')).toBe('zo\\u00eb@ex\\u00e4mple.de');
    expect(displayEmail('🦊@example.com')).toBe('\\u{1f98a}@example.com');
  });

  it('member list: the lookalike is escaped in the table; piped and JSON output keep the exact text', async () => {
    const owner = await sb.person('olivia@example.com');
    expect((await run(owner, ['org', 'create', 'Acme'], false)).code).toBe(0);
    await sb.person('alice@example.com');
    await sb.person(LOOKALIKE, 'Alice');
    withStore(sb, (db) => {
      seedMember(db, 'acme', 'alice@example.com', 'member');
      seedMember(db, 'acme', LOOKALIKE, 'admin');
    });

    const table = await run(owner, ['member', 'list'], true);
    expect(table.code, table.err).toBe(0);
    const lines = table.out.split('\n');
    expect(lines.some((l) => l.startsWith('alice@example.com '))).toBe(true);
    expect(lines.some((l) => l.startsWith('\\u0430lice@example.com '))).toBe(true);
    expect(table.out).not.toContain(LOOKALIKE);

    const plain = await run(owner, ['member', 'list'], false);
    expect(plain.out.split('\n').map((l) => l.split('\t')[0])).toContain(LOOKALIKE);
    const json = await run(owner, ['member', 'list', '--json', 'email'], true);
    expect(JSON.parse(json.out)).toContainEqual({ email: LOOKALIKE });

    // Details too: the invitation's email on a terminal.
    const invited = await run(owner, ['invite', 'create', '\u0430da@example.com', '--role', 'viewer'], true);
    expect(invited.code, invited.err).toBe(0);
    expect(invited.out).toMatch(/^email: +\\u0430da@example\.com$/m);
    expect(invited.out).not.toContain('\u0430');
    const listed = await run(owner, ['invite', 'list'], true);
    expect(listed.out).toContain('\\u0430da@example.com');
    expect(listed.out).not.toContain('\u0430');
  });
});
