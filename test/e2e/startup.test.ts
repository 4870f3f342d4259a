// What keeps start-up fast must never change what a command does (README "Performance"):
// - the V8 code cache next to the bundle: missing, of another build, damaged or truncated, it is
//   ignored and the command works the same; a plain run then saves a good one;
// - `tkt --version` is answered without the CLI, exactly as the CLI would;
// - only the top-level command being run is built (groupOf), with the very same subtree.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, groupOf } from '../../src/cli/program.js';
import { ROOT, Sandbox } from '../support/cli.js';

const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin };

/** A copy of the built package (bin/, dist/; the rest linked), so its cache can be damaged safely. */
function packageCopy(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-startup-')));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'dist'));
  for (const f of ['tkt.cjs', 'tkt.cjs.cache']) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(dir, 'dist', f));
  fs.symlinkSync(path.join(ROOT, 'dist', 'vendor'), path.join(dir, 'dist', 'vendor'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['node_modules', 'migrations']) fs.symlinkSync(path.join(ROOT, f), path.join(dir, f));
  return dir;
}

const pkg = packageCopy();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-startup-home-'));
afterAll(() => {
  fs.rmSync(pkg, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

function tkt(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'tkt.js'), ...args], {
    env: { PATH: process.env.PATH, HOME: home, TKT_DB: path.join(home, 'tkt.db'), TKT_CONFIG_DIR: path.join(home, 'config'), TKT_DEBUG_CODE_CACHE: '1' },
    cwd: home,
    encoding: 'utf8',
  });
  const cache = /tkt: code cache (\w+)\n/.exec(r.stderr)?.[1];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/tkt: code cache \w+\n/, ''), cache };
}

describe('the code cache', () => {
  const cacheFile = path.join(pkg, 'dist', 'tkt.cjs.cache');
  const good = fs.readFileSync(cacheFile);
  const header = good.subarray(0, good.indexOf(10) + 1);
  const reference = () => tkt(['db', 'status', '--json']);
  // db status only reads: the store must exist.
  beforeAll(() => expect(tkt(['db', 'init']).code).toBe(0));

  it('is used when it belongs to the bundle', () => {
    const r = reference();
    expect(r.code, r.stderr).toBe(0);
    expect(r.cache).toBe('used');
  });

  it.each([
    ['missing', () => fs.rmSync(cacheFile)],
    ['of another build', () => fs.writeFileSync(cacheFile, Buffer.concat([Buffer.from('tkt-build:0000000000000000\n'), good.subarray(header.length)]))],
    ['damaged', () => fs.writeFileSync(cacheFile, Buffer.concat([header, Buffer.alloc(good.length - header.length, 0x5a)]))],
    ['truncated', () => fs.writeFileSync(cacheFile, good.subarray(0, Math.floor(good.length / 2)))],
    ['empty', () => fs.writeFileSync(cacheFile, '')],
  ])('%s, is ignored: the command works the same, and a good cache is saved for the next run', (_, spoil) => {
    fs.writeFileSync(cacheFile, good);
    const expected = reference();
    spoil();
    const spoiled = tkt(['db', 'status', '--json']);
    expect(spoiled.cache).not.toBe('used');
    expect([spoiled.code, spoiled.stdout, spoiled.stderr]).toEqual([expected.code, expected.stdout, expected.stderr]);
    expect(tkt(['db', 'status', '--json']).cache).toBe('used');
  });
});

describe('tkt --version', () => {
  it('prints what the CLI itself would, without loading it', () => {
    const fast = tkt(['--version']);
    expect(fast).toMatchObject({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`, stderr: '' });
    expect(fast.cache).toBeUndefined();
    // Through commander (-q keeps the fast path out of the way): the same text.
    expect(tkt(['-q', '--version'])).toMatchObject({ code: 0, stdout: fast.stdout });
    expect(tkt(['-v']).stdout).toBe(fast.stdout);
  });

  it('is fine when stdout is closed early', () => {
    const out = execFileSync('sh', ['-c', `node ${JSON.stringify(path.join(pkg, 'bin', 'tkt.js'))} --version | true; echo "exit $?"`], { encoding: 'utf8' });
    expect(out).toBe('exit 0\n');
  });
});

describe('output into a pipe (written to fd 1 directly)', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());

  it('goes out whole, and a reader that stops early ends the command quietly with exit 0', async () => {
    const me = await sb.person('pipe@example.com');
    expect((await me.run(['org', 'create', 'Pipes', '--key', 'PIPE'])).code).toBe(0);
    const tickets = Array.from({ length: 3000 }, (_, i) => ({ title: `Ticket ${i} ${'x'.repeat(40)}` }));
    const file = path.join(sb.dir, 'many.json');
    fs.writeFileSync(file, JSON.stringify(tickets));
    expect((await me.run(['ticket', 'import', file, '-q'])).code).toBe(0);
    const all = await me.run(['ticket', 'list', '--limit', '0']);
    expect(all.lines()).toHaveLength(3000); // more than a pipe holds at once
    const env = { ...sb.env(me.configDir), PATH: process.env.PATH } as NodeJS.ProcessEnv;
    const head = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(path.join(ROOT, 'bin', 'tkt.js'))} ticket list --limit 0 | head -1`], {
      env,
      cwd: sb.dir,
      encoding: 'utf8',
    });
    expect([head.status, head.stdout, head.stderr]).toEqual([0, all.lines()[0] + '\n', '']);
  });
});

describe('what a command loads', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());

  // node:child_process brings net, dgram and their bindings with it: milliseconds of every start.
  // Only the pager and the editor need it, and they load it when they run. (net alone is no sign:
  // Node loads it for a stderr that is a pipe, as here.)
  it.each([['auth', 'status'], ['ticket', 'list', '--json'], ['ticket', 'create', '--title', 'loaded']])(
    '%s %s: neither child_process nor dgram among the modules Node loaded',
    async (...argv) => {
      const me = await sb.person('loads@example.com').catch(() => undefined);
      const person = me ?? { configDir: path.join(sb.dir, 'config-loads_example_com') };
      if (argv[0] === 'ticket') await sb.run(['org', 'create', 'Loads', '--key', 'LOAD'], { configDir: person.configDir });
      const list = path.join(sb.dir, `modules-${argv.join('-')}.txt`);
      const probe = path.join(sb.dir, 'modules.cjs');
      fs.writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`);
      const r = await sb.run(argv, { configDir: person.configDir, env: { NODE_OPTIONS: `--require ${probe}` } });
      expect(r.code, r.stderr).toBe(0);
      const loaded = fs.readFileSync(list, 'utf8').split('\n');
      expect(loaded.filter((m) => /^NativeModule (child_process|dgram)$/.test(m))).toEqual([]);
    },
  );
});

describe('building only the command that runs', () => {
  function shape(command: Command): unknown {
    return {
      name: command.name(),
      aliases: command.aliases(),
      description: command.description(),
      arguments: command.registeredArguments.map((a) => [a.name(), a.required, a.variadic, a.description]),
      options: command.options.map((o) => [o.flags, o.description, o.defaultValue]),
      commands: command.commands.map(shape),
    };
  }
  const full = buildProgram({ io, env: {}, cwd: ROOT });

  it('reads the top-level command the way commander does, and gives up when in doubt', () => {
    expect(groupOf(['ticket', 'list'])).toBe('ticket');
    expect(groupOf(['--org', 'ticket', 'auth', 'status'])).toBe('auth');
    expect(groupOf(['--db', 'x.db', '-q', '--json', 'key,title', 'ticket', 'list'])).toBe('ticket');
    expect(groupOf(['--json', '--no-color', 'org', 'list'])).toBe('org');
    expect(groupOf(['--db=x.db', '--json=key', '--no-input', '-y', 'member', 'list'])).toBe('member');
    expect(groupOf(['--json', 'ticket', 'list'])).toBeUndefined(); // --json takes "ticket" as its fields
    for (const argv of [[], ['--help'], ['help', 'ticket'], ['tiket', 'list'], ['-qy', 'ticket', 'list'], ['--version']]) {
      expect(groupOf(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it.each(full.commands.map((c) => [c.name()]))('%s: the same subtree as in the whole program', (name) => {
    const only = buildProgram({ io, env: {}, cwd: ROOT }, [name, 'whatever']);
    expect(only.commands.map((c) => c.name())).toEqual([name]);
    expect(shape(only.commands[0]!)).toEqual(shape(full.commands.find((c) => c.name() === name)!));
    expect(only.options.map((o) => o.flags)).toEqual(full.options.map((o) => o.flags));
  });
});
