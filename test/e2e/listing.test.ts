// Listing that scales and forgiving input, through the real CLI: the unfinished-by-default list,
// the count footer on a terminal, pages and date filters, enum values in any spelling, assignees
// by name, another org's key, --json before a word, help and errors for people.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, Sandbox, type Person } from '../support/cli.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());

let alice: Person; // owner of acme-corp and of side-project
let bob: Person; // member of acme-corp
let carol: Person; // owner of globex, which alice is not in

const DAY = 864e5;

beforeAll(async () => {
  [alice, bob, carol] = (await Promise.all([
    sb.person('alice@example.com', 'Alice'),
    sb.person('bob@example.com', 'Bob Builder'),
    sb.person('carol@example.com', 'Carol'),
  ])) as [Person, Person, Person];
  expect((await alice.run(['org', 'create', 'Side Project', '--key', 'SIDE'])).code).toBe(0);
  expect((await alice.run(['org', 'create', 'Acme Corp'])).code).toBe(0); // the active one
  expect((await carol.run(['org', 'create', 'Globex'])).code).toBe(0);
  withStore(sb, (db) => seedMember(db, 'acme-corp', 'bob@example.com', 'member'));
  const now = Date.now();
  // 40 tickets: 1-5 done, 6 canceled, 7 in progress, the rest open; 1-10 created 30 days ago.
  const tickets = Array.from({ length: 40 }, (_, i) => ({
    title: `t${i + 1}`,
    status: i < 5 ? 'done' : i === 5 ? 'canceled' : i === 6 ? 'in_progress' : 'open',
    createdAt: new Date(now - (i < 10 ? 30 * DAY : 0)).toISOString(),
    updatedAt: new Date(now - (i < 10 ? 30 * DAY : 0)).toISOString(),
  }));
  const file = path.join(sb.dir, 'tickets.json');
  fs.writeFileSync(file, JSON.stringify(tickets));
  const imported = await alice.run(['ticket', 'import', file]);
  expect(imported.code, imported.stderr).toBe(0);
  expect((await alice.run(['--org', 'side-project', 'ticket', 'create', '--title', 'side one'])).code).toBe(0);
  expect((await carol.run(['ticket', 'create', '--title', 'globex one'])).code).toBe(0);
});

const keys = async (args: string[]) => {
  const r = await alice.run(['ticket', 'list', '-q', '--limit', '0', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.lines();
};

describe('ticket list', () => {
  it('shows the unfinished tickets by default; --status all shows every one; export keeps every status', async () => {
    expect(await keys([])).toHaveLength(34);
    expect((await keys([])).includes('ACME-7')).toBe(true);
    expect(await keys(['--status', 'all'])).toHaveLength(40);
    expect(await keys(['--status', 'done'])).toEqual(['ACME-5', 'ACME-4', 'ACME-3', 'ACME-2', 'ACME-1']);
    const exported = await alice.run(['ticket', 'export']);
    expect(exported.json()).toHaveLength(40);
  });

  it('on a terminal, a footer on stderr says how many there are and how to see more; piped, none', async () => {
    const tty = await alice.run(['ticket', 'list'], { env: { TKT_FORCE_TTY: '1', TKT_PAGER: 'cat' } });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stderr).toBe('Showing 30 of 34 tickets · --limit 0 for all · --page 2 for the next\n');
    const page2 = await alice.run(['ticket', 'list', '--page', '2'], { env: { TKT_FORCE_TTY: '1' } });
    expect(page2.stderr).toBe('Showing 31–34 of 34 tickets · --limit 0 for all\n');
    expect(page2.stdout).toContain('ACME-7');
    const piped = await alice.run(['ticket', 'list']);
    expect([piped.lines().length, piped.stderr]).toEqual([30, '']);
    const json = await alice.run(['ticket', 'list', '--json', 'key'], { env: { TKT_FORCE_TTY: '1' } });
    expect([json.json().length, json.stderr]).toEqual([30, '']);
    const all = await alice.run(['ticket', 'list', '--limit', '0'], { env: { TKT_FORCE_TTY: '1' } });
    expect(all.stderr).toBe('');
  });

  it('--page pages with --limit', async () => {
    const page = await alice.run(['ticket', 'list', '-q', '--limit', '3', '--page', '2']);
    expect(page.lines()).toEqual(['ACME-37', 'ACME-36', 'ACME-35']);
    expect((await alice.run(['ticket', 'list', '--page', '0'])).code).toBe(2);
  });

  it('filters by --created-since and --updated-since, as a date or an age', async () => {
    expect(await keys(['--status', 'all', '--created-since', '7d'])).toHaveLength(30);
    expect(await keys(['--status', 'all', '--updated-since', '40d'])).toHaveLength(40);
    const since = new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10);
    expect(await keys(['--status', 'all', '--created-since', since])).toHaveLength(30);
    const bad = await alice.run(['ticket', 'list', '--created-since', 'last week']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('invalid --created-since "last week"')]);
  });

  it('takes statuses in any spelling and suggests the nearest for a typo', async () => {
    expect(await keys(['--status', 'In-Progress'])).toEqual(['ACME-7']);
    expect(await keys(['--status', 'in progress'])).toEqual(['ACME-7']);
    expect(await keys(['--status', 'closed'])).toHaveLength(5);
    const typo = await alice.run(['ticket', 'list', '--status', 'opne']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'tkt: acme-corp has no status "opne"\n  did you mean "open"? its statuses: open, in_progress, done, canceled; categories: unstarted, started, completed, canceled; or all\n',
    );
    const moved = await alice.run(['ticket', 'move', '8', 'In Progress']);
    expect(moved.code, moved.stderr).toBe(0);
    expect((await alice.run(['ticket', 'view', '8', '--json', 'status'])).json()).toEqual({ status: 'in_progress' });
  });

  it('rejects unknown --sort, --priority, --format and audit --action values, listing the valid ones', async () => {
    const sort = await alice.run(['ticket', 'list', '--sort', 'titel']);
    expect([sort.code, sort.stderr]).toEqual([2, expect.stringContaining('valid sort values: number, created, updated, priority')]);
    const prio = await alice.run(['ticket', 'list', '--priority', 'urgnet']);
    expect([prio.code, prio.stderr]).toEqual([2, expect.stringContaining('did you mean "urgent"?')]);
    const format = await alice.run(['ticket', 'export', '--format', 'xml']);
    expect([format.code, format.stderr]).toEqual([2, expect.stringContaining('valid format values: json, csv')]);
    const action = await alice.run(['audit', 'list', '--action', 'ticket.mvoe']);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('did you mean "ticket.move"?');
    expect((await alice.run(['audit', 'list', '--action', 'ticket', '-q'])).code).toBe(0);
  });
});

describe('assignees by name or email prefix', () => {
  it('finds the one member; ambiguous or unknown is exit 2; a non-member is never found', async () => {
    const assigned = await alice.run(['ticket', 'assign', '9', 'bob']);
    expect(assigned.code, assigned.stderr).toBe(0);
    expect(await keys(['--assignee', 'Bob Builder'])).toEqual(['ACME-9']);
    expect(await keys(['--assignee', 'bo'])).toEqual(['ACME-9']);
    const nobody = await alice.run(['ticket', 'list', '--assignee', 'zed']);
    expect([nobody.code, nobody.stderr]).toEqual([2, 'tkt: no member of acme-corp matches "zed"\n  tkt member list shows the members; give an email\n']);
    await sb.person('bobby@example.com', 'Roberta');
    withStore(sb, (db) => seedMember(db, 'acme-corp', 'bobby@example.com', 'member'));
    const ambiguous = await alice.run(['ticket', 'assign', '10', 'bo']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('"bo" matches 2 members of acme-corp: Bob Builder <bob@example.com>, Roberta <bobby@example.com>');
    // carol is in globex, not in acme-corp: never a candidate, never named.
    const stranger = await alice.run(['ticket', 'assign', '9', 'carol']);
    expect([stranger.code, stranger.stderr]).toEqual([2, expect.stringContaining('no member of acme-corp matches "carol"')]);
  });
});

describe("another organization's key", () => {
  it('hints at the org when you are a member of it, and says nothing of an org you are not in', async () => {
    const mine = await alice.run(['ticket', 'view', 'SIDE-1']);
    expect(mine.code).toBe(5);
    expect(mine.stderr).toBe('tkt: ticket SIDE-1 not found in acme-corp\n  tkt --org side-project ticket view SIDE-1\n');
    const theirs = await alice.run(['ticket', 'view', 'GLOBEX-1']);
    const missing = await alice.run(['ticket', 'view', 'ACME-999']);
    expect(theirs.code).toBe(5);
    expect(theirs.stderr).toBe(missing.stderr.replaceAll('ACME-999', 'GLOBEX-1'));
    expect(theirs.stderr).not.toContain('globex');
    const nobody = await alice.run(['ticket', 'view', 'NOPE-1']);
    expect(nobody.stderr).toBe(missing.stderr.replaceAll('ACME-999', 'NOPE-1'));
  });
});

describe('--json before a word', () => {
  it('takes the word as fields only when it names fields of the command', async () => {
    const view = await alice.run(['ticket', 'view', '--json', '1']);
    expect(view.code, view.stderr).toBe(0);
    expect(view.json().key).toBe('ACME-1');
    const fields = await alice.run(['ticket', 'view', '1', '--json', 'key,status']);
    expect(fields.json()).toEqual({ key: 'ACME-1', status: 'done' });
    const first = await alice.run(['ticket', 'view', '--json', 'key', '1']);
    expect(first.json()).toEqual({ key: 'ACME-1' });
    const orgs = await alice.run(['--json', 'org', 'list']);
    expect(orgs.code, orgs.stderr).toBe(0);
    expect(orgs.json().map((o: { slug: string }) => o.slug).sort()).toEqual(['acme-corp', 'side-project']);
    const sw = await alice.run(['org', 'switch', '--json', 'side-project']);
    expect(sw.code, sw.stderr).toBe(0);
    expect(sw.json().slug).toBe('side-project');
    expect((await alice.run(['org', 'switch', 'acme-corp'])).code).toBe(0);
    const twice = await alice.run(['ticket', 'list', '--json', 'key', '--json', 'title']);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('--json was given more than once')]);
    const unknown = await alice.run(['ticket', 'list', '--json', 'key,titel']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown JSON field: titel')]);
  });
});

describe('help and errors for people', () => {
  it('shows suggestions on their own line, not as \\u000a', async () => {
    const r = await sb.run(['ticket', 'lst']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tkt: unknown command 'lst'\n(Did you mean one of list, ls?)\n  see tkt --help, or tkt <command> --help\n");
  });

  it('tkt help <command…> is that command\'s help; an unknown one is exit 2', async () => {
    const help = await sb.run(['help', 'ticket', 'list']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tkt ticket list\|ls \[options\]/);
    expect((await sb.run(['help', 'nope'])).code).toBe(2);
    expect((await sb.run(['help', 'ticket', 'nope'])).stderr).toContain('tkt ticket has no command "nope"');
  });

  it("every leaf command's help shows the global options and examples", async () => {
    for (const args of [['ticket', 'list'], ['org', 'create'], ['auth', 'token', 'create'], ['audit', 'list']]) {
      const help = await sb.run([...args, '--help']);
      expect(help.stdout).toContain('Global Options:\n');
      expect(help.stdout).toContain('  --org <slug>');
      expect(help.stdout).toMatch(new RegExp(`\\nExamples:\\n  tkt ${args.join(' ')} `));
    }
  });
});

describe('org create of a name with no Latin letters', () => {
  it('is exit 2 naming --slug and --key when it cannot ask; with them it works', async () => {
    const r = await bob.run(['org', 'create', '日本語']);
    expect([r.code, r.stderr]).toEqual([2, 'tkt: "日本語" has no Latin letters to make a slug and a ticket key from\n  pass --slug and --key, e.g. --slug tokyo --key TKY\n']);
    expect((await bob.run(['org', 'create', '🎉', '--slug', 'party'])).stderr).toContain('pass --key');
    const made = await bob.run(['org', 'create', '日本語', '--slug', 'nihon', '--key', 'NIH', '--json', 'slug,key']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.json()).toEqual({ slug: 'nihon', key: 'NIH' });
  });
});

describe('logging out and back in', () => {
  it('keeps the active organization', async () => {
    const dana = await sb.person('dana@example.com', 'Dana');
    expect((await dana.run(['org', 'create', 'Dana One'])).code).toBe(0);
    expect((await dana.run(['org', 'create', 'Dana Two', '--key', 'DTWO'])).code).toBe(0);
    expect((await dana.run(['org', 'switch', 'dana-one'])).code).toBe(0);
    expect((await dana.run(['auth', 'logout'])).code).toBe(0);
    const login = await dana.run(['auth', 'login', '--email', dana.email, '--password-stdin'], { input: PASSWORD });
    expect(login.code, login.stderr).toBe(0);
    expect((await dana.run(['org', 'current', '--json', 'slug'])).json()).toEqual({ slug: 'dana-one' });
  });
});
