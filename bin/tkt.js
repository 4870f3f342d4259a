#!/usr/bin/env node
// Entry point. tkt is started thousands of times by scripts, so this file keeps start-up close to
// Node's own (README "Performance"):
// - it is CommonJS (bin/package.json says so): an ES module entry costs Node's ES module loader;
// - `tkt --version` answers from package.json without loading the CLI;
// - the CLI is one CommonJS bundle (dist/tkt.cjs, see scripts/build.mjs), compiled through
//   vm.Script with the V8 code cache made at build time (dist/tkt.cjs.cache), so V8 neither
//   parses nor compiles again what the common commands run. A cache of another build is never
//   used; one that V8 refuses (another Node, other V8 flags) only costs time, and a plain
//   `node bin/tkt.js` then saves a new one when the command ends. The build's training run
//   (scripts/build/train-code-cache.mjs) requires this file for loadCli(); a test that runs the CLI
//   as another user (test/support/foreign-user.ts) requires it for run().
'use strict';

if (require.main === module) run();
else module.exports = { loadCli, run };

function run() {
  const argv = process.argv.slice(2);
  // Output into a pipe or a file does not create process.stdout (src/cli/io.ts writes fd 1); once
  // something does, a reader that went away ends the command quietly: `tkt … | head` is fine.
  whenCreated('stdout', (stream) =>
    stream.on('error', (err) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    }),
  );
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    printVersion(`${require('../package.json').version}\n`);
    return;
  }
  loadCli({ saveCacheOnExit: true })
    .main({ argv })
    .then((code) => (process.exitCode = code))
    .catch((err) => {
      // main() turns every error into an exit code; this is a bug in this file or the build.
      process.stderr.write(`tkt: internal error: ${err?.stack ?? err}\n`);
      process.exitCode = 1;
    });
}

function loadCli({ saveCacheOnExit }) {
  const fs = require('node:fs');
  const path = require('node:path');
  const vm = require('node:vm');
  const { createRequire } = require('node:module');
  const { pathToFileURL } = require('node:url');
  const file = path.join(__dirname, '..', 'dist', 'tkt.cjs');
  const source = fs.readFileSync(file, 'latin1'); // the build makes it ASCII
  const id = /^\/\*tkt-build:(\w+)\*\//.exec(source)?.[1];
  const header = Buffer.from(`tkt-build:${id}\n`, 'latin1');
  let cachedData;
  try {
    const cache = fs.readFileSync(`${file}.cache`);
    if (id && cache.length > header.length && header.equals(cache.subarray(0, header.length))) cachedData = cache.subarray(header.length);
  } catch {
    // no cache (yet)
  }
  // Node's own CommonJS wrapper, plus the loader of the vendor modules.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __tktImport) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  const importVendor = (spec) => import(new URL(spec, pathToFileURL(file)).href);
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file), importVendor);
  const saveCache = () => {
    try {
      const temp = `${file}.cache.${process.pid}`;
      fs.writeFileSync(temp, Buffer.concat([header, script.createCachedData()]));
      fs.renameSync(temp, `${file}.cache`);
    } catch {
      // a read-only install: start-up stays slower, nothing else changes
    }
  };
  if (process.env.TKT_DEBUG_CODE_CACHE === '1') {
    process.stderr.write(`tkt: code cache ${!cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
  }
  const refused = !cachedData || script.cachedDataRejected === true;
  if (refused && id && saveCacheOnExit && process.execArgv.length === 0 && !process.env.NODE_OPTIONS) {
    process.once('exit', saveCache);
  }
  return { main: module.exports.main, saveCache };
}

/** Runs `setup` on process[name] (a stream Node creates on first use) when it is created. */
function whenCreated(name, setup) {
  const { get, enumerable } = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable,
    get() {
      const stream = get.call(process);
      Object.defineProperty(process, name, { configurable: true, enumerable, get: () => stream });
      setup(stream);
      return stream;
    },
  });
}

/** One small write straight to fd 1: creating process.stdout (a stream) costs more than the rest. */
function printVersion(text) {
  const fs = require('node:fs');
  let rest = Buffer.from(text);
  try {
    while (rest.length > 0) rest = rest.subarray(fs.writeSync(1, rest));
  } catch (err) {
    if (err.code === 'EAGAIN') process.stdout.write(rest); // a non-blocking pipe that is full
    else if (err.code !== 'EPIPE') throw err; // `tkt --version | true` is fine
  }
}
