/**
 * The Chromium processes one PDF renderer prints with. One browser at a time
 * takes new memos; after `memosPerBrowser` memos it is retired (closed once
 * its last memo is done) and a fresh one is launched for the next memo. A
 * browser's own process (caches, per-context bookkeeping, the GPU and utility
 * processes) is only ever fully given back by ending it, so this bounds the
 * memory of any batch, however long.
 *
 * A browser that exits without being asked to (crash, `kill -9`, out of
 * memory) ends the pool: every memo printing or queued fails with the same
 * clear error, and its remaining processes are killed. Nothing is relaunched
 * after a crash: what killed it would likely kill the next one too.
 */
import type { Browser } from 'puppeteer';
import { closeBrowser, closeOnSignals, killBrowser, launchBrowser } from './browser.js';
import { RenderError } from './render-error.js';

export interface BrowserPoolOptions {
  readonly executablePath?: string;
  /** Memos printed by one browser before it is replaced. */
  readonly memosPerBrowser: number;
  /** Close the browsers and exit on SIGINT/SIGTERM/SIGHUP. */
  readonly handleSignals: boolean;
}

/** One launched browser and what it has been given. */
export interface Generation {
  readonly browser: Browser;
  /** Memos started on it, and those still printing. */
  started: number;
  active: number;
  /** Takes no new memo; closed when `active` reaches 0. */
  retired: boolean;
}

export interface BrowserPool {
  readonly version: string;
  /** Rejects (once) with the RenderError that ended the pool: race every render against it. */
  readonly ended: Promise<never>;
  /** The RenderError that ended the pool (a crash, or `close()`), if it has ended. */
  failure(): RenderError | undefined;
  /** A place for one memo on the current browser (launching the next one if it has printed its share). */
  acquire(): Promise<Generation>;
  /** The memo is done (printed, failed or abandoned). */
  release(generation: Generation): void;
  close(): Promise<void>;
}

export async function createBrowserPool(options: BrowserPoolOptions): Promise<BrowserPool> {
  const live = new Set<Generation>();
  const planned = new WeakSet<Browser>(); // browsers we are closing ourselves
  const unregister = new WeakMap<Generation, () => void>();
  let failure: RenderError | undefined;
  let end: (error: RenderError) => void = () => {};
  const ended = new Promise<never>((_, reject) => {
    end = (error) => {
      failure ??= error;
      reject(failure);
    };
  });
  ended.catch(() => {}); // observed by each race; never unhandled

  const crash = (): void => {
    if (failure !== undefined) return;
    end(new RenderError('Chromium exited unexpectedly (crashed or was killed) while printing'));
    // Whatever is left of any browser (renderers of a killed main process) goes too.
    for (const generation of live) {
      killBrowser(generation.browser);
      unregister.get(generation)?.();
    }
    live.clear();
  };

  async function launch(): Promise<Generation> {
    const browser = await launchBrowser(
      options.executablePath === undefined ? {} : { executablePath: options.executablePath },
    );
    const generation: Generation = { browser, started: 0, active: 0, retired: false };
    live.add(generation);
    unregister.set(generation, options.handleSignals ? closeOnSignals(browser) : () => {});
    browser.once('disconnected', () => {
      if (!planned.has(browser)) crash();
    });
    if (failure !== undefined) {
      // Closed (or crashed) while this one was starting.
      await retire(generation);
      throw failure;
    }
    return generation;
  }

  async function retire(generation: Generation): Promise<void> {
    generation.retired = true;
    if (generation.active > 0 || !live.has(generation)) return;
    live.delete(generation);
    planned.add(generation.browser);
    await closeBrowser(generation.browser);
    unregister.get(generation)?.();
  }

  let current: Promise<Generation> = launch();
  const first = await current;
  const version = await first.browser.version().catch(async (error: unknown) => {
    await retire(first);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new RenderError(`Chromium did not answer: ${reason}`, { cause: error });
  });

  return {
    version,
    ended,
    failure: () => failure,
    async acquire() {
      for (;;) {
        if (failure !== undefined) throw failure;
        const asked = current;
        const generation = await asked;
        if (failure !== undefined) throw failure;
        if (!generation.retired && generation.started < options.memosPerBrowser) {
          generation.started += 1;
          generation.active += 1;
          return generation;
        }
        // The first to find it full starts the next; the others wait for that one.
        if (current === asked) {
          void retire(generation);
          current = launch();
          current.catch(() => {}); // the memos awaiting it report the error
        }
      }
    },
    release(generation) {
      generation.active -= 1;
      if (generation.retired && generation.active === 0) void retire(generation);
    },
    async close() {
      if (failure === undefined)
        end(new RenderError('the PDF renderer was closed before the memo was printed'));
      const launching = await current.catch(() => undefined);
      if (launching !== undefined) launching.retired = true;
      await Promise.all(
        [...live].map(async (generation) => {
          generation.active = 0;
          await retire(generation);
        }),
      );
    },
  };
}
