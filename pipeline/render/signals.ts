/**
 * Exiting on a signal with the conventional status, so that the 'exit' hooks
 * (which end the browsers) run. No module-level state: the function returns
 * what removes its handlers.
 */
import os from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface SignalCleanupOptions {
  /** Called with 128 + the signal number; defaults to `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * On SIGINT/SIGTERM/SIGHUP: exit with 128 + the signal number (130, 143,
 * 129). Exiting runs the 'exit' hooks, which kill every browser still running
 * and remove its folder (`killOnExit`), and one still starting
 * (`launchBrowser`, `startChromiumEarly`). Returns the function that removes
 * the handlers again.
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
