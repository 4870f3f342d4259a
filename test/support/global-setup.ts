// The end-to-end tests run the built CLI; make sure dist/ matches src/ before any test starts.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.TKT_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
