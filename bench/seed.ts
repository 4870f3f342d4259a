// Builds a benchmark store through the real store layer: users, 1,000 organizations created by the
// org use case, members who join by invitation, tickets written by the store's import path
// (importMany: the path `tkt ticket import` takes) and comments by the comment path. Everything
// is drawn from a seeded random generator, so a store of a given size is the same on every machine.
//
// Bundled and run by bench/run.mjs (each prints a JSON manifest):
//   node seed.mjs skeleton <store.db>                             users, orgs, members
//   node seed.mjs tickets <copy of skeleton.db> <count> <skeleton.json>   tickets and comments
//   node seed.mjs import-file <file.json> <count> <email>…        a file for `ticket import`
//   node seed.mjs crowd <copy of a store> <count> <skeleton.json>  another org full of zeb… words
//
// The seeding connection runs with synchronous=OFF: a crash while seeding only loses a cache file
// that is built again (the file is written under a temporary name and renamed when complete).
import fs from 'node:fs';
import { auditEvent } from '../src/domain/audit-events.js';
import type { Principal } from '../src/domain/auth.js';
import type { Tenant } from '../src/domain/guard.js';
import { acceptInvite, createInvite } from '../src/domain/invites.js';
import { createOrg } from '../src/domain/orgs.js';
import { DEFAULT_SCRYPT, newSecret } from '../src/domain/secrets.js';
import { planImport } from '../src/domain/tickets/changes.js';
import { hashPassword } from '../src/lib/scrypt.js';
import type { UserRecord } from '../src/store/ports/common.js';
import type { NewTicket, TicketPriority, TicketStatus } from '../src/store/ports/tickets.js';
import { ftsQuery } from '../src/store/sqlite/search-index.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/store.js';

export const ORGS = 1000;
/** The big org holds a tenth of the store: 100,000 tickets of 1,000,000. */
export const BIG_SHARE = 0.1;
export const PASSWORD = 'bench-password-1';
export const BENCH_EMAIL = 'bench@example.com';
const MEMBERS_PER_ORG = 4;
const BIG_ORG_MEMBERS = 20;
/** Share of tickets that get comments (1–3 each). */
const COMMENTED = 0.01;
const DAY = 24 * 60 * 60 * 1000;
/** Tickets are dated in the two years before this fixed instant, so every run builds the same store. */
const EPOCH = Date.UTC(2025, 0, 1);

/** mulberry32: small, fast and good enough to spread test data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 're', 'su', 'ta', 'vo', 'ne', 'pi', 'da', 'gu', 'fe', 'ro', 'zi', 'ba', 'cho', 'lin', 'mar', 'tes', 'vik'];

/**
 * 2,000 made-up words used with a Zipf distribution (the r-th word about 1/r as often as the
 * first), like words in real tickets: a few are everywhere, most are rare.
 */
export function vocabulary(): string[] {
  const next = random(7);
  const words = new Set<string>();
  while (words.size < 2000) {
    const n = 2 + Math.floor(next() * 2);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

export function zipf(words: readonly string[], next: () => number): () => string {
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 1; r <= words.length; r++) cumulative.push((sum += 1 / r));
  return () => {
    const x = next() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

const STATUSES: TicketStatus[] = ['open', 'open', 'in_progress', 'done', 'done', 'done', 'canceled'];
const PRIORITIES: TicketPriority[] = ['none', 'none', 'low', 'medium', 'medium', 'high', 'urgent'];
const LABELS = ['bug', 'feature', 'chore', 'docs', 'ui', 'api', 'db', 'infra', 'security', 'perf', 'ux', 'billing'];

export interface TicketGenerator {
  ticket(assignees: readonly string[]): NewTicket;
  sentence(words: number): string;
}

/**
 * `count` tickets dated over the two years before EPOCH in the order they are made: numbers
 * follow creation, as they do in a real store and in what `ticket export` writes.
 */
export function ticketGenerator(seed: number, count: number): TicketGenerator {
  const next = random(seed);
  const word = zipf(vocabulary(), next);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const sentence = (n: number) => {
    let text = word();
    for (let i = 1; i < n; i++) text += ' ' + word();
    return text;
  };
  const step = (730 * DAY) / Math.max(count, 1);
  let clock = EPOCH - 730 * DAY;
  return {
    sentence,
    ticket(assignees) {
      clock += Math.floor(2 * step * next());
      const createdAt = clock;
      const labelCount = Math.floor(next() * 4); // 0–3
      const labels = [...new Set(Array.from({ length: labelCount }, () => pick(LABELS)))].sort();
      const title = sentence(4 + Math.floor(next() * 6));
      return {
        title: title[0]!.toUpperCase() + title.slice(1),
        body: `${sentence(12 + Math.floor(next() * 30))}.\n\n${sentence(8 + Math.floor(next() * 20))}.`,
        status: pick(STATUSES),
        priority: pick(PRIORITIES),
        assigneeEmail: assignees.length > 0 && next() < 0.7 ? pick(assignees) : null,
        labels,
        createdAt,
        updatedAt: createdAt + Math.floor(next() * 30 * DAY),
      };
    },
  };
}

/** Users, organizations and members: the same for every store size, so built once and copied. */
export interface Skeleton {
  orgs: Array<{ id: number; slug: string; key: string; owner: string; members: string[] }>;
  email: string;
  password: string;
  /** A session of the bench user, valid for years: the bench writes it into its own config file. */
  session: string;
  members: number;
  seconds: number;
}

export interface Manifest extends Omit<Skeleton, 'orgs'> {
  tickets: number;
  orgs: number;
  big: { id: number; slug: string; key: string; tickets: number; viewKey: string };
  small: { id: number; slug: string; key: string; tickets: number };
  /** The most frequent word found in at most 1% of the big org's tickets, for `ticket list --search`. */
  searchWord: string;
  searchHits: { big: number; small: number };
  comments: number;
}

function principalOf(user: UserRecord): Principal {
  // createOrg and the invitation use cases read only the user of the principal.
  return { user, credential: undefined as never, via: 'session' };
}

async function tenantOf(store: SqliteStore, email: string, orgId: number): Promise<Tenant> {
  const found = await store.identity.findUserByEmail(email);
  const ctx = found && (await store.directory.findMembership(found.user.id, { id: orgId }));
  if (!ctx) throw new Error(`seed: ${email} is not a member of org ${orgId}`);
  return { ctx, store: store.forOrg(ctx), principal: principalOf(found.user) };
}

function orgKey(i: number): string {
  let s = '';
  for (let n = i, k = 0; k < 3; k++, n = Math.floor(n / 26)) s = String.fromCharCode(65 + (n % 26)) + s;
  return `K${s}`;
}

function openForSeeding(file: string): SqliteStore {
  const store = openSqliteStore({ path: file });
  // Only for this connection, which builds a cache file: no fsync per transaction.
  store.conn.sqlite.pragma('synchronous = OFF');
  return store;
}

/**
 * Runs `work` inside one transaction of the seeding connection: each store operation in it is
 * still its own transaction (a savepoint), but there is one commit instead of thousands.
 */
async function inOneTransaction<T>(store: SqliteStore, work: () => Promise<T>): Promise<T> {
  store.conn.sqlite.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    store.conn.sqlite.exec('COMMIT');
    return result;
  } catch (err) {
    store.conn.sqlite.exec('ROLLBACK');
    throw err;
  }
}

/** The bench user, 2,000 other users, 1,000 orgs (org 0 "big", org 1 "small") and their members. */
export async function seedSkeleton(file: string): Promise<Skeleton> {
  const started = Date.now();
  const store = openForSeeding(file);
  const next = random(1);
  try {
    const passwordHash = await hashPassword(PASSWORD, DEFAULT_SCRYPT);
    const bench = await store.identity.createUser({ email: BENCH_EMAIL, name: 'Bench User', passwordHash });
    const { secret, hash } = newSecret('session');
    await store.identity.createCredential({ userId: bench.id, kind: 'session', name: null, tokenHash: hash, expiresAt: EPOCH + 100 * 365 * DAY });
    const people: UserRecord[] = [];
    const orgs: Skeleton['orgs'] = [];
    let members = 0;
    await inOneTransaction(store, async () => {
      for (let i = 0; i < ORGS * 2; i++) {
        people.push(await store.identity.createUser({ email: `user${i}@example.com`, name: `User ${i}`, passwordHash }));
      }
      for (let i = 0; i < ORGS; i++) {
        const isBig = i === 0;
        const isSmall = i === 1;
        const owner = isBig ? bench : people[i]!;
        const org = await createOrg(store, principalOf(owner), {
          name: isBig ? 'Big' : isSmall ? 'Small' : `Org ${i}`,
          slug: isBig ? 'big' : isSmall ? 'small' : `org-${i}`,
          key: isBig ? 'BIG' : isSmall ? 'SML' : orgKey(i),
        });
        const tenant = await tenantOf(store, owner.email, org.id);
        const joining = new Set<UserRecord>();
        if (isSmall) joining.add(bench);
        while (joining.size < (isBig ? BIG_ORG_MEMBERS : MEMBERS_PER_ORG)) {
          const candidate = people[Math.floor(next() * people.length)]!;
          if (candidate.id !== owner.id) joining.add(candidate);
        }
        for (const user of joining) {
          const role = user === bench ? 'member' : (['member', 'member', 'admin', 'viewer'] as const)[Math.floor(next() * 4)]!;
          const { token } = await createInvite(tenant, { email: user.email, role });
          await acceptInvite(store, user, token);
          members++;
        }
        orgs.push({ id: org.id, slug: org.slug, key: org.ticketKey, owner: owner.email, members: [...joining].map((u) => u.email) });
      }
    });
    store.conn.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { orgs, email: BENCH_EMAIL, password: PASSWORD, session: secret, members, seconds: (Date.now() - started) / 1000 };
  } finally {
    store.close();
  }
}

/**
 * Adds `total` tickets to a copy of the skeleton: a tenth in the big org, the rest spread evenly
 * over the other orgs, each org's by one import; then comments on about 1% of them.
 */
export async function seedTickets(file: string, skeleton: Skeleton, total: number): Promise<Manifest> {
  const started = Date.now();
  const store = openForSeeding(file);
  const next = random(total);
  const gen = ticketGenerator(total + 1, total);
  try {
    const bigCount = Math.round(total * BIG_SHARE);
    const rest = total - bigCount;
    let comments = 0;
    const counts: number[] = [];
    for (const [i, org] of skeleton.orgs.entries()) {
      // A commit every 50 orgs (each import and comment is still its own transaction inside).
      if (i % 50 === 0) {
        if (i > 0) store.conn.sqlite.exec('COMMIT');
        store.conn.sqlite.exec('BEGIN IMMEDIATE');
      }
      const tenant = await tenantOf(store, org.owner, org.id);
      const assignees = [org.owner, ...org.members];
      const count = i === 0 ? bigCount : Math.floor(rest / (ORGS - 1)) + (i - 1 < rest % (ORGS - 1) ? 1 : 0);
      counts.push(count);
      const drafts = Array.from({ length: count }, () => gen.ticket(assignees));
      if (count > 0) await tenant.store.tickets.importMany(drafts, (state) => planImport(tenant.ctx.org, state));
      const commenting: Array<Promise<unknown>> = [];
      for (let n = 1; n <= count; n++) {
        if (next() >= COMMENTED) continue;
        for (let c = 1 + Math.floor(next() * 3); c > 0; c--) {
          commenting.push(
            tenant.store.tickets.addComment(n, `${gen.sentence(6 + Math.floor(next() * 20))}.`, ({ ticket }) => (id) => auditEvent.ticketCommented(ticket!.key, id)),
          );
        }
      }
      await Promise.all(commenting);
      comments += commenting.length;
    }
    store.conn.sqlite.exec('COMMIT');

    const sqlite = store.conn.sqlite;
    const [bigOrg, smallOrg] = skeleton.orgs as [Skeleton['orgs'][0], Skeleton['orgs'][0]];
    // The ticket `ticket view` shows: one in the middle of the big org that has comments.
    const viewed = sqlite
      .prepare(
        `SELECT t.number FROM tickets t WHERE t.organization_id = ? AND t.number >= ?
           AND EXISTS (SELECT 1 FROM comments c WHERE c.organization_id = t.organization_id AND c.ticket_id = t.id)
         ORDER BY t.number LIMIT 1`,
      )
      .get(bigOrg.id, Math.ceil(counts[0]! / 2)) as { number: number } | undefined;
    const hits = (word: string, orgId: number) =>
      (
        sqlite
          .prepare(`SELECT count(*) AS n FROM ticket_search WHERE ticket_search MATCH ?`)
          .get(ftsQuery(orgId, [{ terms: [word], prefix: false }])) as { n: number }
      ).n;
    const searchWord = vocabulary().find((word) => hits(word, bigOrg.id) <= counts[0]! * 0.01)!;
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const { orgs: _orgs, ...identity } = skeleton;
    return {
      ...identity,
      tickets: total,
      orgs: skeleton.orgs.length,
      big: { id: bigOrg.id, slug: bigOrg.slug, key: bigOrg.key, tickets: counts[0]!, viewKey: `${bigOrg.key}-${viewed?.number ?? 1}` },
      small: { id: smallOrg.id, slug: smallOrg.slug, key: smallOrg.key, tickets: counts[1]! },
      searchWord,
      searchHits: { big: hits(searchWord, bigOrg.id), small: hits(searchWord, smallOrg.id) },
      comments,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    store.close();
  }
}

/**
 * A file in the shape `tkt ticket export --format json` writes (every field; key, number, org and
 * reporter are ignored by the import), with `assignee` among the given emails or null.
 */
export function writeImportFile(file: string, count: number, emails: string[]): void {
  const gen = ticketGenerator(count + 2, count);
  const person = (email: string) => ({ email, name: email.split('@')[0]! });
  const records = Array.from({ length: count }, (_, i) => {
    const t = gen.ticket(emails);
    return {
      key: `OLD-${i + 1}`,
      number: i + 1,
      title: t.title,
      body: t.body,
      status: t.status,
      priority: t.priority,
      assignee: t.assigneeEmail !== null ? person(t.assigneeEmail) : null,
      reporter: person(BENCH_EMAIL),
      labels: t.labels,
      createdAt: new Date(t.createdAt!).toISOString(),
      updatedAt: new Date(t.updatedAt!).toISOString(),
      org: 'old',
    };
  });
  fs.writeFileSync(file, JSON.stringify(records, null, 2) + '\n');
}

/**
 * Adds `count` tickets full of words starting with "zeb" to the org after the small one (the
 * bench user is not a member of it), for the search-isolation figures: a search in another org
 * must take as long with them as without (issue 11, item 2).
 */
export async function seedCrowd(file: string, skeleton: Skeleton, count: number): Promise<{ seconds: number; org: string; count: number }> {
  const started = Date.now();
  const store = openForSeeding(file);
  try {
    const org = skeleton.orgs[2]!;
    const tenant = await tenantOf(store, org.owner, org.id);
    const drafts = Array.from({ length: count }, (_, i) => ({
      title: `zebra zebu zebrafish ${i}`,
      body: `Zebras crossing zebra-crossing zebu zeb${i % 1000}`,
      status: 'open' as const,
      priority: 'none' as const,
      assigneeEmail: null,
      labels: [],
    }));
    await tenant.store.tickets.importMany(drafts, (state) => planImport(tenant.ctx.org, state));
    store.conn.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { seconds: (Date.now() - started) / 1000, org: org.slug, count };
  } finally {
    store.close();
  }
}

const [mode, file, arg, ...rest] = process.argv.slice(2);
if (mode === 'skeleton' && file) {
  process.stdout.write(JSON.stringify(await seedSkeleton(file)) + '\n');
} else if (mode === 'tickets' && file && arg && rest[0]) {
  const skeleton = JSON.parse(fs.readFileSync(rest[0], 'utf8')) as Skeleton;
  process.stdout.write(JSON.stringify(await seedTickets(file, skeleton, Number(arg))) + '\n');
} else if (mode === 'crowd' && file && arg && rest[0]) {
  const skeleton = JSON.parse(fs.readFileSync(rest[0], 'utf8')) as Skeleton;
  process.stdout.write(JSON.stringify(await seedCrowd(file, skeleton, Number(arg))) + '\n');
} else if (mode === 'import-file' && file && arg) {
  writeImportFile(file, Number(arg), rest);
} else if (mode !== undefined) {
  throw new Error(`seed: unknown arguments ${process.argv.slice(2).join(' ')}`);
}
