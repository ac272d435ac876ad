/**
 * Run the CLI from source in a child process (for tests that need a real
 * process: signals, kill -9, concurrency):
 *   node --import tsx tests/helpers/memo-entry.ts build …
 */
import { main } from '../../pipeline/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
