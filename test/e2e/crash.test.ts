// A tkt process killed with SIGKILL at a random moment (no chance to clean up, like a crash or a
// power cut to the process) leaves the store consistent, and the command applied completely or
// not at all: one BEGIN IMMEDIATE transaction per command, and SQLite's WAL recovery, make it so.
//
// Sizes: TKT_LONG_TESTS=1 (set by .ci/run) kills 100 imports of 10,000 tickets and 100 org
// creates; the default kills 10 of each. The delays come from a seeded generator: the seed is
// printed, and TKT_CRASH_SEED=<seed> replays the same sequence of delays, as fractions of how long
// the command takes (where each one lands still depends on the machine's speed).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../src/cli/config.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { Sandbox, type CliResult, type Person } from '../support/cli.js';
import { withStore } from '../support/raw-store.js';
import { onPostgres, onSqlite } from '../support/stores.js';

const LONG = process.env.TKT_LONG_TESTS === '1';
const KILLS = LONG ? 100 : 10;
const IMPORT_ROWS = 10_000;
const TICKETS_BEFORE = 3;
/** The real `tkt db check` runs after every this-many kills (and the last); the same check runs in-process after every kill. */
const CLI_CHECK_EVERY = 10;

const SEED = process.env.TKT_CRASH_SEED ? Number(process.env.TKT_CRASH_SEED) : crypto.randomInt(2 ** 31);
if (!Number.isSafeInteger(SEED)) throw new Error(`TKT_CRASH_SEED must be a whole number, not ${process.env.TKT_CRASH_SEED}`);

/** mulberry32: a small, good-enough seeded generator of floats in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person;
let importFile: string;

beforeAll(async () => {
  console.log(`crash test seed ${SEED} (replay the same delays with TKT_CRASH_SEED=${SEED})`);
  alice = await sb.person('alice@example.com');
  expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
  for (let i = 1; i <= TICKETS_BEFORE; i++) {
    expect((await alice.run(['ticket', 'create', '--title', `before ${i}`, '--label', 'old'])).code).toBe(0);
  }
  // Every import run starts from this copy of the store (so imports that got through do not
  // pile up), at the same path, so Alice's saved session keeps matching it.
  sb.snapshot();

  importFile = path.join(sb.dir, 'import.json');
  const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => ({
    title: `imported ${i}`,
    body: `line one of ${i}\nline "two", with 'quotes' and ünïcödé`,
    status: ['open', 'in_progress', 'done', 'canceled'][i % 4],
    priority: ['none', 'low', 'medium', 'high', 'urgent'][i % 5],
    labels: ['imported', `batch-${i % 7}`],
  }));
  fs.writeFileSync(importFile, JSON.stringify(rows));
});

function restoreTemplate(): void {
  sb.restore();
}

/**
 * Where to kill: a random fraction (from the seed) of how long the command takes here and now,
 * up to a little past its end, so start-up, parsing, the write transaction and the commit all get
 * hit. The duration is re-measured from every run that finished before its kill, so a machine
 * that is busier or quieter than at calibration still gets its kills inside the command.
 */
class KillTimer {
  constructor(private expectedMs: number) {}

  next(): number {
    return random() * this.expectedMs * 1.1;
  }

  finishedIn(ms: number): void {
    this.expectedMs = ms;
  }

  get expected(): number {
    return this.expectedMs;
  }
}

/** Runs a command and SIGKILLs it after `delayMs` unless it finished first; measures how long it ran. */
async function runKilledAfter(args: string[], delayMs: number): Promise<{ result: CliResult; ms: number }> {
  const started = performance.now();
  const result = await alice.run(args, { timeoutMs: Math.max(1, Math.round(delayMs)) });
  return { result, ms: performance.now() - started };
}

/** `tkt db check`'s checks, in-process (cheap enough for every kill); the real CLI runs them every CLI_CHECK_EVERY kills. */
async function expectStoreConsistent(kill: number, total: number): Promise<void> {
  // On PostgreSQL: first let the killed client's server process end its transaction.
  sb.settle();
  if (onSqlite) {
    const store = openSqliteStore({ path: sb.dbPath });
    try {
      const failed = (await store.admin.check()).filter((c) => !c.ok);
      expect(failed, `after kill ${kill}`).toEqual([]);
    } finally {
      store.close();
    }
  }
  // On PostgreSQL the real check runs after every kill (the store's checks need a principal).
  if (onPostgres || (kill + 1) % CLI_CHECK_EVERY === 0 || kill === total - 1) {
    const check = await alice.run(['db', 'check']);
    expect(check.code, `tkt db check after kill ${kill}:\n${check.stdout}${check.stderr}`).toBe(0);
  }
}

interface ImportState {
  tickets: number;
  numbers: { min: number | null; max: number | null };
  nextNumber: number;
  importEvents: number;
  labelLinks: number;
  searchRows: number;
}

function importState(): ImportState {
  return withStore(sb, (db) => {
    const one = (sql: string) => db.prepare(sql).get() as Record<string, number>;
    return {
      tickets: one('SELECT count(*) AS n FROM tickets').n!,
      numbers: db.prepare('SELECT min(number) AS min, max(number) AS max FROM tickets').get() as ImportState['numbers'],
      nextNumber: one("SELECT next_ticket_number AS n FROM organizations WHERE slug = 'acme'").n!,
      importEvents: one("SELECT count(*) AS n FROM audit_events WHERE action = 'ticket.import'").n!,
      labelLinks: one('SELECT count(*) AS n FROM ticket_labels').n!,
      searchRows: one('SELECT count(*) AS n FROM ticket_search').n!,
    };
  });
}

describe(`SIGKILL during ticket import of ${IMPORT_ROWS} rows, ${KILLS} times`, () => {
  it('leaves a clean store with all of the import or none of it', async () => {
    restoreTemplate();
    const before = importState();
    expect(before.tickets).toBe(TICKETS_BEFORE);

    // One undisturbed run: how long an import takes here, and what "all of it" looks like.
    const full = await runKilledAfter(['ticket', 'import', importFile, '-q'], 10 * 60_000);
    expect(full.result.code, full.result.stderr).toBe(0);
    const after = importState();
    expect(after).toEqual({
      tickets: TICKETS_BEFORE + IMPORT_ROWS,
      numbers: { min: 1, max: TICKETS_BEFORE + IMPORT_ROWS },
      nextNumber: TICKETS_BEFORE + IMPORT_ROWS + 1,
      importEvents: before.importEvents + 1, // one ticket.import event names the whole key range
      labelLinks: before.labelLinks + 2 * IMPORT_ROWS,
      searchRows: TICKETS_BEFORE + IMPORT_ROWS,
    });

    const timer = new KillTimer(full.ms);
    const outcomes = { killed: 0, finished: 0, applied: 0, notApplied: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      restoreTemplate();
      const delay = timer.next();
      const { result, ms } = await runKilledAfter(['ticket', 'import', importFile, '-q'], delay);
      const what = `kill ${kill} after ${delay.toFixed(0)} ms (seed ${SEED}): exit ${result.code} ${result.stderr}`;
      expect([-1, 0], what).toContain(result.code);
      outcomes[result.code === 0 ? 'finished' : 'killed']++;
      if (result.code === 0) timer.finishedIn(ms);

      await expectStoreConsistent(kill, KILLS);
      const state = importState();
      if (state.tickets === before.tickets) {
        expect(state, what).toEqual(before);
        expect(result.code, `${what}: it said it succeeded but nothing is there`).toBe(-1);
        outcomes.notApplied++;
      } else {
        expect(state, what).toEqual(after);
        outcomes.applied++;
      }
    }
    console.log(`import: ${JSON.stringify(outcomes)} (an import took ${full.ms.toFixed(0)} ms at first, ${timer.expected.toFixed(0)} ms at the end)`);
  }, LONG ? 900_000 : 180_000);
});

describe(`SIGKILL during org create, ${KILLS} times`, () => {
  function orgState(slug: string) {
    return withStore(sb, (db) => {
      const org = db.prepare('SELECT id FROM organizations WHERE slug = ?').get(slug) as { id: number } | undefined;
      if (!org) return null;
      return {
        roles: (db.prepare('SELECT code FROM roles WHERE organization_id = ? AND is_system = true ORDER BY code').all(org.id) as Array<{ code: string }>).map((r) => r.code),
        allRoles: (db.prepare('SELECT count(*) AS n FROM roles WHERE organization_id = ?').get(org.id) as { n: number }).n,
        members: db
          .prepare(
            `SELECT u.email, r.code AS role FROM memberships m JOIN users u ON u.id = m.user_id
             JOIN roles r ON r.id = m.role_id WHERE m.organization_id = ?`,
          )
          .all(org.id),
        created: (db.prepare("SELECT count(*) AS n FROM audit_events WHERE organization_id = ? AND action = 'org.create'").get(org.id) as { n: number }).n,
      };
    });
  }

  const COMPLETE = {
    roles: ['admin', 'member', 'owner', 'viewer'],
    allRoles: 4,
    members: [{ email: 'alice@example.com', role: 'owner' }],
    created: 1,
  };

  it('leaves a clean store with the org, its four roles and its owner, or no trace of it', async () => {
    restoreTemplate();
    const full = await runKilledAfter(['org', 'create', 'Calibration', '--slug', 'calibration', '--key', 'CALIB'], 60_000);
    expect(full.result.code, full.result.stderr).toBe(0);
    expect(orgState('calibration')).toEqual(COMPLETE);

    const timer = new KillTimer(full.ms);
    const outcomes = { killed: 0, finished: 0, applied: 0, notApplied: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      const slug = `crash-${kill}`;
      const key = `CR${String.fromCharCode(65 + Math.floor(kill / 26) % 26, 65 + (kill % 26))}`;
      const delay = timer.next();
      const { result, ms } = await runKilledAfter(['org', 'create', `Crash ${kill}`, '--slug', slug, '--key', key], delay);
      const what = `kill ${kill} after ${delay.toFixed(0)} ms (seed ${SEED}): exit ${result.code} ${result.stderr}`;
      expect([-1, 0], what).toContain(result.code);
      outcomes[result.code === 0 ? 'finished' : 'killed']++;
      if (result.code === 0) timer.finishedIn(ms);

      await expectStoreConsistent(kill, KILLS);
      const state = orgState(slug);
      if (state === null) {
        expect(result.code, `${what}: it said it succeeded but the org is not there`).toBe(-1);
        outcomes.notApplied++;
      } else {
        expect(state, what).toEqual(COMPLETE);
        outcomes.applied++;
      }
      // The config is written after the commit (atomically, by conf): a kill never leaves it unreadable.
      expect(() => new ConfigFile({ TKT_CONFIG_DIR: alice.configDir }).forStore(sb.storeLabel), what).not.toThrow();
    }
    console.log(`org create: ${JSON.stringify(outcomes)} (an org create took ${full.ms.toFixed(0)} ms at first, ${timer.expected.toFixed(0)} ms at the end)`);
  }, LONG ? 600_000 : 120_000);
});

describe(`SIGKILL during attachment add of a 20 MiB file, ${KILLS} times`, () => {
  function attachmentState() {
    return withStore(sb, (db) => {
      const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      return {
        attachments: one('SELECT count(*) AS n FROM attachments'),
        blobs: one('SELECT count(*) AS n FROM attachment_blobs'),
        chunks: one('SELECT count(*) AS n FROM attachment_chunks'),
        bytes: one('SELECT coalesce(sum(length(data)), 0) AS n FROM attachment_chunks'),
        events: one("SELECT count(*) AS n FROM audit_events WHERE action = 'attachment.add'"),
      };
    });
  }

  it('leaves the whole attachment (content, row, event) or nothing, and no orphan chunk', async () => {
    restoreTemplate();
    const big = path.join(sb.dir, 'attach.bin');
    fs.writeFileSync(big, crypto.randomBytes(20 * 1024 * 1024));
    const before = attachmentState();
    expect(before).toEqual({ attachments: 0, blobs: 0, chunks: 0, bytes: 0, events: 0 });
    const full = await runKilledAfter(['--org', 'acme', 'attachment', 'add', 'ACME-1', big, '-q'], 120_000);
    expect(full.result.code, full.result.stderr).toBe(0);
    const after = attachmentState();
    expect(after).toEqual({ attachments: 1, blobs: 1, chunks: 80, bytes: 20 * 1024 * 1024, events: 1 });

    const timer = new KillTimer(full.ms);
    const outcomes = { killed: 0, finished: 0, applied: 0, notApplied: 0 };
    for (let kill = 0; kill < KILLS; kill++) {
      restoreTemplate();
      const delay = timer.next();
      const { result, ms } = await runKilledAfter(['--org', 'acme', 'attachment', 'add', 'ACME-1', big, '-q'], delay);
      const what = `kill ${kill} after ${delay.toFixed(0)} ms (seed ${SEED}): exit ${result.code} ${result.stderr}`;
      expect([-1, 0], what).toContain(result.code);
      outcomes[result.code === 0 ? 'finished' : 'killed']++;
      if (result.code === 0) timer.finishedIn(ms);
      await expectStoreConsistent(kill, KILLS);
      const state = attachmentState();
      if (state.attachments === 0) {
        expect(state, what).toEqual(before);
        expect(result.code, `${what}: it said it succeeded but nothing is there`).toBe(-1);
        outcomes.notApplied++;
      } else {
        expect(state, what).toEqual(after);
        outcomes.applied++;
      }
    }
    console.log(`attachment add: ${JSON.stringify(outcomes)} (an add took ${full.ms.toFixed(0)} ms at first, ${timer.expected.toFixed(0)} ms at the end)`);
  }, LONG ? 600_000 : 120_000);
});
