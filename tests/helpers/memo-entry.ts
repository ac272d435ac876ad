/**
 * Run the CLI from source in a child process (for tests that need a real
 * process: signals, kill -9, concurrency), the way bin/memo.js runs the
 * bundle: a build that prints starts Chromium before the rest loads.
 *   node --import tsx tests/helpers/memo-entry.ts build …
 */
import { startEarly } from '../../pipeline/cli/early.js';

const argv = process.argv.slice(2);
const earlyChromium = startEarly(argv, process.env);
const { main, processIo } = await import('../../pipeline/cli/main.js');
process.exitCode = await main(argv, {
  ...processIo(),
  ...(earlyChromium === undefined ? {} : { earlyChromium }),
});
