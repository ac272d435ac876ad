/**
 * Before any test: compile pipeline/ to dist/ when it is out of date (the
 * tests that need real child processes run the compiled CLI, bin/memo.js).
 * `npm test` has done this already through scripts/ensure.mjs; this covers
 * `npx vitest` runs after an edit.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure.mjs'), '--no-browser'], {
    cwd: root,
    stdio: 'inherit',
  });
}
