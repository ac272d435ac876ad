/**
 * Ending the browsers when the process ends: on a signal, and on any exit.
 * No module-level state: each function returns what removes its handlers.
 */
import os from 'node:os';
import { killBrowser } from './browser.js';
import type { Chromium } from './browser.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface SignalCleanupOptions {
  /** Called with 128 + the signal number; defaults to `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * On SIGINT/SIGTERM/SIGHUP: exit with 128 + the signal number (130, 143,
 * 129). Exiting runs the 'exit' hooks, which kill every browser still running
 * and remove its folder (`killOnExit`), and the folder of one still starting
 * (`launchBrowser`; puppeteer's own hook kills its processes). Returns the
 * function that removes the handlers again.
 */
export function exitOnSignals(options: SignalCleanupOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const handlers = SIGNALS.map((signal) => {
    const code = 128 + os.constants.signals[signal];
    const handler = (): void => exit(code);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}

/**
 * Kill the browser and remove its folder if Node exits while it still runs
 * (an uncaught error, `process.exit` elsewhere, the preview's own Ctrl-C
 * handling). Returns the function that removes the hook.
 */
export function killOnExit(chromium: Chromium): () => void {
  const hook = (): void => killBrowser(chromium);
  process.once('exit', hook);
  return () => process.removeListener('exit', hook);
}
