#!/usr/bin/env node
// memo-press command-line launcher: runs the compiled CLI in dist/ (built from
// pipeline/ by `npm run build:ts`, or automatically by scripts/ensure.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);

if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('memo-press is not built yet: run `npm start` or `npm run build:ts`\n');
  process.exit(2);
}

try {
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `memo-press: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
