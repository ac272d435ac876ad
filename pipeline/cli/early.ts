/**
 * Run by bin/memo.js before it loads the command: a `memo build` that will
 * print PDFs starts Chromium at once, so the browser boots while Node loads
 * and parses the rest of the tool (docs/performance.md). Node built-ins only.
 */
import { setFlagsFromString } from 'node:v8';
import { startChromiumEarly } from '../render/chromium-process.js';
import type { EarlyChromium } from '../render/chromium-process.js';

/**
 * Whether `argv` is a `memo build` that prints: its `--format` (default
 * both) names pdf or both, and it is not a request for help. A wrong guess costs little either way: an unused
 * browser is killed at the end of the command; a missed one is launched
 * when the first PDF is needed, as before.
 */
export function buildPrints(argv: readonly string[]): boolean {
  const command = argv.findIndex((arg) => !arg.startsWith('-'));
  if (command === -1 || argv[command] !== 'build') return false;
  if (argv.slice(0, command).some((arg) => arg !== '--no-color')) return false;
  const rest = argv.slice(command + 1);
  if (rest.some((arg) => arg === '-h' || arg === '--help' || arg === '--')) return false;
  for (const [index, arg] of rest.entries()) {
    const inline = /^(?:--format=|-f=?)(.+)$/u.exec(arg);
    const format =
      inline?.[1] ?? (arg === '--format' || arg === '-f' ? rest[index + 1] : undefined);
    if (format !== undefined)
      return format.split(',').some((name) => name.trim() === 'pdf' || name.trim() === 'both');
  }
  return true;
}

export function startEarly(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): EarlyChromium | undefined {
  return buildPrints(argv) ? startChromiumEarly(env) : undefined;
}

/**
 * Whether V8's optimising compiler (TurboFan) should be off for `argv`: every
 * command but `memo preview` runs for seconds, and TurboFan's background compiles
 * take the core Chromium needs for code that runs a few times (docs/performance.md,
 * "V8's optimiser off"). The preview server runs for hours and keeps it.
 */
export function optimiserOff(argv: readonly string[]): boolean {
  return argv.find((arg) => !arg.startsWith('-')) !== 'preview';
}

/** Turns TurboFan off for a short command; called before the rest of the tool loads. */
export function tuneV8(argv: readonly string[]): void {
  if (optimiserOff(argv)) setFlagsFromString('--no-turbofan');
}
