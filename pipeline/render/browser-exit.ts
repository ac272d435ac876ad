/**
 * Ending the browsers when the process ends (on a signal: signals.ts).
 * No module-level state: each function returns what removes its handlers.
 */
import { killBrowser } from './browser.js';
import type { Chromium } from './browser.js';

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
