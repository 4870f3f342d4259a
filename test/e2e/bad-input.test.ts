// Bad input, table-driven, over every command of the tree: empty strings, huge strings, NUL
// bytes, invalid UTF-8, control and bidi characters, SQL and shell metacharacters, negative and
// huge numbers, unknown flags, a malformed .tkt.json, a config that is not JSON, a store that is
// not SQLite, a read-only store. Every case must end with a documented exit code other than 1, a
// one-line message (plus at most a hint line) with no stack trace and no raw control characters,
// and the store exactly as it was (a dump of every row, before and after).
//
// Where the value is legitimate data (SQL or shell text in a title is just a title), the command
// may succeed; then the change is undone from a copy of the store before the next case, and
// "metacharacters are data" checks that such text comes back byte for byte.
//
// How: the matrix (the count is printed) runs main(), the CLI's entry point, in-process; a sample
// of every category and the read-only store cases run the built CLI as a real process.
// TKT_LONG_TESTS=1 adds, through real processes, every command's unknown flag and every command
// on a read-only folder.
//
// Argv cannot carry a NUL byte, and Linux limits one argument to 128 KiB: NUL, invalid UTF-8 and
// 1 MB values go through stdin, --body-file, import files, .tkt.json and the config file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { PASSWORD, ROOT, Sandbox, runCli, type CliResult, type Person, type RunOptions } from '../support/cli.js';
import { dumpStore, fileHash } from '../support/dump.js';
import { runInProcess } from '../support/inprocess.js';
import { AS_ROOT, runCliAs } from '../support/foreign-user.js';
import { seedMember } from '../support/members.js';
import { withStore } from '../support/raw-store.js';
import { onPostgres } from '../support/stores.js';

const LONG = process.env.TKT_LONG_TESTS === '1';

const sb = new Sandbox();
/** World-readable fixtures: the read-only store cases run the CLI as another user. */
const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-bad-input-'));
fs.chmodSync(shared, 0o755);
afterAll(() => {
  sb.cleanup();
  fs.rmSync(shared, { recursive: true, force: true });
});

/** Shell metacharacters try to create this file; it must never appear. */
const PWNED = path.join(sb.dir, 'pwned');

// ---- the values ----

interface Value {
  name: string;
  value: string;
}
const v = (name: string, value: string): Value => ({ name, value });

const EMPTY = v('empty', '');
const CONTROL = v('control characters', 'a\u001b[2J\u001b]0;title\u0007b');
const CARRIAGE = v('carriage return', 'ok\rFORGED');
const BIDI = v('bidi override', 'abc\u202edcba\u2066');
// Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); 1 MB goes through files and stdin.
const HUGE = v('100 KB', 'x'.repeat(100_000));
const SQL = [v('SQL quote', `' OR '1'='1' --`), v('SQL statement', `x"); DROP TABLE tickets; --`)];
const SHELL = [v('shell substitution', `$(touch ${PWNED})`), v('shell backticks', `\`touch ${PWNED}\` | cat; rm -rf ~ &&`)];
const NUMBERS = [
  v('-1', '-1'),
  v('0', '0'),
  v('1.5', '1.5'),
  v('1e3', '1e3'),
  v('0x10', '0x10'),
  v('NaN', 'NaN'),
  v('Infinity', 'Infinity'),
  v('20 digits', '99999999999999999999'),
  v('400 digits', '9'.repeat(400)),
];
const STRINGS = [EMPTY, CONTROL, CARRIAGE, BIDI, HUGE];
const HOSTILE = [...SQL, ...SHELL];

type Kind =
  | 'text'
  | 'label'
  | 'body'
  | 'bodyRequired'
  | 'search'
  | 'email'
  | 'who'
  | 'slug'
  | 'orgKey'
  | 'code'
  | 'newCode'
  | 'status'
  | 'newStatus'
  | 'permissions'
  | 'enum'
  | 'key'
  | 'id'
  | 'limit'
  | 'duration'
  | 'since'
  | 'token'
  | 'path';

/** For each kind of argument: values that must be refused, and values that are legitimate data. */
const KINDS: Record<Kind, { bad: Value[]; data?: Value[] }> = {
  text: { bad: STRINGS, data: HOSTILE },
  label: { bad: [...STRINGS, v('comma only', ','), v('empty after comma', 'a,')], data: HOSTILE },
  // A body holds any text but NUL (terminal output pasted into an issue: ESC, bidi), up to 65,536 characters.
  body: { bad: [HUGE], data: [EMPTY, CARRIAGE, CONTROL, BIDI, ...HOSTILE] },
  bodyRequired: { bad: [EMPTY, HUGE], data: [CARRIAGE, CONTROL, BIDI, ...HOSTILE] },
  search: {
    bad: STRINGS,
    // FTS5 syntax is searched for literally, never parsed; and nothing here is another org's.
    data: [...HOSTILE, v('FTS quote', '"'), v('FTS NEAR(', 'NEAR(a b'), v('FTS column filter', 'organization_id:o2'), v('FTS star', '*'), v('FTS caret', '^x')],
  },
  email: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('no @', 'no-at-sign'), v('no local part', '@example.com'), v('no dot', 'a@b')] },
  who: { bad: [...STRINGS, ...HOSTILE, v('@you', '@you'), v('no @', 'no-at-sign')] },
  slug: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('upper case', 'ACME'), v('path', '../etc'), v('too long', 'a'.repeat(41))] },
  orgKey: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('one letter', 'A'), v('11 letters', 'ABCDEFGHIJK'), v('digit', 'AB1'), v('lower case', 'acme'), v('taken', 'OTHER')] },
  code: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('upper case', 'TRIAGE'), v('one char', 'x'), v('unknown', 'no-such-role')] },
  newCode: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('upper case', 'TRIAGE'), v('one char', 'x'), v('taken', 'triage'), v('a system role', 'owner')] },
  // Workflow status codes: the baseline org acme has the four defaults, other has other_only too.
  status: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('upper case', 'IN_PROGRESS'), v('one char', 'x'), v('unknown', 'no_such_status'), v("another org's", 'other_only')] },
  newStatus: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('upper case', 'IN_REVIEW'), v('one char', 'x'), v('dash', 'in-review'), v('taken', 'in_progress'), v('another category', 'completed'), v('33 characters', 'a'.repeat(33))] },
  permissions: { bad: [...STRINGS, ...HOSTILE, v('comma', ','), v('bad wildcard', 'ticket:*x'), v('unknown', 'nope'), v('unknown after *', '*,nope')] },
  enum: { bad: [...STRINGS, ...HOSTILE, v('-1', '-1'), v('999', '999'), v('misspelt', 'opne')] },
  key: {
    bad: [
      ...STRINGS,
      ...HOSTILE,
      ...NUMBERS,
      v('number 0', 'ACME-0'),
      v('no number', 'ACME-'),
      v('hash only', '#'),
      v("another org's key", 'OTHER-1'),
      v('15 digits', 'ACME-999999999999999'),
      v('16 digits', '9999999999999999'),
    ],
  },
  id: { bad: [...STRINGS, ...HOSTILE, ...NUMBERS, v('15 digits', '999999999999999')] },
  limit: { bad: [...STRINGS, ...HOSTILE, ...NUMBERS.filter((n) => n.value !== '0'), v('above the maximum', '1000001')] },
  duration: {
    bad: [
      ...STRINGS,
      ...HOSTILE,
      v('-1d', '-1d'),
      v('0', '0'),
      v('0d', '0d'),
      v('1e309d', '1e309d'),
      v('20 digits', '99999999999999999999d'),
      v('NaN', 'NaN'),
      v('Infinity', 'Infinity'),
      v('30s', '30s'),
      v('400d', '400d'),
      v('1.5.5d', '1.5.5d'),
      v('words', '7 fortnights'),
    ],
  },
  since: { bad: [...STRINGS, ...HOSTILE, v('-1d', '-1d'), v('20 digits', '99999999999999999999d'), v('month 13', '2026-13-45'), v('word', 'yesterday'), v('year 275760', '+275760-09-14')] },
  token: {
    bad: [
      ...STRINGS,
      ...HOSTILE,
      v('prefix only', 'tkti_'),
      v('unknown token', `tkti_${'A'.repeat(43)}`),
      v('long token', `tkti_${'A'.repeat(100_000)}`),
      v('session token', `tkts_${'A'.repeat(43)}`),
    ],
  },
  path: { bad: [EMPTY, CONTROL, v('missing file', '/nonexistent/tkt/file'), v('a directory', os.tmpdir()), v('name too long', 'n'.repeat(5000))] },
};

// ---- the commands ----

interface Slot {
  /** Index into `args`, or the option whose value this is. */
  at: number | string;
  kind: Kind;
}

interface CommandCase {
  path: string;
  args?: string[];
  options?: string[];
  /** stdin of the valid invocation (a password). */
  input?: string;
  /** Whether the command changes the store when it succeeds. */
  writes: boolean;
  /** Needs a login (reads the config). */
  auth: boolean;
  slots?: Slot[];
}

let INVITE_ID = '';
let TOKEN_ID = '';
let API_TOKEN = '';
let SESSION_ID = '';

/**
 * Every command, in a valid invocation (it would succeed on the baseline store), with its
 * arguments and value options by kind. `demo` gets a store of its own (never the shared one).
 */
function commandTable(): CommandCase[] {
  return [
    { path: 'auth signup', options: ['--email', 'new@example.com', '--name', 'New', '--password-stdin'], input: 'a-new-long-password\n', writes: true, auth: false, slots: [{ at: '--email', kind: 'email' }, { at: '--name', kind: 'text' }, { at: '--invite', kind: 'token' }] },
    { path: 'auth login', options: ['--email', 'alice@example.com', '--password-stdin'], input: `${PASSWORD}\n`, writes: true, auth: false, slots: [{ at: '--email', kind: 'email' }] },
    { path: 'auth logout', writes: true, auth: true },
    { path: 'auth status', writes: false, auth: true },
    { path: 'auth password', options: ['--password-stdin'], input: `${PASSWORD}\na-new-long-password\n`, writes: true, auth: true },
    { path: 'auth session list', writes: false, auth: true },
    { path: 'auth session revoke', args: [SESSION_ID], writes: true, auth: true, slots: [{ at: 0, kind: 'id' }] },
    { path: 'auth token create', options: ['--name', 'ci'], writes: true, auth: true, slots: [{ at: '--name', kind: 'text' }, { at: '--expires', kind: 'duration' }] },
    { path: 'auth token list', writes: false, auth: true },
    { path: 'auth token revoke', args: [TOKEN_ID], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'id' }] },
    { path: 'org create', args: ['Neworg'], writes: true, auth: true, slots: [{ at: 0, kind: 'text' }, { at: '--slug', kind: 'slug' }, { at: '--key', kind: 'orgKey' }] },
    { path: 'org list', writes: false, auth: true },
    { path: 'org switch', args: ['acme'], writes: false, auth: true, slots: [{ at: 0, kind: 'slug' }] },
    { path: 'org current', writes: false, auth: true },
    { path: 'org rename', args: ['Acme Two'], writes: true, auth: true, slots: [{ at: 0, kind: 'text' }] },
    { path: 'org transfer', args: ['mem@example.com'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'email' }] },
    { path: 'org leave', options: ['-y'], writes: true, auth: true },
    { path: 'org delete', args: ['acme'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'slug' }] },
    { path: 'org set', options: ['--attachment-quota', '2GiB'], writes: true, auth: true },
    // An archive's path is any name the file system takes (control characters included): no slot.
    { path: 'org export', options: ['--out', EXPORT_FILE(), '--clobber'], writes: false, auth: true },
    { path: 'org import', args: [ARCHIVE_FILE()], options: ['--slug', 'copy', '--key', 'COPY'], writes: true, auth: true, slots: [{ at: 0, kind: 'path' }, { at: '--slug', kind: 'slug' }, { at: '--key', kind: 'orgKey' }] },
    // Attachment names are data of any kind (shown neutralised, written under a safe name): no slot for them.
    { path: 'attachment add', args: ['ACME-1', ATTACH_FILE()], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }, { at: 1, kind: 'path' }] },
    { path: 'attachment list', args: ['ACME-1'], writes: false, auth: true, slots: [{ at: 0, kind: 'key' }] },
    { path: 'attachment get', args: ['ACME-1', 'base.txt'], options: ['-o', '-'], writes: false, auth: true, slots: [{ at: 0, kind: 'key' }] },
    { path: 'attachment delete', args: ['ACME-1', 'base.txt'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }] },
    {
      path: 'ticket create',
      options: ['--title', 'A title'],
      writes: true,
      auth: true,
      slots: [
        { at: '--title', kind: 'text' },
        { at: '--body', kind: 'body' },
        { at: '--body-file', kind: 'path' },
        { at: '--priority', kind: 'enum' },
        { at: '--assignee', kind: 'who' },
        { at: '--label', kind: 'label' },
      ],
    },
    {
      path: 'ticket list',
      writes: false,
      auth: true,
      slots: [
        { at: '--status', kind: 'enum' },
        { at: '--assignee', kind: 'who' },
        { at: '--label', kind: 'label' },
        { at: '--priority', kind: 'enum' },
        { at: '--search', kind: 'search' },
        { at: '--sort', kind: 'enum' },
        { at: '--limit', kind: 'limit' },
      ],
    },
    { path: 'ticket view', args: ['ACME-1'], writes: false, auth: true, slots: [{ at: 0, kind: 'key' }] },
    {
      path: 'ticket edit',
      args: ['ACME-1'],
      options: ['--title', 'New title'],
      writes: true,
      auth: true,
      slots: [
        { at: 0, kind: 'key' },
        { at: '--title', kind: 'text' },
        { at: '--body', kind: 'body' },
        { at: '--body-file', kind: 'path' },
        { at: '--priority', kind: 'enum' },
        { at: '--add-label', kind: 'label' },
        { at: '--remove-label', kind: 'label' },
      ],
    },
    { path: 'ticket assign', args: ['ACME-1', 'mem@example.com'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }, { at: 1, kind: 'who' }] },
    { path: 'ticket unassign', args: ['ACME-2'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }] },
    { path: 'ticket move', args: ['ACME-1', 'in_progress'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }, { at: 1, kind: 'enum' }] },
    { path: 'ticket close', args: ['ACME-1'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }] },
    { path: 'ticket reopen', args: ['ACME-2'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }] },
    { path: 'ticket comment', args: ['ACME-1'], options: ['--body', 'A comment'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }, { at: '--body', kind: 'bodyRequired' }, { at: '--body-file', kind: 'path' }] },
    { path: 'ticket delete', args: ['ACME-1'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'key' }] },
    { path: 'ticket import', args: [IMPORT_FILE()], writes: true, auth: true, slots: [{ at: 0, kind: 'path' }, { at: '--format', kind: 'enum' }, { at: '--status-map', kind: 'text' }] },
    {
      path: 'ticket export',
      writes: false,
      auth: true,
      slots: [
        { at: '--format', kind: 'enum' },
        { at: '--status', kind: 'enum' },
        { at: '--search', kind: 'search' },
        { at: '--label', kind: 'label' },
        { at: '--limit', kind: 'limit' },
      ],
    },
    { path: 'workflow show', writes: false, auth: true },
    {
      path: 'workflow status add',
      args: ['in_review'],
      options: ['--category', 'started'],
      writes: true,
      auth: true,
      slots: [{ at: 0, kind: 'newStatus' }, { at: '--category', kind: 'enum' }, { at: '--name', kind: 'text' }, { at: '--after', kind: 'status' }],
    },
    { path: 'workflow status rename', args: ['in_progress'], options: ['--name', 'Doing'], writes: true, auth: true, slots: [{ at: 0, kind: 'status' }, { at: '--name', kind: 'text' }] },
    { path: 'workflow status remove', args: ['canceled'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'status' }, { at: '--move-to', kind: 'status' }] },
    { path: 'workflow status reorder', args: ['in_progress,open,done,canceled'], writes: true, auth: true, slots: [{ at: 0, kind: 'status' }] },
    { path: 'workflow transition allow', args: ['open', 'in_progress'], writes: true, auth: true, slots: [{ at: 0, kind: 'status' }, { at: 1, kind: 'status' }] },
    { path: 'workflow transition deny', args: ['open', 'done'], writes: true, auth: true, slots: [{ at: 0, kind: 'status' }, { at: 1, kind: 'status' }] },
    // The baseline's workflow is the default one: a reset there changes nothing.
    { path: 'workflow reset', options: ['-y'], writes: false, auth: true },
    { path: 'member list', writes: false, auth: true },
    { path: 'member set-role', args: ['mem@example.com', 'viewer'], writes: true, auth: true, slots: [{ at: 0, kind: 'email' }, { at: 1, kind: 'code' }] },
    { path: 'member remove', args: ['mem@example.com'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'email' }] },
    { path: 'role list', writes: false, auth: true },
    { path: 'role show', args: ['triage'], writes: false, auth: true, slots: [{ at: 0, kind: 'code' }] },
    {
      path: 'role create',
      args: ['newrole'],
      options: ['--name', 'New role', '--permissions', 'ticket:read'],
      writes: true,
      auth: true,
      slots: [{ at: 0, kind: 'newCode' }, { at: '--name', kind: 'text' }, { at: '--permissions', kind: 'permissions' }],
    },
    { path: 'role edit', args: ['triage'], options: ['--name', 'Triage 2'], writes: true, auth: true, slots: [{ at: 0, kind: 'code' }, { at: '--name', kind: 'text' }, { at: '--permissions', kind: 'permissions' }] },
    { path: 'role delete', args: ['triage'], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'code' }, { at: '--reassign', kind: 'code' }] },
    { path: 'role permissions', writes: false, auth: true },
    { path: 'access check', args: ['ticket:read'], writes: false, auth: true, slots: [{ at: 0, kind: 'permissions' }, { at: '--user', kind: 'email' }] },
    { path: 'invite create', args: ['erin@example.com'], options: ['--role', 'member'], writes: true, auth: true, slots: [{ at: 0, kind: 'email' }, { at: '--role', kind: 'code' }, { at: '--expires', kind: 'duration' }] },
    { path: 'invite list', writes: false, auth: true },
    { path: 'invite revoke', args: [INVITE_ID], options: ['-y'], writes: true, auth: true, slots: [{ at: 0, kind: 'id' }] },
    { path: 'invite accept', args: [`tkti_${'B'.repeat(43)}`], writes: true, auth: true, slots: [{ at: 0, kind: 'token' }] },
    {
      path: 'audit list',
      writes: false,
      auth: true,
      slots: [{ at: '--actor', kind: 'email' }, { at: '--action', kind: 'text' }, { at: '--since', kind: 'since' }, { at: '--limit', kind: 'limit' }],
    },
    { path: 'db init', writes: false, auth: false },
    { path: 'db status', writes: false, auth: false },
    { path: 'db migrate', writes: false, auth: false },
    { path: 'db check', writes: false, auth: false },
    { path: 'demo', options: ['--db', DEMO_DB()], writes: true, auth: false },
  ];
}

const IMPORT_FILE = () => path.join(shared, 'one-ticket.json');
const ATTACH_FILE = () => path.join(shared, 'base.txt');
const EXPORT_FILE = () => path.join(shared, 'exports', 'exported.tkt');
const ARCHIVE_FILE = () => path.join(shared, 'acme.tkt');
let demoCount = 0;
const DEMO_DB = () => path.join(sb.dir, 'demo', `demo-${++demoCount}.db`);

function argvOf(c: CommandCase, slot?: Slot, value?: string): string[] {
  const args = [...(c.args ?? [])];
  const options = [...(c.options ?? [])];
  if (slot && value !== undefined) {
    if (typeof slot.at === 'number') {
      args[slot.at] = value;
    } else {
      const i = options.indexOf(slot.at);
      if (i >= 0) options[i + 1] = value;
      else options.push(slot.at, value);
    }
  }
  return [...c.path.split(' '), ...args, ...options];
}

// ---- running a case and judging it ----

let alice: Person;
let baselineDb: string;
let baselineConfig: string;
let baseline: string;

type Runner = (args: string[], env: Record<string, string | undefined>, options?: RunOptions) => Promise<CliResult>;

function aliceEnv(extra: Record<string, string | undefined> = {}) {
  return sb.env(alice.configDir, extra);
}

function restoreBaseline(): void {
  sb.restore();
  restoreConfig();
}

function restoreConfig(): void {
  const file = path.join(alice.configDir, 'config.json');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current !== baselineConfig) fs.writeFileSync(file, baselineConfig, { mode: 0o600 });
}

interface Expect {
  /** Allowed exit codes (1 never is). */
  codes: number[];
  /** The store may change (exit 0 on legitimate data); it is restored afterwards. */
  mayChange?: boolean;
  /** A store that is not a SQLite store: compare its bytes instead of a dump. */
  bytesOf?: string;
  /** What a refusal's message must mention. */
  mentions?: string | RegExp;
}

const REFUSED = [2, 3, 4, 5, 6, 7];
const ANY_DOCUMENTED = [0, ...REFUSED];

let judged = 0;
afterAll(() => console.log(`bad input: ${judged} cases judged`));

/** Returns the problems with one result (empty when it behaved). */
function judge(what: string, r: CliResult, expected: Expect, before: string, after: string): string[] {
  judged++;
  const problems: string[] = [];
  const say = (p: string) => problems.push(`${what}: ${p} (exit ${r.code}; stderr ${JSON.stringify(r.stderr.slice(0, 300))})`);
  if (!expected.codes.includes(r.code)) say(`exit ${r.code}, expected one of ${expected.codes.join(',')}`);
  if (/\n\s+at /.test(r.stderr) || /\n\s+at /.test(r.stdout)) say('a stack trace');
  if (r.code !== 0) {
    const lines = r.stderr.replace(/\n$/, '').split('\n');
    if (!(lines.length === 1 || (lines.length === 2 && lines[1]!.startsWith('  ')))) say(`${lines.length} lines of message`);
    if (!lines[0]!.startsWith('tkt: ') && !lines[0]!.startsWith('{"error":')) say('the message does not start with "tkt: "');
    const mentions = expected.mentions;
    if (mentions !== undefined && !(typeof mentions === 'string' ? lines[0]!.includes(mentions) : mentions.test(lines[0]!))) {
      say(`the message does not mention ${String(mentions)}`);
    }
  }
  // A raw ESC, CR or bidi override in a message would let the input repaint the user's terminal.
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(r.stderr)) say('raw control or bidi characters in the message');
  if (before !== after && !(expected.mayChange && r.code === 0)) say('the store changed');
  if (fs.existsSync(PWNED)) say('a shell metacharacter was executed');
  return problems;
}

async function runCase(
  run: Runner,
  what: string,
  args: string[],
  expected: Expect,
  options: RunOptions = {},
): Promise<string[]> {
  const snapshot = () => (expected.bytesOf ? String(fileHash(expected.bytesOf)) : dumpStore(sb));
  const before = expected.bytesOf ? snapshot() : baseline;
  const r = await run(args, aliceEnv(options.env), { cwd: sb.dir, ...options });
  const after = snapshot();
  const problems = judge(what, r, expected, before, after);
  if (!expected.bytesOf && after !== before) restoreBaseline();
  else restoreConfig(); // a command that succeeded may have saved a session or an active org
  return problems;
}

const inProcess: Runner = runInProcess;
const realProcess: Runner = runCli;

// ---- the world ----

beforeAll(async () => {
  alice = await sb.person('alice@example.com', 'Alice');
  const [bob] = await Promise.all([sb.person('bob@example.com', 'Bob'), sb.person('mem@example.com'), sb.person('carol@example.com')]);
  const ok = async (p: Person, args: string[]) => {
    const r = await p.run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };
  await ok(alice, ['org', 'create', 'Acme']);
  await ok(bob!, ['org', 'create', 'Other']);
  await ok(bob!, ['ticket', 'create', '--title', 'secret of other']);
  await ok(bob!, ['workflow', 'status', 'add', 'other_only', '--category', 'started']);
  withStore(sb, (db) => {
    seedMember(db, 'acme', 'mem@example.com', 'member');
    seedMember(db, 'acme', 'carol@example.com', 'owner'); // so that alice may leave
  });
  await ok(alice, ['ticket', 'create', '--title', 'First', '--body', 'the body', '--label', 'bug']);
  await ok(alice, ['ticket', 'create', '--title', 'Second', '--assignee', 'mem@example.com']);
  await ok(alice, ['ticket', 'close', 'ACME-2']);
  await ok(alice, ['ticket', 'comment', 'ACME-1', '--body', 'a comment']);
  await ok(alice, ['role', 'create', 'triage', '--name', 'Triage', '--permissions', 'ticket:read,member:read']);
  INVITE_ID = String((await ok(alice, ['invite', 'create', 'dana@example.com', '--role', 'member', '--json'])).json().id);
  const token = (await ok(alice, ['auth', 'token', 'create', '--name', 'ci', '--json'])).json();
  TOKEN_ID = String(token.id);
  API_TOKEN = token.token;
  // A second session of alice's (another laptop), for session revoke.
  const laptop = path.join(sb.dir, 'alice-laptop-2');
  const login = await runInProcess(['auth', 'login', '--email', alice.email, '--password-stdin'], sb.env(laptop), { cwd: sb.dir, input: `${PASSWORD}\n` });
  expect(login.code, login.stderr).toBe(0);
  SESSION_ID = String((await ok(alice, ['auth', 'session', 'list', '--json'])).json().find((s: { current: boolean }) => !s.current).id);
  fs.writeFileSync(IMPORT_FILE(), JSON.stringify([{ title: 'imported' }]), { mode: 0o644 });
  fs.writeFileSync(ATTACH_FILE(), 'an attachment\n', { mode: 0o644 });
  await ok(alice, ['attachment', 'add', 'ACME-1', ATTACH_FILE()]);
  await ok(alice, ['org', 'export', '--out', ARCHIVE_FILE()]);
  fs.chmodSync(ARCHIVE_FILE(), 0o644); // archives are written 0600; the read-only cases read it as another user
  fs.mkdirSync(path.dirname(EXPORT_FILE()), { mode: 0o777 });
  fs.chmodSync(path.dirname(EXPORT_FILE()), 0o777);
  fs.mkdirSync(path.dirname(DEMO_DB()), { recursive: true });

  sb.snapshot(); // the SQLite file's copy is snapshot.db, which the damaged-store cases start from
  baselineDb = path.join(sb.dir, 'snapshot.db');
  baselineConfig = fs.readFileSync(path.join(alice.configDir, 'config.json'), 'utf8');
  baseline = dumpStore(sb);
}, 120_000);

// ---- every command is in the table ----

function leaves(command: Command, at: string[] = []): string[] {
  if (command.commands.length === 0) return [at.join(' ')];
  return command.commands.flatMap((c) => leaves(c, [...at, c.name()]));
}

describe('the table covers the command tree', () => {
  it('has a row for every command, and no row for a command that does not exist', () => {
    const program = buildProgram({
      io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin },
      env: {},
      cwd: ROOT,
    });
    // Completion neither reads the store to print a script nor fails on bad input (__complete
    // answers nothing): test/e2e/completion.test.ts covers it.
    const tree = leaves(program).filter((p) => !p.startsWith('completion ')).sort();
    const table = commandTable().map((c) => c.path).sort();
    expect(table, 'add the new command to commandTable() in test/e2e/bad-input.test.ts').toEqual(tree);
  });
});

// ---- arguments and options, every command ----

describe('bad arguments and options, every command', () => {
  it.each(commandTable().map((c) => [c.path]))('%s', async (commandPath) => {
    const c = commandTable().find((x) => x.path === commandPath)!;
    const problems: string[] = [];
    const input = c.input !== undefined ? { input: c.input } : {};
    // Unknown flags, a stray argument: commander refuses them before anything runs.
    for (const extra of [['--no-such-flag'], ['--no-such-flag=1'], ['-Z'], ['stray-argument']]) {
      problems.push(...(await runCase(inProcess, `${c.path} ${extra.join(' ')}`, [...argvOf(c), ...extra], { codes: [2] }, input)));
    }
    for (const slot of c.slots ?? []) {
      const kind = KINDS[slot.kind];
      for (const value of kind.bad) {
        const what = `${c.path} ${typeof slot.at === 'number' ? `<arg ${slot.at}>` : slot.at} = ${value.name}`;
        problems.push(...(await runCase(inProcess, what, argvOf(c, slot, value.value), { codes: REFUSED }, input)));
      }
      for (const value of kind.data ?? []) {
        const what = `${c.path} ${typeof slot.at === 'number' ? `<arg ${slot.at}>` : slot.at} = ${value.name} (data)`;
        problems.push(...(await runCase(inProcess, what, argvOf(c, slot, value.value), { codes: ANY_DOCUMENTED, mayChange: c.writes }, input)));
      }
    }
    expect(problems).toEqual([]);
  });
});

// ---- TKT_TOKEN: the config is never written ----

describe('with TKT_TOKEN', () => {
  /** Every file of the folder with its bytes and modification time; "missing" when there is no folder. */
  function snapshotDir(dir: string): string {
    if (!fs.existsSync(dir)) return 'missing';
    return JSON.stringify(
      fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8'), fs.statSync(path.join(dir, f)).mtimeMs]),
    );
  }

  it('no command writes the config: a saved one stays byte for byte, a missing one stays missing', async () => {
    const problems: string[] = [];
    const fresh = path.join(sb.dir, 'token-only-config');
    for (const c of commandTable()) {
      for (const configDir of [alice.configDir, fresh]) {
        const before = snapshotDir(configDir);
        const env = aliceEnv({ TKT_TOKEN: API_TOKEN, TKT_ORG: 'acme', TKT_CONFIG_DIR: configDir });
        const r = await inProcess(argvOf(c), env, { cwd: sb.dir, ...(c.input !== undefined ? { input: c.input } : {}) });
        const after = snapshotDir(configDir);
        if (after !== before) problems.push(`${c.path} (config ${configDir === fresh ? 'missing' : 'saved'}): the config dir changed (exit ${r.code}: ${r.stderr.trim()})`);
        if (!ANY_DOCUMENTED.includes(r.code)) problems.push(`${c.path}: exit ${r.code}: ${r.stderr.trim()}`);
        restoreBaseline();
      }
    }
    expect(problems).toEqual([]);
    // Every command twice, each followed by a restore of the baseline (a database clone on
    // PostgreSQL): 50 s on a loaded 2-core machine, too close to the default 60 s.
  }, 180_000);
});

describe('global options', () => {
  it('--org, --db and --json refuse bad values', async () => {
    const problems: string[] = [];
    const reading = ['org', 'current'];
    const writing = ['ticket', 'create', '--title', 'x'];
    const cases: Array<[string[], string, Value[]]> = [
      [reading, '--org', [...KINDS.slug.bad, v('unknown org', 'no-such-org'), v("someone else's org", 'other')]],
      [writing, '--org', [...KINDS.slug.bad, v('unknown org', 'no-such-org'), v("someone else's org", 'other')]],
      [reading, '--db', [EMPTY, v('a directory', sb.dir), v('name too long', `${sb.dir}/${'n'.repeat(5000)}`)]],
      [writing, '--db', [EMPTY, v('a directory', sb.dir), v('name too long', `${sb.dir}/${'n'.repeat(5000)}`)]],
      [reading, '--json', [v('unknown field', 'nope'), v('unknown and known', 'slug,nope'), CONTROL, BIDI, HUGE]],
    ];
    for (const [args, flag, values] of cases) {
      for (const value of values) {
        const argv = flag === '--json' ? [...args, `--json=${value.value}`] : [flag, value.value, ...args];
        problems.push(...(await runCase(inProcess, `${args.join(' ')} ${flag} ${value.name}`, argv, { codes: REFUSED })));
      }
    }
    expect(problems).toEqual([]);
  });

  // The field list is checked before the command runs, so a typo in it never leaves a change behind.
  it('an unknown --json field is exit 2 for every command, and nothing is written', async () => {
    const problems: string[] = [];
    for (const c of commandTable()) {
      const input = c.input !== undefined ? { input: c.input } : {};
      problems.push(...(await runCase(inProcess, `${c.path} --json=nope`, [...argvOf(c), '--json=nope'], { codes: [2] }, input)));
    }
    expect(problems).toEqual([]);
  });
});

// ---- NUL bytes, invalid UTF-8 and 1 MB through stdin and files ----

const NUL = Buffer.from('before\u0000after', 'utf8');
const INVALID_UTF8 = Buffer.from([0x61, 0xff, 0xfe, 0x62, 0xc0, 0xaf, 0xed, 0xa0, 0x80]);
const MEGABYTE = Buffer.from('x'.repeat(1 << 20));
const MEGABYTE_MULTIBYTE = Buffer.from('ü'.repeat(1 << 19));

function file(name: string, content: Buffer | string): string {
  const f = path.join(sb.dir, 'inputs', name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, content);
  return f;
}

const json = (value: unknown) => JSON.stringify(value);

/** [what, argv, stdin] — every command that reads stdin or a file, with each hostile content. */
function streamCases(): Array<[string, string[], Buffer | string | undefined]> {
  const bodies: Array<[string, Buffer]> = [
    ['NUL', NUL],
    ['invalid UTF-8', INVALID_UTF8],
    ['1 MB', MEGABYTE],
    ['1 MB of multi-byte', MEGABYTE_MULTIBYTE],
  ];
  const imports: Array<[string, Buffer | string]> = [
    ['NUL in a JSON string', json([{ title: 'a\u0000b' }])],
    ['raw NUL byte', Buffer.concat([Buffer.from('[{"title":"a'), Buffer.from([0]), Buffer.from('"}]')])],
    ['invalid UTF-8', Buffer.concat([Buffer.from('[{"title":"'), INVALID_UTF8, Buffer.from('"}]')])],
    ['unpaired surrogate escape', '[{"title":"\\ud800"}]'],
    ['1 MB title', json([{ title: 'x'.repeat(1 << 20) }])],
    ['1 MB of garbage', MEGABYTE],
    ['1 MB of open brackets', '['.repeat(1 << 20)],
    ['empty file', ''],
    ['not records', json('x')],
    ['a number as title', json([{ title: 42 }])],
    ['a negative priority', json([{ title: 'x', priority: -1 }])],
    ['a huge number as status', json([{ title: 'x', status: 1e308 }])],
    ['a time past year 275760', json([{ title: 'x', createdAt: '+275760-09-14T00:00:00Z' }])],
    ['__proto__ key', '[{"title":"x","__proto__":{"admin":true}}]'],
    ['control characters in a label', json([{ title: 'x', labels: ['a\u001bb'] }])],
    ['bidi in a label', json([{ title: 'x', labels: ['abc\u202edcba'] }])],
    ['SQL as an unknown field', json([{ title: 'x', "status = 'done'; --": 'x' }])],
    ['an unknown assignee', json([{ title: 'x', assignee: 'nobody@example.com' }])],
    ["another org's member as assignee", json([{ title: 'x', assignee: 'bob@example.com' }])],
    ['one good and one bad record', json([{ title: 'good' }, { title: '' }])],
  ];
  const csv: Array<[string, Buffer | string]> = [
    ['CSV with NUL', 'title\na\u0000b\n'],
    ['CSV with invalid UTF-8', Buffer.concat([Buffer.from('title\n'), INVALID_UTF8, Buffer.from('\n')])],
    ['CSV with an unclosed quote', 'title\n"abc\n'],
    ['CSV with an unknown column', 'title,evil\nx,y\n'],
    ['CSV with a formula', 'title,priority\n=cmd|calc,high;DROP\n'],
  ];
  const cases: Array<[string, string[], Buffer | string | undefined]> = [];
  for (const [name, content] of bodies) {
    const f = file(`body-${name}`, content);
    cases.push(
      [`ticket create --body-file (${name})`, ['ticket', 'create', '--title', 'x', '--body-file', f], undefined],
      [`ticket create --body-file - (${name})`, ['ticket', 'create', '--title', 'x', '--body-file', '-'], content],
      [`ticket edit --body-file (${name})`, ['ticket', 'edit', 'ACME-1', '--body-file', f], undefined],
      [`ticket comment --body-file - (${name})`, ['ticket', 'comment', 'ACME-1', '--body-file', '-'], content],
      [`auth signup --password-stdin (${name})`, ['auth', 'signup', '--email', 'new@example.com', '--name', 'New', '--password-stdin'], content],
      [`auth login --password-stdin (${name})`, ['auth', 'login', '--email', 'alice@example.com', '--password-stdin'], content],
    );
  }
  for (const [name, content] of imports) {
    cases.push(
      [`ticket import file (${name})`, ['ticket', 'import', file(`import-${name}.json`, content)], undefined],
      [`ticket import - (${name})`, ['ticket', 'import', '-'], content],
    );
  }
  for (const [name, content] of csv) {
    cases.push([`ticket import (${name})`, ['ticket', 'import', file(`import-${name}.csv`, content)], undefined]);
  }
  return cases;
}

describe('NUL bytes, invalid UTF-8 and 1 MB through stdin and files', () => {
  it('every reader refuses them whole: nothing half-imported', async () => {
    const problems: string[] = [];
    for (const [what, argv, input] of streamCases()) {
      problems.push(...(await runCase(inProcess, what, argv, { codes: REFUSED }, input !== undefined ? { input } : {})));
    }
    expect(problems).toEqual([]);
  });
});

// ---- .tkt.json, the config file and the store file themselves ----

/** Everything after `.tkt.json`, the config and the store have been made hostile, every command. */
describe('a malformed .tkt.json, a config that is not JSON, a store that is not SQLite', () => {
  const projectFiles: Array<[string, Buffer | string]> = [
    ['not JSON', '{"org": "acme",'],
    ['an array', '[]'],
    ['org is a number', '{"org": 5}'],
    ['db is empty', '{"db": ""}'],
    ['NUL', Buffer.from('{"org":"ac\u0000me"}')],
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"org":"'), INVALID_UTF8, Buffer.from('"}')])],
    ['1 MB', Buffer.concat([Buffer.from('{"org":"'), MEGABYTE])],
  ];

  it.each(projectFiles.map(([name]) => [name]))('.tkt.json: %s → exit 2 naming the file, for every command', async (name) => {
    const content = projectFiles.find(([n]) => n === name)![1];
    const dir = path.join(sb.dir, 'projects', name.replace(/\W+/g, '-'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.tkt.json'), content);
    const problems: string[] = [];
    for (const c of commandTable()) {
      const input = c.input !== undefined ? { input: c.input } : {};
      problems.push(...(await runCase(inProcess, `${c.path} with .tkt.json ${name}`, argvOf(c), { codes: [2], mentions: path.join(dir, '.tkt.json') }, { cwd: dir, ...input })));
    }
    expect(problems).toEqual([]);
  });

  const configs = (store: string): Array<[string, Buffer | string]> => [
    ['not JSON', 'this is not json'],
    ['NUL', Buffer.from('{"stores":\u0000}')],
    ['invalid UTF-8', INVALID_UTF8],
    ['1 MB of garbage', MEGABYTE],
    ['an array', '[]'],
    ['stores is an array', '{"stores": []}'],
    ['a malformed session', json({ stores: { [store]: { session: "tkts_' OR 1=1 --" } } })],
    ['a negative active org', json({ stores: { [store]: { session: `tkts_${'A'.repeat(43)}`, activeOrgId: -1 } } })],
    ['an active org of 1e400', `{"stores": {${json(store)}: {"session": "tkts_${'A'.repeat(43)}", "activeOrgId": 1e400}}}`],
  ];

  it.each(configs('').map(([name]) => [name]))('config: %s → exit 3 for every command that needs a login', async (name) => {
    const content = configs(sb.storeLabel).find(([n]) => n === name)![1];
    const problems: string[] = [];
    // demo never reads the config: it logs its own people in to its own store.
    const commands = commandTable().filter((c) => c.path !== 'demo');
    for (const c of commands) {
      fs.writeFileSync(path.join(alice.configDir, 'config.json'), content);
      // signup and login replace a damaged config (how a user repairs it); db never reads it.
      // db init makes SQLite stores: on PostgreSQL it is a usage error (exit 2) whatever the config.
      const expected: Expect = c.auth
        ? { codes: [3], mentions: 'config' }
        : onPostgres && c.path === 'db init'
          ? { codes: [2] }
          : { codes: [0], mayChange: c.writes };
      problems.push(...(await runCase(inProcess, `${c.path} with config ${name}`, argvOf(c), expected, c.input !== undefined ? { input: c.input } : {})));
    }
    expect(problems).toEqual([]);
  });

  const stores: Array<[string, (f: string) => void]> = [
    ['text', (f) => fs.writeFileSync(f, 'hello, I am not a database\n')],
    ['random bytes', (f) => fs.writeFileSync(f, Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 251)))],
    ['a truncated store', (f) => fs.writeFileSync(f, fs.readFileSync(baselineDb).subarray(0, 8192))],
    ['another application’s SQLite database', (f) => withSqlite(f, (db) => db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)'))],
    ['a store from a newer tkt', (f) => {
      fs.copyFileSync(baselineDb, f);
      withSqlite(f, (db) => db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', 9_999_999_999_999));
    }],
  ];

  // Damaged SQLite files: a PostgreSQL store has no file to damage.
  it.skipIf(onPostgres).each(stores.map(([name]) => [name]))('store: %s → exit 7 for every command, and the file is untouched', async (name) => {
    const make = stores.find(([n]) => n === name)![1];
    const dir = fs.mkdtempSync(path.join(sb.dir, 'store-'));
    const store = path.join(dir, 'tkt.db');
    make(store);
    const problems: string[] = [];
    for (const c of commandTable()) {
      // demo is pointed at the store with --db (its own flag), every other command through TKT_DB;
      // demo only builds a new store, so any existing file is exit 2 before it is opened.
      const argv = c.path === 'demo' ? ['demo', '--db', store] : argvOf(c);
      const input = c.input !== undefined ? { input: c.input } : {};
      problems.push(...(await runCase(inProcess, `${c.path} on ${name}`, argv, { codes: [c.path === 'demo' ? 2 : 7], bytesOf: store, mentions: store }, { env: { TKT_DB: store }, ...input })));
    }
    expect(problems).toEqual([]);
  });
});

function withSqlite(file: string, fn: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

// ---- a read-only store ----
//
// chmod 0440 alone proves nothing when the tests run as root (CI containers often do): root
// ignores file modes. chattr +i and a read-only bind mount would hold, but they need
// CAP_LINUX_IMMUTABLE or CAP_SYS_ADMIN, which containers usually drop. What root always keeps is
// CAP_SETUID/CAP_SETGID: so, as root, the CLI runs as the unprivileged user nobody (through the
// staged copy of test/support/foreign-user.ts, since the checkout may be in a folder nobody cannot
// enter) against a store owned by root and nobody's group, mode 0440: exactly a team member who
// may read a store but not write it. (Not 0444: a store every user can read gets a warning.) As
// any other user, chmod 0400 is enough. Two layouts:
//   file   — the file is read-only, its folder writable (SQLite can create the -shm it needs to
//            read a WAL store): reading commands work, writing ones are exit 7;
//   folder — the folder is read-only too: every command is exit 7.

const NOBODY = 65534;

function spawnCli(args: string[], env: Record<string, string | undefined>, options: RunOptions = {}): Promise<CliResult> {
  return runCliAs(AS_ROOT ? { uid: NOBODY, gid: NOBODY } : undefined, args, env, { cwd: shared, ...options });
}

type Layout = 'file' | 'folder';

function readOnlyStore(layout: Layout): { store: string; env: Record<string, string | undefined> } {
  const dir = path.join(shared, `read-only-${layout}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const store = path.join(dir, 'tkt.db');
  fs.copyFileSync(baselineDb, store);
  fs.chmodSync(store, AS_ROOT ? 0o440 : 0o400);
  // Alice's saved session, for this store's path, in a config folder the reader owns.
  const configDir = path.join(shared, `config-${layout}`);
  fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const saved = (JSON.parse(baselineConfig) as { stores: Record<string, unknown> }).stores[sb.storeLabel];
  const configFile = path.join(configDir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ stores: { [fs.realpathSync(store)]: saved } }), { mode: 0o600 });
  if (AS_ROOT) {
    for (const f of [configDir, configFile]) fs.chownSync(f, NOBODY, NOBODY);
    fs.chownSync(store, 0, NOBODY);
    if (layout === 'file') fs.chownSync(dir, NOBODY, NOBODY);
  } else if (layout === 'folder') {
    fs.chmodSync(dir, 0o555);
  }
  return { store, env: { PATH: process.env.PATH, HOME: shared, TKT_DB: store, TKT_CONFIG_DIR: configDir } };
}

afterAll(() => {
  // Without root, the 0555 folder would keep its files from being removed (after hooks run last first).
  const folder = path.join(shared, 'read-only-folder');
  if (!AS_ROOT && fs.existsSync(folder)) fs.chmodSync(folder, 0o755);
});

const READ_ONLY_SAMPLE = ['org current', 'ticket list', 'ticket create', 'auth login', 'db status', 'demo'];

// A read-only store file or folder: SQLite's (a PostgreSQL store's permissions are the server's).
describe.skipIf(onPostgres).each<[Layout]>([['file'], ['folder']])('a read-only store (%s)', (layout) => {
  it(`every command: ${layout === 'file' ? 'reads work, writes are' : 'everything is'} exit 7, and the file is untouched`, async () => {
    const { store, env } = readOnlyStore(layout);
    // The demo writes into the store it is given: point it at the read-only one.
    const argvFor = (c: CommandCase) => (c.path === 'demo' ? ['demo', '--db', store] : argvOf(c));
    const commands = commandTable().filter((c) => LONG || layout === 'file' || READ_ONLY_SAMPLE.includes(c.path));
    const problems: string[] = [];
    for (const c of commands) {
      let codes = layout === 'folder' || c.writes ? [7] : [0];
      // Refusals that come from reading, before anything is written: an unknown token; a store that is not empty.
      if (c.path === 'invite accept') codes = [5, 7];
      if (c.path === 'demo') codes = [2]; // it only builds a new store: the path exists
      const input = c.input !== undefined ? { input: c.input } : {};
      problems.push(...(await runCase(spawnCli, `${c.path} on a read-only ${layout}`, argvFor(c), { codes, bytesOf: store, ...(codes.length === 1 && codes[0] === 7 ? { mentions: store } : {}) }, { env, cwd: shared, ...input })));
    }
    expect(problems).toEqual([]);
  });
});

// ---- the same, through the built CLI as a real process ----

describe('a sample of every category, through the real tkt process', () => {
  it('behaves as main() does in-process', async () => {
    const problems: string[] = [];
    const cases: Array<[string, string[], Expect, RunOptions?]> = [
      ['unknown flag', ['ticket', 'create', '--title', 'x', '--no-such-flag'], { codes: [2] }],
      ['empty title', ['ticket', 'create', '--title', ''], { codes: REFUSED }],
      ['control characters in --org', ['--org', CONTROL.value, 'org', 'current'], { codes: REFUSED }],
      ['bidi override in a title', ['ticket', 'create', '--title', BIDI.value], { codes: REFUSED }],
      ['SQL as a ticket key', ['ticket', 'view', SQL[0]!.value], { codes: REFUSED }],
      ['shell as an email', ['member', 'remove', '-y', SHELL[0]!.value], { codes: REFUSED }],
      ['negative --limit', ['ticket', 'list', '--limit', '-1'], { codes: REFUSED }],
      ['20-digit id', ['invite', 'revoke', '-y', '99999999999999999999'], { codes: REFUSED }],
      ['100 KB org name', ['org', 'create', HUGE.value], { codes: REFUSED }],
      ['1 MB body on stdin', ['ticket', 'create', '--title', 'x', '--body-file', '-'], { codes: REFUSED }, { input: MEGABYTE }],
      ['NUL in an import on stdin', ['ticket', 'import', '-'], { codes: REFUSED }, { input: json([{ title: 'ok' }, { title: 'a\u0000b' }]) }],
      ['invalid UTF-8 comment on stdin', ['ticket', 'comment', 'ACME-1', '--body-file', '-'], { codes: REFUSED }, { input: INVALID_UTF8 }],
      ['NUL in a password on stdin', ['auth', 'signup', '--email', 'n@example.com', '--name', 'N', '--password-stdin'], { codes: REFUSED }, { input: NUL }],
    ];
    for (const [what, argv, expected, options] of cases) problems.push(...(await runCase(realProcess, what, argv, expected, options)));

    const project = path.join(sb.dir, 'real-project');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, '.tkt.json'), '{"org": "acme",');
    problems.push(...(await runCase(realProcess, 'malformed .tkt.json', ['org', 'current'], { codes: [2] }, { cwd: project })));

    fs.writeFileSync(path.join(alice.configDir, 'config.json'), 'this is not json');
    problems.push(...(await runCase(realProcess, 'config not JSON', ['ticket', 'list'], { codes: [3] })));
    restoreBaseline();

    for (const [name, content] of [['text', 'not a database'], ['random bytes', MEGABYTE]] as const) {
      const store = path.join(sb.dir, `real-not-sqlite-${name.replace(/\W/g, '-')}.db`);
      fs.writeFileSync(store, content);
      problems.push(...(await runCase(realProcess, `store of ${name}`, ['ticket', 'list'], { codes: [7], bytesOf: store }, { env: { TKT_DB: store } })));
    }
    const foreign = path.join(sb.dir, 'real-foreign.db');
    withSqlite(foreign, (db) => db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)'));
    problems.push(...(await runCase(realProcess, "another application's SQLite database", ['db', 'status'], { codes: [7], bytesOf: foreign }, { env: { TKT_DB: foreign } })));
    expect(problems).toEqual([]);
  });

  it.runIf(LONG)('every command refuses an unknown flag with exit 2', async () => {
    const problems: string[] = [];
    for (const c of commandTable()) {
      problems.push(...(await runCase(realProcess, `${c.path} --no-such-flag`, [...argvOf(c), '--no-such-flag'], { codes: [2] }, c.input !== undefined ? { input: c.input } : {})));
    }
    expect(problems).toEqual([]);
  }, 300_000);
});

// ---- metacharacters are data ----

describe('SQL and shell metacharacters are data, never code', () => {
  it('come back byte for byte, find themselves in a search, and run nothing', async () => {
    const title = `'; DROP TABLE tickets; -- $(touch ${PWNED}) \`touch ${PWNED}\``;
    const body = `line one\n' OR '1'='1\n"; DELETE FROM memberships; --\n$(rm -rf ~) && | ; > /dev/null`;
    const label = `x'y";z`;
    const run = (args: string[], options: RunOptions = {}) => runCli(args, aliceEnv(), { cwd: sb.dir, ...options });

    const created = await run(['ticket', 'create', '--title', title, '--body-file', '-', '--label', label, '-q'], { input: body });
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    const viewed = await run(['ticket', 'view', key, '--json', 'title,body,labels']);
    expect(viewed.json()).toEqual({ title, body, labels: [label] });
    const found = await run(['ticket', 'list', '--search', 'DROP TABLE', '--json', 'key']);
    expect(found.json()).toEqual([{ key }]);
    for (const search of [`' OR '1'='1`, '"; DELETE FROM memberships; --', 'organization_id:o2']) {
      const r = await run(['ticket', 'list', '--search', search, '--json', 'key']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json<Array<{ key: string }>>().every((t) => t.key.startsWith('ACME-')), search).toBe(true);
    }
    const orgName = `Acme'); DROP TABLE organizations; --`;
    expect((await run(['org', 'rename', orgName])).code).toBe(0);
    expect((await run(['org', 'current', '--json', 'name'])).json()).toEqual({ name: orgName });
    const roleName = `$(id) \`id\` '; --`;
    expect((await run(['role', 'create', 'sql-role', '--name', roleName, '--permissions', 'ticket:read'])).code).toBe(0);
    expect((await run(['role', 'show', 'sql-role', '--json', 'name'])).json()).toEqual({ name: roleName });

    expect(fs.existsSync(PWNED)).toBe(false);
    const check = await run(['db', 'check']);
    expect(check.code, check.stdout).toBe(0);
    expect(withStore(sb, (db) => (db.prepare('SELECT count(*) AS n FROM memberships').get() as { n: number }).n)).toBeGreaterThan(0);
    restoreBaseline();
  });
});
