import { main } from '../../pipeline/cli/main.js';
import type { CliIo } from '../../pipeline/cli/io.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the `memo` CLI in-process, capturing its output. `env` is added to a
 * copy of the test's environment (never to `process.env`); `hooks` are the
 * events a test may wait on (`onPrintStart`).
 */
export async function runCli(
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  hooks: Pick<CliIo, 'onPrintStart'> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    ...hooks,
  });
  return { code, stdout, stderr };
}
