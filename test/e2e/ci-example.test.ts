// docs/ci.md's steps, run as test/ci-example.sh against a throwaway store with nothing but
// TKT_TOKEN, TKT_DB and TKT_ORG (and PATH to find tkt), so the documented example cannot rot.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, Sandbox, type Person } from '../support/cli.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());
let alice: Person;
let env: Record<string, string>;

beforeAll(async () => {
  alice = await sb.person('alice@example.com', 'Alice');
  expect((await alice.run(['org', 'create', 'Acme', '--key', 'ACME'])).code).toBe(0);
  const token = await alice.run(['auth', 'token', 'create', '--name', 'ci']);
  expect(token.code).toBe(0);
  const bin = path.join(sb.dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'tkt'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  const home = path.join(sb.dir, 'ci-home');
  fs.mkdirSync(home);
  env = { TKT_TOKEN: token.stdout.trim(), TKT_DB: sb.db, TKT_ORG: 'acme', PATH: `${bin}:/usr/bin:/bin`, HOME: home };
});

const ci = (outcome: string, run: string) =>
  execFileSync('sh', [path.join(ROOT, 'test', 'ci-example.sh'), outcome, run], { env, cwd: sb.dir, encoding: 'utf8' }).trim();

describe('docs/ci.md example', () => {
  it('opens a ticket on failure, comments while it fails, comments and closes when it passes', async () => {
    expect(ci('failed', 'build #1')).toBe('Opened ACME-1');
    expect(ci('failed', 'build #2')).toBe('Commented on ACME-1');
    expect(ci('passed', 'build #3')).toBe('Closed ACME-1');
    expect(ci('passed', 'build #4')).toBe('');
    expect(ci('failed', 'build #5')).toBe('Opened ACME-2');
    const view = (await alice.run(['--org', 'acme', 'ticket', 'view', 'ACME-1', '--json'])).json();
    expect(view.status).toBe('done');
    expect(view.labels).toEqual(['ci-failure']);
    expect(view.body).toBe('The build failed: build #1');
    expect(view.comments.map((c: { body: string }) => c.body)).toEqual(['Still failing: build #2', 'Passing again: build #3']);
    expect(fs.readdirSync(env.HOME!)).toEqual([]); // with a token, nothing is saved
  });
});
