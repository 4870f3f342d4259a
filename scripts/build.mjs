// Builds dist/ for a start-up close to Node's own (see README "Performance"):
//
// - dist/tkt.cjs: the whole CLI in one CommonJS file (commander, the commands, the domain, the
//   store with drizzle-orm and better-sqlite3's JavaScript): one file to read instead of a module
//   graph to resolve. Modules only some commands need are in it too, but run only when first
//   imported. Its first line holds a build id.
// - dist/tkt.cjs.cache: the V8 code cache of that bundle, made by a training run
//   (scripts/build/train-code-cache.mjs), so that bin/tkt.js, which compiles the bundle with
//   vm.Script, neither parses nor compiles it again. It starts with the build id of the tkt.cjs it
//   belongs to; bin/tkt.js ignores any other.
// - dist/tkt.js: the same as an ES module, for code that imports the CLI's main().
// - dist/vendor/: what only a few commands need and is large (prompts, config writes, CSV,
//   tables, colours), as ES modules imported on first use. Code compiled by vm.Script cannot use
//   import(), so the bundle calls __tktImport('./vendor/…'), which bin/tkt.js provides.
//
// The start-up tricks applied to the bundle live in scripts/build/, each with the measurement
// that keeps it there.
//
// Everything is written to a temp folder and moved into dist/ file by file (vendor first, then
// the bundle, the cache last), so a tkt process started during a rebuild never reads a
// half-written file, and a bundle never meets the cache of another build.
import { build } from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { plainBuiltinDefaults } from './build/plain-builtin-defaults.mjs';
import { trainCodeCache } from './build/train-code-cache.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const staging = fs.mkdtempSync(path.join(root, '.dist-'));

/** Imported on first use only; each becomes dist/vendor/<name>.js. */
const VENDOR = {
  prompts: '@inquirer/prompts',
  conf: 'conf',
  'csv-parse': 'csv-parse/sync',
  'csv-stringify': 'csv-stringify/sync',
  chalk: 'chalk',
  'string-width': 'string-width',
  'cli-truncate': 'cli-truncate',
};

/** The bundle imports the vendor modules from dist/vendor/. */
const vendorModules = {
  name: 'vendor-modules',
  setup(b) {
    const byPackage = new Map(Object.entries(VENDOR).map(([name, spec]) => [spec, `./vendor/${name}.js`]));
    b.onResolve({ filter: /.*/ }, (args) => {
      const target = byPackage.get(args.path);
      if (!target) return undefined;
      if (args.kind !== 'dynamic-import') throw new Error(`build: ${args.path} must be imported with import() (it loads on first use)`);
      return { path: target, external: true };
    });
  },
};

try {
  // ---- the CLI ----
  const cli = await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: path.join(staging, 'tkt.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [vendorModules],
    // import.meta.url of the bundled modules is the bundle's own URL.
    define: { 'import.meta.url': '__tktImportMetaUrl' },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  let code = '';
  for (const file of cli.outputFiles) {
    if (file.path.endsWith('.map')) fs.writeFileSync(file.path, file.contents);
    else code = file.text;
  }
  code = code.replace(/\bimport\("(\.\/vendor\/[\w-]+\.js)"\)/g, '__tktImport("$1")');
  code = plainBuiltinDefaults(code);
  // esbuild escapes what is not ASCII in strings, regular expressions and names, but not in the
  // comments it keeps; with those escaped too, bin/tkt.js reads the bundle as Latin-1, which skips
  // UTF-8 decoding (a comment's text does not matter).
  code = code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const stripped = code.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  if (/\bimport\s*\(/.test(stripped)) throw new Error('build: the bundle has an import() that code compiled by vm.Script cannot run');
  // The first line gets the build id and two definitions (before the first statement of the bundle,
  // after its "use strict" if it has one, on that same line, so the source map's lines stay put):
  // import.meta.url of the bundled modules is the bundle's own URL; __tktImport is a parameter of
  // bin/tkt.js's wrapper, and when the bundle is loaded by require() (dist/tkt.js) it imports by itself.
  const buildId = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
  const strict = code.startsWith('"use strict";');
  const prelude = [
    `/*tkt-build:${buildId}*/`,
    ...(strict ? ['"use strict";'] : []),
    `var __tktImportMetaUrl = require("node:url").pathToFileURL(__filename).href;`,
    `var __tktImport = typeof __tktImport === "function" ? __tktImport : (spec) => import(new URL(spec, __tktImportMetaUrl).href);`,
  ].join(' ');
  fs.writeFileSync(path.join(staging, 'tkt.cjs'), `${prelude} ${strict ? code.slice('"use strict";'.length) : code}`);
  // For code that imports the CLI as an ES module (a test does).
  fs.writeFileSync(path.join(staging, 'tkt.js'), `// The CLI as an ES module; bin/tkt.js loads dist/tkt.cjs faster.\nimport cli from './tkt.cjs';\nexport const main = cli.main;\n`);

  // ---- what loads on first use ----
  await build({
    entryPoints: Object.fromEntries(Object.entries(VENDOR).map(([name, spec]) => [name, spec])),
    outdir: path.join(staging, 'vendor'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module bundle need a require().
    banner: { js: "import { createRequire as __tktCreateRequire } from 'node:module'; const require = __tktCreateRequire(import.meta.url);" },
  });

  // ---- into dist/ ----
  const moveAll = (from, to) => {
    fs.mkdirSync(to, { recursive: true });
    const names = fs.readdirSync(from, { withFileTypes: true });
    // Chunks before the entries that import them.
    for (const e of names.filter((n) => n.isDirectory())) moveAll(path.join(from, e.name), path.join(to, e.name));
    for (const e of names.filter((n) => !n.isDirectory())) fs.renameSync(path.join(from, e.name), path.join(to, e.name));
    return names.map((e) => e.name);
  };
  const vendorChunks = new Set(fs.readdirSync(path.join(staging, 'vendor', 'chunks')));
  moveAll(path.join(staging, 'vendor'), path.join(dist, 'vendor'));
  for (const f of ['tkt.cjs.map', 'tkt.cjs', 'tkt.js']) fs.renameSync(path.join(staging, f), path.join(dist, f));
  trainCodeCache(path.join(dist, 'tkt.cjs.cache'));

  // Content-hashed chunks that no build has produced for a while, and what the earlier layout left
  // (dist/chunks/, source maps of files gone), go; a process started before the rebuild may still
  // be reading them for a moment, hence the delay.
  const stale = Date.now() - 10 * 60 * 1000;
  const sweep = (dir, keep) => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir)) {
      const file = path.join(dir, f);
      if (!keep.has(f) && fs.statSync(file).mtimeMs < stale) fs.rmSync(file, { recursive: true, force: true });
    }
  };
  sweep(path.join(dist, 'vendor', 'chunks'), vendorChunks);
  sweep(path.join(dist, 'chunks'), new Set());
  sweep(dist, new Set(['tkt.cjs', 'tkt.cjs.map', 'tkt.cjs.cache', 'tkt.js', 'vendor']));
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
