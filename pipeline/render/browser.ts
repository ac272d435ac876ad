/**
 * Finding and launching the system's Chromium for PDF printing.
 *
 * The browser is driven by puppeteer-core, the library the `puppeteer` package
 * is built on: `puppeteer` adds only its own browser download and a config
 * file lookup (cosmiconfig, which can load TypeScript), neither of which
 * memo-press uses, since it always names the system's Chromium. The CLI
 * bundle (scripts/ensure.mjs) includes puppeteer-core, which loads faster
 * (docs/performance.md).
 *
 * puppeteer-core is imported lazily (`loadPuppeteer`) so that commands that
 * never print a PDF (HTML only, validation, archive listing) never pay for
 * loading it. Only `import type` appears at the top level, and
 * `verbatimModuleSyntax` guarantees those are erased from the emitted code.
 *
 * No module-level state: everything a launched browser needs lives in the
 * objects these functions return.
 */
import { Readable, Writable } from 'node:stream';
import type { Browser } from 'puppeteer-core';
import {
  findChromium,
  forgetChromium,
  killChromium,
  spawnChromium,
  startProblem,
} from './chromium-process.js';
import type { ChromiumProcess, EarlyChromium } from './chromium-process.js';

export { findChromium, headlessMode } from './chromium-process.js';

/** Error meant for users: its message says what to do, its stack is noise. */
export class BrowserError extends Error {
  override name = 'BrowserError';
}

const INSTALL_HINT =
  'install it with `apt-get install chromium` or set MEMO_CHROMIUM to the path of a Chromium or Chrome executable';

/** How long Chromium may take to start and open its first tab. */
const START_TIMEOUT_MS = 30_000;

export interface LaunchOptions {
  /** Defaults to `findChromium(env)`. */
  executablePath?: string;
  /** Chromium's environment; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the browser (also while it is starting). */
  signal?: AbortSignal;
  /** A process the command's launcher started before the tool loaded, used when it is the same program. */
  early?: EarlyChromium;
}

/**
 * A launched Chromium, its process and the folder it may write to
 * (chromium-process.ts): removing the folder after a kill leaves nothing
 * behind, not even Chromium's socket folder in /tmp.
 */
export interface Chromium {
  readonly browser: Browser;
  readonly child: ChromiumProcess['child'];
  /** Created by the launch, removed by `killBrowser`. */
  readonly folder: string;
}

/**
 * Load puppeteer-core (cached by the module system after the first call).
 * `memo build` calls it before loading its Markdown pipeline, so that
 * Chromium's launch starts first and the rest loads while it boots.
 */
export async function loadPuppeteer() {
  // What `puppeteer.connect` runs for a CDP transport, without the launchers and browser
  // downloader its entry module loads (docs/performance.md).
  const [{ _connectToCdpBrowser }, { PipeTransport }] = await Promise.all([
    import('puppeteer-core/internal/cdp/BrowserConnector.js'),
    import('puppeteer-core/internal/node/PipeTransport.js'),
  ]);
  // The same class at run time; its internal declaration is a different type to TypeScript.
  const connect = async (transport: InstanceType<typeof PipeTransport>): Promise<Browser> =>
    (await _connectToCdpBrowser(transport, '', {})) as unknown as Browser;
  return { connect, PipeTransport };
}

/**
 * Start headless Chromium (or take the one started early) and connect to it
 * over its pipe: Chromium boots while puppeteer loads. Resolves once its
 * first tab exists, as `puppeteer.launch` does.
 */
export async function launchBrowser(options: LaunchOptions): Promise<Chromium> {
  const env = options.env ?? process.env;
  const executablePath = options.executablePath ?? findChromium(env);
  if (executablePath === undefined) {
    options.early?.discard();
    throw new BrowserError(`Chromium could not be found: ${INSTALL_HINT}.`);
  }
  const unusable = startProblem(undefined, executablePath);
  if (unusable !== undefined) {
    options.early?.discard();
    throw new BrowserError(
      `Chromium could not be started (${executablePath}: ${unusable}): ${INSTALL_HINT}.`,
    );
  }
  const started = options.early?.take(executablePath) ?? spawnChromium(executablePath, env);
  // Until the caller can register `killOnExit`: an exit while Chromium starts
  // (Ctrl-C, see `exitOnSignals`) kills it and removes its folder.
  const kill = (): void => killChromium(started);
  process.once('exit', kill);
  const aborted = new Promise<never>((_, reject) => {
    const abort = (): void => {
      kill();
      reject(new BrowserError('Starting Chromium was cancelled.'));
    };
    if (options.signal?.aborted === true) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
  });
  aborted.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
  });
  timedOut.catch(() => {});
  try {
    const connecting = (async () => {
      const { connect, PipeTransport } = await loadPuppeteer();
      const [write, read] = [started.child.stdio[3], started.child.stdio[4]];
      if (!(write instanceof Writable) || !(read instanceof Readable))
        throw new Error('no debugging pipe');
      const browser = await connect(new PipeTransport(write, read));
      await browser.waitForTarget((target) => target.type() === 'page', {
        timeout: START_TIMEOUT_MS,
      });
      return browser;
    })();
    connecting.catch(() => {});
    const browser = await Promise.race([
      connecting,
      aborted,
      timedOut,
      started.ended.then((reason) => Promise.reject(reason)),
    ]);
    return { browser, child: started.child, folder: started.folder };
  } catch (error) {
    kill();
    forgetChromium(started);
    if (error instanceof BrowserError) throw error;
    if (options.signal?.aborted === true)
      throw new BrowserError('Starting Chromium was cancelled.', { cause: error });
    // Puppeteer's own words (protocol errors) stay in `cause`.
    throw new BrowserError(
      `Chromium could not be started (${executablePath}: ${startProblem(error, executablePath) ?? 'it stopped while starting'}): ${INSTALL_HINT}.`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    process.removeListener('exit', kill);
  }
}

/**
 * End the browser now: kill its whole process group and remove its folder.
 * Synchronous, so it is safe in signal and exit handlers, and idempotent.
 *
 * This is also how a browser is closed (`closeBrowser`). A graceful close
 * (CDP Browser.close, then waiting for the process to exit) is slower and
 * saves nothing a throwaway profile needs: every PDF is already in Node's
 * memory or on disk when the browser is ended.
 */
export function killBrowser(chromium: Chromium): void {
  killChromium(chromium);
}

/**
 * Close the browser: kill it and remove its folder, drop puppeteer's
 * connection, and stop Node waiting for the killed processes to be reaped:
 * a finished build exits as soon as its files are written.
 */
export async function closeBrowser(chromium: Chromium): Promise<void> {
  killBrowser(chromium);
  await chromium.browser.disconnect().catch(() => {});
  forgetChromium(chromium);
}
