// The V8 code cache of dist/tkt.cjs (dist/tkt.cjs.cache), made by a training run: the most common
// commands (status, list, search, view, create) run once in one process, through bin/tkt.js's own
// loader, and what V8 compiled for them is saved. bin/tkt.js then neither parses nor compiles that
// code again; measured, this halves the time spent loading and compiling JavaScript at every start
// (README "Performance").
//
// trainCodeCache() is called by scripts/build.mjs; it runs this file as a child process (the
// training run), so that nothing of the build's own process ends up in the cache.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..', '..');

/**
 * A failed training only costs start-up time, so it warns instead of failing the build.
 */
export function trainCodeCache(cacheFile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-train-'));
  try {
    const env = { TKT_DB: path.join(dir, 'tkt.db'), TKT_CONFIG_DIR: path.join(dir, 'config'), NO_COLOR: '1' };
    const run = (...argv) => ({ argv });
    // First a store to work on, in a process of its own: what only these commands compile stays
    // out of the cache, which every command reads.
    const setup = [
      { argv: ['auth', 'signup', '--email', 'train@example.com', '--name', 'Train', '--password-stdin'], input: 'training-password-1\n' },
      run('org', 'create', 'Training', '--key', 'TRN'),
      run('ticket', 'create', '--title', 'First ticket', '--body', 'words to find', '--label', 'bug', '--assignee', '@me'),
      run('ticket', 'comment', 'TRN-1', '--body', 'a comment'),
    ];
    // Then the commands run most, whose compiled code the cache keeps.
    const common = [
      run('auth', 'status'),
      run('ticket', 'list', '--limit', '50', '--json'),
      run('ticket', 'list', '--limit', '50'),
      run('ticket', 'list', '--search', 'words', '--json'),
      run('ticket', 'view', 'TRN-1'),
      run('ticket', 'create', '--title', 'Second ticket', '-q'),
    ];
    fs.rmSync(cacheFile, { force: true });
    for (const [invocations, save] of [[setup, false], [common, true]]) {
      const planFile = path.join(dir, 'plan.json');
      fs.writeFileSync(planFile, JSON.stringify({ env, invocations, save }));
      execFileSync(process.execPath, [self, planFile], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  } catch (err) {
    console.warn(`build: warning: no code cache was made (${err.message.split('\n')[0]}); tkt works, but starts slower`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The training run: the commands of a plan in this process, then (if the plan says so) the cache saved. */
async function trainingRun(planFile) {
  const { loadCli } = createRequire(import.meta.url)(path.join(root, 'bin', 'tkt.js'));
  const cli = loadCli({ saveCacheOnExit: false });
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const sink = { write: () => true, isTTY: false };
  // Nothing of the caller's tkt settings (TKT_TOKEN, TKT_ORG…) reaches the training store.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TKT_')));
  for (const { argv, input } of plan.invocations) {
    const code = await cli.main({
      argv,
      env: { ...env, ...plan.env },
      io: { stdout: sink, stderr: sink, stdin: Readable.from(input ? [Buffer.from(input)] : []) },
      // A cheap password hash: the training is about compiled code, not about security.
      scrypt: { N: 1024, r: 8, p: 1 },
    });
    if (code !== 0) throw new Error(`training: tkt ${argv.join(' ')} exited with ${code}`);
  }
  if (plan.save) cli.saveCache();
}

if (process.argv[1] === self) await trainingRun(process.argv[2]);
