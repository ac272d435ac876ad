import type { EarlyChromium } from '../render/chromium-process.js';
import type { PdfTuning } from '../render/pdf-options.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Called as each memo of a build starts printing (tests wait on it). */
  readonly onPrintStart?: PdfTuning['onPrintStart'];
  /** Chromium started by bin/memo.js before the tool loaded, for `memo build` to print with. */
  readonly earlyChromium?: EarlyChromium;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Colour only on a terminal, never with NO_COLOR or --no-color. */
export function useColor(io: CliIo, flag: boolean | undefined): boolean {
  if (flag === false || io.env['NO_COLOR'] !== undefined) return false;
  return io.stderr.isTTY === true;
}
