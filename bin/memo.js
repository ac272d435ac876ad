#!/usr/bin/env node
// memo-press command-line launcher: runs the bundled CLI in dist/bin/ (built
// from pipeline/ by scripts/ensure.mjs: tsc, then esbuild).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bin/main.js', import.meta.url);

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
