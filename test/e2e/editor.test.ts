// Writing text in $VISUAL / $EDITOR (issue 16.2), through the real CLI with a fake editor: a
// script that keeps what it was given (and the file's mode) and writes $FAKE_TEXT in its place.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { shellScript } from '../support/terminal.js';

const sb = new Sandbox();
afterAll(() => sb.cleanup());
let alice: Person;
let editor: string;
const seen = () => fs.readFileSync(path.join(sb.dir, 'seen.txt'), 'utf8');
const seenPath = () => fs.readFileSync(path.join(sb.dir, 'path.txt'), 'utf8').trim();

beforeAll(async () => {
  alice = await sb.person('alice@example.com', 'Alice');
  expect((await alice.run(['org', 'create', 'Acme'])).code).toBe(0);
  editor = path.join(sb.dir, 'fake-editor.sh');
  fs.writeFileSync(
    editor,
    `#!/bin/sh\nd='${sb.dir}'\nstat -c %a "$1" > "$d/mode.txt"\ncp "$1" "$d/seen.txt"\necho "$1" > "$d/path.txt"\nprintf '%s' "$FAKE_TEXT" > "$1"\nexit \${FAKE_EXIT:-0}\n`,
    { mode: 0o755 },
  );
});

const run = (args: string[], text: string, env: Record<string, string> = {}) =>
  alice.run(['--org', 'acme', ...args], { env: { EDITOR: editor, FAKE_TEXT: text, ...env } });
const view = async (key: string) => (await alice.run(['--org', 'acme', 'ticket', 'view', key, '--json'])).json();

describe('-e: the editor', () => {
  it('create -e: the first line is the title, the body below, # lines dropped; the temp file is 0600 and removed', async () => {
    const r = await run(['ticket', 'create', '-e'], '# not this\nCrash on save\n\nSteps:\n# nor this\n1. save\n');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('ACME-1\n');
    expect(fs.readFileSync(path.join(sb.dir, 'mode.txt'), 'utf8').trim()).toBe('600');
    expect(seen()).toContain('# The first line is the title');
    expect(fs.existsSync(seenPath())).toBe(false);
    expect(fs.existsSync(path.dirname(seenPath()))).toBe(false);
    expect(await view('1')).toMatchObject({ title: 'Crash on save', body: 'Steps:\n1. save' });
  });

  it('an empty result cancels with exit 2 and writes nothing; so does an editor that fails', async () => {
    const empty = await run(['ticket', 'create', '-e'], '# only a comment\n\n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing was written');
    const failed = await run(['ticket', 'comment', '1', '-e'], 'a comment', { FAKE_EXIT: '1' });
    expect(failed.code).toBe(2);
    expect((await alice.run(['--org', 'acme', 'ticket', 'list', '-q'])).stdout).toBe('ACME-1\n');
    expect((await view('1')).comments).toEqual([]);
  });

  it('$VISUAL beats $EDITOR; comment -e takes the whole text', async () => {
    const r = await run(['ticket', 'comment', '1', '-e'], 'Fixed in 1.2.\n\nPlease check.', { VISUAL: editor, EDITOR: 'false' });
    expect(r.code, r.stderr).toBe(0);
    expect((await view('1')).comments).toEqual([expect.objectContaining({ body: 'Fixed in 1.2.\n\nPlease check.' })]);
  });

  it('edit -e opens on the current title and body', async () => {
    const r = await run(['ticket', 'edit', 'ACME-1', '-e'], 'Crash on save (Safari)\n\nSteps:\n1. save\n2. reload');
    expect(r.code, r.stderr).toBe(0);
    expect(seen().startsWith('Crash on save\n\nSteps:\n1. save\n')).toBe(true);
    expect(await view('1')).toMatchObject({ title: 'Crash on save (Safari)', body: 'Steps:\n1. save\n2. reload' });
    expect((await run(['ticket', 'edit', '1', '2', '-e'], 'x')).code).toBe(2);
    expect((await run(['ticket', 'create', '-e', '--body', 'x'], 'x')).code).toBe(2);
  });
});

const HAS_SCRIPT = spawnSync('script', ['-qfec', 'true', '/dev/null']).status === 0;

describe.skipIf(!HAS_SCRIPT)('on a terminal (script)', () => {
  it('edit KEY with no flags opens the editor on the current title and body', async () => {
    const env = { ...sb.env(alice.configDir), EDITOR: editor, FAKE_TEXT: 'Retitled at a terminal\n\nNew body' };
    const file = shellScript(sb.dir, 'edit-tty', env, 'tkt --org acme ticket edit ACME-1\necho "exit $?"');
    const shown = execFileSync('script', ['-qfec', `sh ${file}`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
    expect(shown).toContain('exit 0');
    expect(seen().startsWith('Crash on save (Safari)\n\nSteps:')).toBe(true);
    expect(await view('1')).toMatchObject({ title: 'Retitled at a terminal', body: 'New body' });
  });

  it('comment on a terminal without a body: (e) at the Body question opens the editor', async () => {
    const env = { ...sb.env(alice.configDir), EDITOR: editor, FAKE_TEXT: 'Written in the editor after answering e' };
    const file = shellScript(sb.dir, 'comment-tty', env, 'tkt --org acme ticket comment ACME-1\necho "exit $?"');
    // script hands its stdin to the pseudo-terminal: the person types "e" and Enter at the question.
    const shown = execFileSync('script', ['-qfec', `sh ${file}`, '/dev/null'], { encoding: 'utf8', input: 'e\r', timeout: 30_000 });
    expect(shown).toContain('exit 0');
    const comments = (await view('1')).comments as Array<{ body: string }>;
    expect(comments.map((c) => c.body)).toContain('Written in the editor after answering e');
  });
});

