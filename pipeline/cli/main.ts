/**
 * The `memo` command: parse arguments, call the library, report, set the exit
 * code. Exit codes: 0 every memo built, 1 a memo had errors or a file could
 * not be read or written, 2 bad usage (an unknown option, a value out of
 * range) and nothing else.
 */
import { Command, CommanderError, Option } from 'commander';
import { toolVersion } from '../version.js';
import { registerAudit } from './commands/audit.js';
import { registerBuild } from './commands/build.js';
import { registerCheck } from './commands/check.js';
import { registerImport } from './commands/import.js';
import { registerNew } from './commands/new.js';
import { registerPreview } from './commands/preview.js';
import { registerPublish } from './commands/publish.js';
import { registerSeries } from './commands/series.js';
import { registerVerify } from './commands/verify.js';
import { registerDiff } from './commands/diff.js';
import { registerApprove } from './commands/approve.js';
import { registerDistribute } from './commands/distribute.js';
import { registerIdentify } from './commands/identify.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';

export { processIo };
import { UsageError } from './options.js';
import { describeFsErrorNow, isFsError } from '../io/fs-errors.js';

export function createProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('memo')
    .description(
      'Turn Markdown policy memos into an accessible PDF and a self-contained HTML page.',
    )
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run `memo --help` for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  program.addOption(new Option('--no-color', 'never colour the output'));
  registerBuild(program, io, setExit);
  registerCheck(program, io, setExit);
  registerNew(program, io, setExit);
  registerImport(program, io, setExit);
  registerPreview(program, io, setExit);
  registerPublish(program, io, setExit);
  registerVerify(program, io, setExit);
  registerSeries(program, io, setExit);
  registerDiff(program, io, setExit);
  registerAudit(program, io, setExit);
  registerApprove(program, io, setExit);
  registerDistribute(program, io, setExit);
  registerIdentify(program, io, setExit);
  return program;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = createProgram(io, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`memo: ${error.message}\n(run \`memo --help\` for usage)\n`);
      return 2;
    }
    const reason = isFsError(error)
      ? describeFsErrorNow(error, io.cwd)
      : error instanceof Error
        ? error.message
        : String(error);
    io.stderr.write(`memo: ${reason}\n`);
    return 1;
  } finally {
    io.earlyChromium?.discard(); // a Chromium started for a build that never printed
  }
  return exitCode;
}
