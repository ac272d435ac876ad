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
import type { Browser } from 'puppeteer-core';
import { closeBrowser, killBrowser, launchBrowser } from './browser.js';
import { killOnExit } from './browser-exit.js';
import { exitOnSignals } from './signals.js';
import type { Chromium } from './browser.js';
import type { ResolvedPdfOptions } from './pdf-options.js';
import { RenderError } from './render-error.js';
import { firstLine } from '../util/errors.js';

/** One launched browser and what it has been given. */
export interface Generation {
  readonly chromium: Chromium;
  /** `chromium.browser`, for short. */
  readonly browser: Browser;
  /**
   * Whether the blank tab Chromium opens at startup has been taken as a page
   * to print on (pdf-page.ts): using it rather than opening another saves a
   * tab's creation on every launch.
   */
  initialPageTaken: boolean;
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
  /** A place on the current browser that is no memo's (opening a page ahead of the first memo); `release` it too. */
  reserve(): Promise<Generation>;
  /** The memo is done (printed, failed or abandoned). */
  release(generation: Generation): void;
  close(): Promise<void>;
}

/** `options`: the renderer's own; the pool reads `executablePath`, `memosPerBrowser`, `handleSignals`. */
export async function createBrowserPool(options: ResolvedPdfOptions): Promise<BrowserPool> {
  // From before the first launch to the pool's close: a signal exits, and
  // the exit hooks kill every browser (browser.ts).
  const stopSignals = options.handleSignals ? exitOnSignals() : () => {};
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
      killBrowser(generation.chromium);
      unregister.get(generation)?.();
    }
    live.clear();
  };

  async function launch(): Promise<Generation> {
    const chromium = await launchBrowser(options);
    const { browser } = chromium;
    const generation: Generation = {
      chromium,
      browser,
      initialPageTaken: false,
      started: 0,
      active: 0,
      retired: false,
    };
    live.add(generation);
    unregister.set(generation, killOnExit(chromium));
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
    await closeBrowser(generation.chromium);
    unregister.get(generation)?.();
  }

  let current: Promise<Generation> = launch();
  let version: string;
  try {
    const first = await current;
    version = await first.browser.version().catch(async (error: unknown) => {
      await retire(first);
      throw new RenderError(`Chromium did not answer: ${firstLine(error)}`, { cause: error });
    });
  } catch (error) {
    stopSignals();
    throw error;
  }

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
    async reserve() {
      const generation = await current;
      if (failure !== undefined) throw failure;
      generation.active += 1;
      return generation;
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
      stopSignals();
    },
  };
}
