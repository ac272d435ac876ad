/**
 * Before the integration tests: compile pipeline/ to dist/ when it is out of
 * date (the tests that run the CLI in a child process run the compiled
 * bin/memo.js). `npm test` has done this already through scripts/ensure.mjs;
 * this covers `npx vitest` runs after an edit. Compiling only (--build-only):
 * never `npm ci`, never apt-get.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure.mjs'), '--build-only'], {
    cwd: root,
    stdio: 'inherit',
  });
}
