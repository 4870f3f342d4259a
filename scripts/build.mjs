// Bundles the CLI into dist/ (one file for start-up, plus chunks for what loads lazily: the
// store, prompts, CSV). better-sqlite3 stays external: it loads a native addon.
// The bundle is written to a temp folder and moved into dist/ file by file (chunks first, the
// entry last), so a tkt process started during a rebuild never reads a half-written file.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const staging = fs.mkdtempSync(path.join(root, '.dist-'));

try {
  await build({
    entryPoints: { tkt: path.join(root, 'src/cli/main.ts') },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module bundle need a require().
    banner: { js: "import { createRequire as __tktCreateRequire } from 'node:module'; const require = __tktCreateRequire(import.meta.url);" },
  });
  fs.mkdirSync(path.join(dist, 'chunks'), { recursive: true });
  const chunks = fs.readdirSync(path.join(staging, 'chunks'));
  for (const f of chunks) fs.renameSync(path.join(staging, 'chunks', f), path.join(dist, 'chunks', f));
  for (const f of ['tkt.js.map', 'tkt.js']) fs.renameSync(path.join(staging, f), path.join(dist, f));
  // Chunks are content-hashed: drop those no build has produced for a while.
  const keep = new Set(chunks);
  const stale = Date.now() - 10 * 60 * 1000;
  for (const f of fs.readdirSync(path.join(dist, 'chunks'))) {
    const file = path.join(dist, 'chunks', f);
    if (!keep.has(f) && fs.statSync(file).mtimeMs < stale) fs.rmSync(file, { force: true });
  }
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
