/**
 * Finding and launching the system's Chromium for PDF printing.
 *
 * puppeteer is imported lazily (inside `launchBrowser`) so that commands that
 * never print a PDF (HTML only, validation, archive listing) never pay for
 * loading it. Only `import type` appears at the top level, and
 * `verbatimModuleSyntax` guarantees those are erased from the emitted code.
 *
 * No module-level state: everything a launched browser needs lives in the
 * objects these functions return.
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Browser } from 'puppeteer';

/** Error meant for users: its message says what to do, its stack is noise. */
export class BrowserError extends Error {
  override name = 'BrowserError';
}

const INSTALL_HINT =
  'install it with `apt-get install chromium` or set MEMO_CHROMIUM to the path of a Chromium or Chrome executable';

/** Well-known locations, tried after the environment variables, in order. */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
] as const;

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile(); // follows symlinks (google-chrome is one)
  } catch {
    return false;
  }
}

/**
 * The first existing executable among `MEMO_CHROMIUM`, `PUPPETEER_EXECUTABLE_PATH`
 * and the usual system paths, or undefined. An environment variable naming a
 * missing file is skipped like any other candidate; `launchBrowser` then reports
 * the lookup failure as a whole.
 */
export function findChromium(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = [env['MEMO_CHROMIUM'], env['PUPPETEER_EXECUTABLE_PATH']].filter(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return [...fromEnv, ...CANDIDATES].find(isExecutableFile);
}

/**
 * Chromium flags on top of puppeteer's defaults (which already include
 * --disable-extensions, --hide-scrollbars, --mute-audio, --export-tagged-pdf,
 * --generate-pdf-document-outline; repeating some is harmless and keeps this
 * list self-explanatory if puppeteer's defaults change).
 */
function chromiumArgs(): string[] {
  const args = [
    '--disable-gpu', // no GPU on servers/CI; avoids a GPU process probing for one
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--disable-extensions',
    '--disable-sync',
    '--disable-dev-shm-usage', // small /dev/shm in containers crashes renderers
    '--no-first-run',
    '--no-default-browser-check',
    '--no-pings',
    '--mute-audio',
    '--hide-scrollbars',
    // Hinting depends on the machine's fontconfig; without it glyph advances are
    // the font's own, so line breaks (and page breaks) match across machines.
    '--font-render-hinting=none',
    // Memos are self-contained: the network layer gets no name or address to
    // connect to. Request interception (pdf.ts) cannot see <link rel=prefetch>
    // or preconnect, which Chromium otherwise performs; measured: with this
    // rule a loopback server sees no connection at all, even for IP literals.
    '--host-resolver-rules=MAP * ~NOTFOUND',
  ];
  // Chromium refuses to start its sandbox as root (containers, CI). Elsewhere
  // the sandbox stays on: it is what contains a hostile memo.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

export interface LaunchOptions {
  /** Defaults to `findChromium(process.env)`. */
  executablePath?: string;
  /** Aborting kills the browser (also while it is starting). */
  signal?: AbortSignal;
}

/** Launch headless Chromium over a pipe (no debugging port open to other local users). */
export async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  const executablePath = options.executablePath ?? findChromium(process.env);
  if (executablePath === undefined) {
    throw new BrowserError(`Chromium could not be found: ${INSTALL_HINT}.`);
  }
  const { default: puppeteer } = await import('puppeteer');
  try {
    return await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      args: chromiumArgs(),
      // Signals are handled by `closeOnSignals` below, which also exits with
      // the conventional status; puppeteer's own handlers would exit(130) for
      // SIGINT only and leave SIGTERM/SIGHUP running. Its 'exit' hook, which
      // kills the process group synchronously, stays in place.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 30_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted === true) {
      throw new BrowserError('Starting Chromium was cancelled.', { cause: error });
    }
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BrowserError(
      `Chromium could not be started (${executablePath}: ${reason}): ${INSTALL_HINT}.`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Kill the browser's whole process group (renderers, zygote, GPU/utility
 * processes) at once. puppeteer starts Chromium `detached`, so its pid is a
 * process-group id. Synchronous, so it is safe in signal and exit handlers.
 */
export function killBrowser(browser: Browser): void {
  const pid = browser.process()?.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Close gracefully (removes the temporary profile); kill if that takes too long. */
export async function closeBrowser(browser: Browser, graceMs = 3_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  try {
    const outcome = await Promise.race([browser.close().then(() => 'closed' as const), deadline]);
    if (outcome === 'timeout') killBrowser(browser);
  } catch {
    killBrowser(browser);
  } finally {
    clearTimeout(timer);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface SignalCleanupOptions {
  /** Called with 128 + the signal number; defaults to `process.exit`. */
  exit?: (code: number) => void;
  /** How long a graceful close may take before the process group is killed. */
  graceMs?: number;
}

/**
 * On SIGINT/SIGTERM/SIGHUP: close the browser (kill it if closing stalls),
 * then exit with 128 + the signal number (130, 143, 129). Returns the function
 * that removes the handlers again; call it once the browser is closed.
 *
 * Several browsers may register at once: each handler closes its own browser
 * before exiting, and whichever exits first triggers puppeteer's 'exit' hook,
 * which kills the others synchronously.
 */
export function closeOnSignals(browser: Browser, options: SignalCleanupOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const handlers = SIGNALS.map((signal) => {
    const code = 128 + osConstants.signals[signal];
    const handler = (): void => {
      // A second signal while closing (impatient Ctrl-C): kill now and leave.
      if (closing) {
        killBrowser(browser);
        exit(code);
        return;
      }
      closing = true;
      void closeBrowser(browser, options.graceMs ?? 1_500).finally(() => exit(code));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
