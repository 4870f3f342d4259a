// The end-to-end tests run the built CLI; make sure dist/ matches src/ before any test starts.
// As root, the CLI is then staged where other Unix users can run it (test/support/foreign-user.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { AS_ROOT, stageCli } from './foreign-user.js';

export default function setup(project: TestProject): () => void {
  if (process.env.TKT_SKIP_BUILD !== '1') execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const staged = AS_ROOT ? stageCli() : '';
  project.provide('stagedCli', staged);
  return () => {
    if (staged) fs.rmSync(staged, { recursive: true, force: true });
  };
}
