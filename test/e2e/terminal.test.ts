// tkt on a real pseudo-terminal: prompts are asked on the terminal through stderr, so stdout
// carries only data; tables fit 80 and 160 columns; long output of a paged result goes through
// the pager. tmux drives the prompts (send-keys, capture-pane); script(1) gives a terminal of a
// chosen size for output. A tool that is missing skips its tests with a message.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type Person } from '../support/cli.js';
import { HAS_SCRIPT, HAS_TMUX, shellScript, tmuxServer, until } from '../support/terminal.js';

if (!HAS_TMUX) console.warn('terminal tests: tmux is not installed; the prompt tests are skipped');
if (!HAS_SCRIPT) console.warn('terminal tests: script (util-linux) is not installed; the width and pager tests are skipped');

const sb = new Sandbox();
afterAll(() => sb.cleanup());
let alice: Person;
const LONG = 'Checkout fails for customers whose cart holds more than one hundred items at once 👨‍👩‍👧';

beforeAll(async () => {
  alice = await sb.person('alice@example.com', 'Alice');
  expect((await alice.run(['org', 'create', 'Acme', '--key', 'ACME'])).code).toBe(0);
  expect((await alice.run(['ticket', 'create', '--title', LONG, '--priority', 'high'])).code).toBe(0);
  expect((await alice.run(['ticket', 'create', '--title', 'Short one'])).code).toBe(0);
});

/** A shell script that runs `body` with alice's environment, `tkt` being the built CLI. */
function scriptFile(name: string, body: string): string {
  const env = { ...sb.env(alice.configDir), TERM: 'xterm-256color' };
  return shellScript(sb.dir, name, env, `unset NO_COLOR COLUMNS LINES TKT_PAGER PAGER\n${body}`);
}

describe.skipIf(!HAS_TMUX)('prompts on a terminal (tmux)', () => {
  const tmux = tmuxServer(sb.dir);
  afterAll(() => tmux.kill());
  const session = async (name: string, width: number, body: string) => tmux.session(name, scriptFile(name, body), width);

  it.each([80, 160])('K=$(tkt ticket create) at %i columns: the question is on the screen, K holds only the key', async (width) => {
    const out = path.join(sb.dir, `created-${width}.txt`);
    const s = await session(`create${width}`, width, `K=$(tkt ticket create); printf '%s' "$K" > '${out}'`);
    await until('the title question', () => (s.screen().includes('Title:') ? true : undefined));
    s.keys('Typed at a terminal', 'Enter');
    await until('the body question', () => (s.screen().includes('Body [(e) to open your editor, Enter to skip]') ? true : undefined));
    s.keys('Enter');
    const key = await until('the key', () => (fs.existsSync(out) && fs.readFileSync(out, 'utf8') ? fs.readFileSync(out, 'utf8') : undefined));
    expect(key).toMatch(/^ACME-\d+$/);
    const view = await alice.run(['ticket', 'view', key, '--json', 'title']);
    expect(view.json()).toEqual({ title: 'Typed at a terminal' });
  });

  it('tkt ticket delete N > out.txt: the question is visible, out.txt gets no prompt', async () => {
    const key = (await alice.run(['ticket', 'create', '--title', 'To delete', '-q'])).stdout.trim();
    const out = path.join(sb.dir, 'deleted.txt');
    const done = path.join(sb.dir, 'deleted.done');
    const s = await session('delete', 80, `tkt ticket delete ${key} > '${out}'; echo $? > '${done}'`);
    await until('the delete question', () => (s.screen().includes(`Delete ${key}`) ? true : undefined));
    s.keys('y', 'Enter');
    expect(await until('the exit code', () => (fs.existsSync(done) && fs.readFileSync(done, 'utf8') ? fs.readFileSync(done, 'utf8') : undefined))).toBe('0\n');
    expect(fs.readFileSync(out, 'utf8')).toBe('');
    expect((await alice.run(['ticket', 'view', key])).code).toBe(5);
  });

  it('tkt org create 日本語 asks for the slug and the key it cannot derive', async () => {
    const done = path.join(sb.dir, 'nihon.done');
    const s = await session('nihon', 80, `tkt org create 日本語; echo $? > '${done}'`);
    await until('the slug question', () => (s.screen().includes('Slug') ? true : undefined));
    s.keys('nihon', 'Enter');
    await until('the key question', () => (s.screen().includes('Ticket key') ? true : undefined));
    s.keys('NIH', 'Enter');
    expect(await until('the exit code', () => (fs.existsSync(done) && fs.readFileSync(done, 'utf8') ? fs.readFileSync(done, 'utf8') : undefined))).toBe('0\n');
    expect((await alice.run(['org', 'current', '--json', 'slug,key'])).json()).toEqual({ slug: 'nihon', key: 'NIH' });
    expect((await alice.run(['org', 'switch', 'acme'])).code).toBe(0);
  });
});

/** Runs `body` on a pseudo-terminal of `cols` × `rows`; what the terminal showed, without colours. */
function onTerminal(name: string, cols: number, rows: number, body: string): string {
  const file = scriptFile(name, `stty cols ${cols} rows ${rows}\n${body}`);
  const shown = execFileSync('script', ['-qfec', `sh ${file}`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
  return shown.replace(/\r/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

describe.skipIf(!HAS_SCRIPT)('output on a terminal (script)', () => {
  it.each([80, 160])('ticket list at %i columns: no line is wider than the terminal, the title gives way', (cols) => {
    const lines = onTerminal(`list${cols}`, cols, 24, 'tkt ticket list').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+STATUS\s+PRIORITY\s+ASSIGNEE\s+LABELS\s+TITLE$/);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(cols);
    const long = lines.find((l) => l.startsWith('ACME-1'))!;
    if (cols === 80) expect(long).toMatch(/Checkout fails for .*…$/);
    else expect(long.endsWith(LONG)).toBe(true);
    expect(lines.join('\n')).not.toContain('\uFFFD');
  });

  it('a paged result longer than the screen goes to TKT_PAGER; a short one is printed', () => {
    const pager = path.join(sb.dir, 'pager.cjs');
    const got = path.join(sb.dir, 'paged.txt');
    fs.writeFileSync(pager, `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{require('fs').writeFileSync(${JSON.stringify(got)},s);process.stdout.write('[paged]\\n')});`);
    const paged = onTerminal('paged', 80, 1, `TKT_PAGER='${process.execPath} ${pager}' tkt member list`);
    expect(paged.trim()).toBe('[paged]');
    expect(fs.readFileSync(got, 'utf8')).toMatch(/^\x1b\[1mEMAIL.*\n.*alice@example\.com/);
    fs.rmSync(got);
    const direct = onTerminal('direct', 80, 24, `TKT_PAGER='${process.execPath} ${pager}' tkt member list`);
    expect(direct).toMatch(/^EMAIL\s+NAME\s+ROLE\s+JOINED\n.*alice@example\.com/);
    expect(fs.existsSync(got)).toBe(false);
  });

  it('a pager that cannot start: the output is printed; quitting the pager early is no error', () => {
    const missing = onTerminal('nopager', 80, 1, `TKT_PAGER=/nonexistent/pager tkt member list; echo "exit $?"`);
    expect(missing).toMatch(/EMAIL[^\n]*\n[^\n]*alice@example\.com[^\n]*\nexit 0/);
    const quits = onTerminal('quitter', 80, 1, `TKT_PAGER=true tkt member list; echo "exit $?"`);
    expect(quits.trim()).toBe('exit 0');
  });

  it('help longer than the screen is paged too', () => {
    const paged = onTerminal('help', 80, 5, `TKT_PAGER='sed s/^/P:/' tkt --help`);
    expect(paged.split('\n')[0]).toBe('P:Usage: tkt [options] [command]');
    const direct = onTerminal('help-direct', 80, 200, `TKT_PAGER='sed s/^/P:/' tkt ticket --help`);
    expect(direct.split('\n')[0]).toBe('Usage: tkt ticket [options] [command]');
  });

  it('piped, there is no pager and no table, unless TKT_FORCE_TTY asks for one', () => {
    const piped = onTerminal('piped', 80, 1, `TKT_PAGER=/nonexistent/pager tkt member list | cat`);
    expect(piped.trim()).toMatch(/^alice@example\.com\tAlice\towner\t\d{4}-/);
    const forced = onTerminal('forced', 80, 1, `COLUMNS=60 TKT_FORCE_TTY=1 tkt ticket list | cat`);
    const lines = forced.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+STATUS/);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });
});
