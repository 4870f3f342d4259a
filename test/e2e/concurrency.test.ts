// Real processes racing on one store file. SQLite serialises writers with BEGIN IMMEDIATE and a
// busy timeout; these tests prove that what a user sees holds up under that: no SQLITE_BUSY, no
// lost or duplicated ticket number, never an org without an owner, and a WAL that does not grow
// without bound.
//
// The third race of the issue, eight processes accepting one invitation at once (exactly one
// membership), is in test/e2e/invites.test.ts ("eight processes accepting one token at once").
//
// Sizes: TKT_LONG_TESTS=1 (set by .ci/run) runs the issue's numbers, 8 writers × 250 creates;
// the default is 8 × 25, which already has eight processes contending for the write lock.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, Sandbox, type CliResult, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const LONG = process.env.TKT_LONG_TESTS === '1';
const WRITERS = 8;
const CREATES_PER_WRITER = LONG ? 250 : 25;
const OWNER_DUELS = LONG ? 24 : 8;
const ORGS = ['acme', 'beta'] as const;

/**
 * Why 8 MiB: SQLite checkpoints the WAL back into the database once it holds 1000 pages (4 MiB
 * with 4 KiB pages) and then reuses the file from its start, and the last connection to close
 * checkpoints and removes it; so a healthy WAL stays below 4 MiB whatever the number of writes
 * (these runs measure about 1 MiB). Twice that leaves room for a checkpoint briefly held back by a
 * reader that still needs old frames (every tkt command holds its read snapshot for
 * milliseconds). A WAL that is never checkpointed grows by about 80 KiB per create (the ticket,
 * its indexes, the search index, the audit event, the org's counter): 16 MiB for the default 200
 * creates, over 150 MiB for the long run's 2000, so either size catches it.
 */
const WAL_BOUND_BYTES = 8 * 1024 * 1024;

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let owner: Person;
let writers: Person[];

beforeAll(async () => {
  owner = await sb.person('owner@example.com');
  for (const org of ORGS) expect((await owner.run(['org', 'create', org])).code).toBe(0);
  writers = await Promise.all(Array.from({ length: WRITERS }, (_, w) => sb.person(`writer${w}@example.com`)));
  withStore(sb, (db) => {
    for (const w of writers) for (const org of ORGS) seedMember(db, org, w.email, 'member');
  });
});

interface Attempt {
  org: string;
  title: string;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

// One writer: a node process that runs `tkt ticket create` N times, one CLI process after the
// other, alternating between the two orgs, and reports each attempt as a JSON line.
const WRITER_SCRIPT = `
const { spawnSync } = require('node:child_process');
const [bin, n, writer, ...orgs] = process.argv.slice(1);
for (let i = 0; i < Number(n); i++) {
  const org = orgs[(Number(writer) + i) % orgs.length];
  const title = 'writer ' + writer + ' ticket ' + i;
  const r = spawnSync(process.execPath, [bin, '--org', org, 'ticket', 'create', '--title', title, '-q'], { encoding: 'utf8' });
  process.stdout.write(JSON.stringify({ org, title, code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }) + '\\n');
}
`;

function runWriter(person: Person, index: number): Promise<Attempt[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WRITER_SCRIPT, BIN, String(CREATES_PER_WRITER), String(index), ...ORGS], {
      env: sb.env(person.configDir) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`writer ${index} exited ${code}: ${Buffer.concat(err).toString()}`));
      resolve(Buffer.concat(out).toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as Attempt));
    });
  });
}

function walSize(): number {
  try {
    return fs.statSync(`${sb.dbPath}-wal`).size;
  } catch {
    return 0; // the last connection to close checkpoints and removes it
  }
}

async function dbCheckIsClean(): Promise<void> {
  const check = await owner.run(['db', 'check']);
  expect(check.code, check.stdout + check.stderr).toBe(0);
}

describe(`${WRITERS} writers × ${CREATES_PER_WRITER} ticket creates in two orgs, at once`, () => {
  let attempts: Attempt[];
  let largestWal = 0;

  beforeAll(async () => {
    const sampler = setInterval(() => {
      largestWal = Math.max(largestWal, walSize());
    }, 20);
    try {
      attempts = (await Promise.all(writers.map((w, i) => runWriter(w, i)))).flat();
    } finally {
      clearInterval(sampler);
    }
    largestWal = Math.max(largestWal, walSize());
    console.log(`largest WAL seen during ${attempts.length} creates: ${(largestWal / 1024 / 1024).toFixed(1)} MiB`);
  }, LONG ? 900_000 : 180_000);

  it('every create exits 0 with nothing on stderr: no SQLITE_BUSY reaches the user', () => {
    expect(attempts).toHaveLength(WRITERS * CREATES_PER_WRITER);
    const failed = attempts.filter((a) => a.code !== 0 || a.stderr !== '');
    expect(failed, JSON.stringify(failed.slice(0, 3), null, 2)).toEqual([]);
  });

  it('numbers are unique and gapless per org, and each create got the key it printed', async () => {
    for (const org of ORGS) {
      const listed = await owner.run(['--org', org, 'ticket', 'list', '--limit', '0', '--json', 'key,number,title']);
      expect(listed.code, listed.stderr).toBe(0);
      const rows = listed.json<Array<{ key: string; number: number; title: string }>>();
      const mine = attempts.filter((a) => a.org === org);
      expect(rows).toHaveLength(mine.length);
      expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: mine.length }, (_, i) => i + 1));
      // The key each process printed is the ticket that holds its title: nothing lost, nothing doubled.
      const byKey = new Map(rows.map((r) => [r.key, r.title]));
      for (const a of mine) expect(byKey.get(a.stdout.trim()), a.stdout).toBe(a.title);
    }
  });

  it('the store is consistent (db check) and the WAL stayed bounded, during the run and after it', async () => {
    await dbCheckIsClean();
    expect(largestWal).toBeLessThan(WAL_BOUND_BYTES);
    expect(walSize()).toBeLessThan(WAL_BOUND_BYTES);
  });
});

describe('the last two owners racing to step down or push each other out', () => {
  // Each duel: an org with exactly two owners, A and B, who act on each other at the same moment.
  // Whoever commits first succeeds (there are two owners then); the other is refused inside its
  // own transaction, against the roles as they are by then. Never can both succeed.
  type Move = (me: Person, other: Person, org: string) => string[];
  const demote: Move = (_me, other, org) => ['--org', org, 'member', 'set-role', other.email, 'admin'];
  const remove: Move = (_me, other, org) => ['--org', org, 'member', 'remove', '-y', other.email];
  const leave: Move = (_me, _other, org) => ['--org', org, 'org', 'leave', '-y'];
  const DUELS: Array<[string, Move, Move]> = [
    ['A demotes B while B removes A', demote, remove],
    ['each demotes the other', demote, demote],
    ['each removes the other', remove, remove],
    ['both leave', leave, leave],
  ];

  let a: Person;
  let b: Person;
  beforeAll(async () => {
    [a, b] = await Promise.all([sb.person('duel-a@example.com'), sb.person('duel-b@example.com')]);
  });

  function owners(org: string): string[] {
    return withStore(sb, (db) =>
      (
        db
          .prepare(
            `SELECT u.email FROM memberships m JOIN organizations o ON o.id = m.organization_id
             JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id
             WHERE o.slug = ? AND r.code = 'owner' ORDER BY u.email`,
          )
          .all(org) as Array<{ email: string }>
      ).map((r) => r.email),
    );
  }

  it(`${OWNER_DUELS} duels: exactly one side wins each, and the org always keeps an owner`, async () => {
    for (let round = 0; round < OWNER_DUELS; round++) {
      const [, moveA, moveB] = DUELS[round % DUELS.length]!;
      const org = `duel-${round}`;
      const key = `DUEL${String.fromCharCode(65 + Math.floor(round / 26), 65 + (round % 26))}`;
      expect((await a.run(['org', 'create', org, '--key', key])).code).toBe(0);
      withStore(sb, (db) => seedMember(db, org, b.email, 'owner'));
      expect(owners(org)).toEqual([a.email, b.email]);
      // Alternate who is started first, so each side gets to be the early one.
      const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
      const moves = new Map([
        [a, moveA(a, b, org)],
        [b, moveB(b, a, org)],
      ]);
      const results: CliResult[] = await Promise.all([first.run(moves.get(first)!), second.run(moves.get(second)!)]);
      const codes = results.map((r) => r.code).sort();
      const what = `${DUELS[round % DUELS.length]![0]} (round ${round}): ${results.map((r) => `${r.code} ${r.stderr.trim()}`).join(' | ')}`;
      expect(codes[0], what).toBe(0);
      expect([4, 6], what).toContain(codes[1]);
      expect(owners(org).length, what).toBeGreaterThanOrEqual(1);
    }
    await dbCheckIsClean();
  });
});
