#!/usr/bin/env node
// memo-press command-line launcher: runs the bundled CLI in dist/bin/ (built
// from pipeline/ by scripts/ensure.mjs: tsc, then esbuild). A `memo build`
// that prints starts Chromium first (dist/bin/early.js, Node built-ins only),
// so the browser boots while the rest of the tool loads, and a short command
// turns V8's optimising compiler off before the tool loads (early.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bin/main.js', import.meta.url);
const early = new URL('../dist/bin/early.js', import.meta.url);

if (!existsSync(fileURLToPath(entry)) || !existsSync(fileURLToPath(early))) {
  process.stderr.write('memo-press is not built yet: run `npm start` or `npm run build:ts`\n');
  process.exit(2);
}

try {
  const argv = process.argv.slice(2);
  const { startEarly, tuneV8 } = await import(early.href);
  tuneV8(argv);
  const earlyChromium = startEarly(argv, process.env);
  const { main, processIo } = await import(entry.href);
  process.exitCode = await main(argv, {
    ...processIo(),
    ...(earlyChromium === undefined ? {} : { earlyChromium }),
  });
} catch (error) {
  process.stderr.write(
    `memo-press: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}

// The command is over (its files written, its browser ended): once the output has
// reached its pipes, exit without tearing the heap down piece by piece, which a
// natural end does and which takes longer than everything after the last write.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream) {
  return new Promise((resolve) => {
    if (stream.writableLength === 0 || stream.destroyed) resolve();
    else stream.write('', () => resolve());
  });
}
