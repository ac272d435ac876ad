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
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  mkdtempSync,
  rmSync,
  statSync,
  statfsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, PuppeteerNode } from 'puppeteer-core';

/** Error meant for users: its message says what to do, its stack is noise. */
export class BrowserError extends Error {
  override name = 'BrowserError';
}

const INSTALL_HINT =
  'install it with `apt-get install chromium` or set MEMO_CHROMIUM to the path of a Chromium or Chrome executable';

/**
 * Well-known locations, tried after the environment variables, in order.
 * Debian's `chromium-headless-shell` comes first: the same Blink as `chromium`
 * without the browser UI, it starts in about half the time (docs/performance.md).
 * Its binary, not /usr/bin's wrapper script, which would add a shell process.
 */
const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
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

/** Headless shells (Debian's, or Chrome for Testing's) run in puppeteer's 'shell' mode. */
const HEADLESS_SHELL =
  /^(?:chromium-headless-shell|chrome-headless-shell|headless_shell)(?:\.exe)?$/;

/**
 * How puppeteer runs this executable: a headless shell takes the plain
 * `--headless` flag ('shell'); a full Chromium or Chrome runs its new headless
 * mode (`--headless=new`).
 */
export function headlessMode(executablePath: string): 'shell' | true {
  return HEADLESS_SHELL.test(path.basename(executablePath)) ? 'shell' : true;
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
    // or preconnect, which Chromium otherwise performs; with this rule a
    // loopback server sees no connection at all, even for IP literals.
    '--host-resolver-rules=MAP * ~NOTFOUND',
    // Headless Chromium still builds the address bar's drop-down pages at
    // every start, which nothing here shows: without them its start takes
    // about half the CPU (docs/performance.md). puppeteer merges this list
    // with its own --disable-features.
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
  ];
  // Chromium refuses to start its sandbox as root (containers, CI). Elsewhere
  // the sandbox stays on: it is what contains a hostile memo.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

export interface LaunchOptions {
  /** Defaults to `findChromium(env)`. */
  executablePath?: string;
  /** Chromium's environment; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the browser (also while it is starting). */
  signal?: AbortSignal;
}

/**
 * A launched Chromium and the folder it may write to. The folder is ours, not
 * puppeteer's: it holds the profile and, through TMPDIR, Chromium's own
 * temporary files (its singleton socket folder, shared-memory files under
 * --disable-dev-shm-usage), so that removing it after a kill leaves nothing
 * behind. puppeteer's own temporary profile is only removed when the browser
 * exits while Node still runs, and a killed Chromium leaves its socket folder
 * in /tmp.
 */
export interface Chromium {
  readonly browser: Browser;
  /** Created by `launchBrowser`, removed by `killBrowser`. */
  readonly folder: string;
}

/**
 * Load puppeteer-core (cached by the module system after the first call).
 * `memo build` calls it before loading its Markdown pipeline, so that
 * Chromium's launch starts first and the rest loads while it boots.
 */
export async function loadPuppeteer(): Promise<Pick<PuppeteerNode, 'launch'>> {
  const { launch } = await import('puppeteer-core'); // bound to puppeteer-core's instance
  return { launch };
}

/** Free space a memory-backed /dev/shm must have to hold a browser's folder. */
const MIN_SHM_BYTES = 1024 ** 3;

/**
 * Where a browser's folder goes: the run's TMPDIR when it is set (an explicit
 * choice wins, unless it is too deep for Chromium's socket), else /dev/shm when it is a writable in-memory file system with at
 * least 1 GiB free, else the system's temporary folder. Chromium writes a
 * profile of many small files at every start and the folder is removed at
 * every close, which is faster in memory (docs/performance.md). A small
 * /dev/shm (64 MB in a default Docker container) is not used: Chromium's
 * shared memory goes into this folder too (--disable-dev-shm-usage, TMPDIR).
 */
function folderBase(env: NodeJS.ProcessEnv): string {
  const candidates: string[] = [];
  const tmp = env['TMPDIR'] ?? '';
  if (tmp !== '') candidates.push(path.resolve(tmp));
  else if (roomyShm()) candidates.push('/dev/shm');
  candidates.push(os.tmpdir(), '/tmp');
  // A folder too deep for Chromium's socket, or not writable, gives way to the next one.
  return candidates.find((base) => usableBase(base)) ?? candidates[0] ?? os.tmpdir();
}

/**
 * Chromium puts its singleton socket at
 * `<folder>/.org.chromium.Chromium.XXXXXX/SingletonSocket`, and a Unix socket
 * path holds at most 107 bytes: a deeper folder makes Chromium fail to start.
 */
const MAX_BASE_BYTES =
  107 -
  Buffer.byteLength('/memo-press-chromium-XXXXXX/.org.chromium.Chromium.XXXXXX/SingletonSocket');

function usableBase(base: string): boolean {
  if (process.platform !== 'win32' && Buffer.byteLength(base) > MAX_BASE_BYTES) return false;
  try {
    accessSync(base, fsConstants.W_OK);
    return statSync(base).isDirectory();
  } catch {
    return false;
  }
}

function roomyShm(): boolean {
  const shm = '/dev/shm';
  try {
    accessSync(shm, fsConstants.W_OK);
    const { bavail, bsize } = statfsSync(shm);
    return statSync(shm).isDirectory() && bavail * bsize >= MIN_SHM_BYTES;
  } catch {
    return false; // no /dev/shm (not Linux) or not ours to write
  }
}

/** Why `executablePath` cannot run (or, after a failed launch, why it failed), in plain words. */
function launchProblem(error: unknown, executablePath: string): string | undefined {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT' || !existsSync(executablePath)) return 'no such file';
  try {
    accessSync(executablePath, fsConstants.X_OK);
    if (!statSync(executablePath).isFile()) return 'not a program';
  } catch {
    return 'not allowed to run it';
  }
  return error === undefined ? undefined : 'it stopped while starting';
}

/** Launch headless Chromium over a pipe (no debugging port open to other local users). */
export async function launchBrowser(options: LaunchOptions): Promise<Chromium> {
  const env = options.env ?? process.env;
  const executablePath = options.executablePath ?? findChromium(env);
  if (executablePath === undefined) {
    throw new BrowserError(`Chromium could not be found: ${INSTALL_HINT}.`);
  }
  // Checked first: puppeteer's spawn of a file that cannot run throws from an event
  // handler, out of reach of any catch.
  const unusable = launchProblem(undefined, executablePath);
  if (unusable !== undefined)
    throw new BrowserError(
      `Chromium could not be started (${executablePath}: ${unusable}): ${INSTALL_HINT}.`,
    );
  const folder = mkdtempSync(path.join(folderBase(env), 'memo-press-chromium-'));
  // Until the caller can register `killOnExit`: an exit while Chromium starts
  // (Ctrl-C, see `exitOnSignals`) kills it (puppeteer kills the process group
  // synchronously on abort) and only then removes the folder, so that no
  // Chromium process writes into it again.
  const starting = new AbortController();
  const abort = (): void => starting.abort();
  if (options.signal?.aborted === true) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const removeOnExit = (): void => {
    starting.abort();
    removeFolder(folder);
  };
  process.once('exit', removeOnExit);
  try {
    const puppeteer = await loadPuppeteer();
    const browser = await puppeteer.launch({
      executablePath,
      headless: headlessMode(executablePath),
      pipe: true,
      args: chromiumArgs(),
      userDataDir: path.join(folder, 'profile'),
      env: { ...env, TMPDIR: folder },
      // Signals are handled by `exitOnSignals` (browser-exit.ts), which exits with the
      // conventional status; puppeteer's own handlers would exit(130) for
      // SIGINT only and leave SIGTERM/SIGHUP running. Its 'exit' hook, which
      // kills the process group synchronously, stays in place.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 30_000,
      signal: starting.signal,
    });
    return { browser, folder };
  } catch (error) {
    removeFolder(folder);
    if (options.signal?.aborted === true) {
      throw new BrowserError('Starting Chromium was cancelled.', { cause: error });
    }
    // Puppeteer's own words (protocol errors, its troubleshooting links) stay in `cause`.
    throw new BrowserError(
      `Chromium could not be started (${executablePath}: ${launchProblem(error, executablePath) ?? 'it stopped while starting'}): ${INSTALL_HINT}.`,
      { cause: error },
    );
  } finally {
    process.removeListener('exit', removeOnExit);
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * End the browser now: kill its whole process group (renderers, zygote,
 * utility processes) and remove its folder. puppeteer starts Chromium
 * `detached`, so its pid is a process-group id. Synchronous, so it is safe in
 * signal and exit handlers, and idempotent.
 *
 * This is also how a browser is closed (`closeBrowser`). A graceful close
 * (CDP Browser.close, then waiting for the process to exit) is slower and
 * saves nothing a throwaway profile needs: every PDF is already in Node's
 * memory or on disk when the browser is ended.
 */
export function killBrowser(chromium: Chromium): void {
  const pid = chromium.browser.process()?.pid;
  if (pid !== undefined) {
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
  removeFolder(chromium.folder);
}

function removeFolder(folder: string): void {
  // A process of the group may still be finishing a write when the kill lands:
  // retry a directory that is briefly not empty.
  try {
    rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // best effort: a leftover folder in the temp directory is harmless
  }
}

/**
 * Close the browser: kill it and remove its folder, drop puppeteer's
 * connection, and stop Node waiting for the killed processes to be reaped:
 * a finished build exits as soon as its files are written.
 */
export async function closeBrowser(chromium: Chromium): Promise<void> {
  killBrowser(chromium);
  await chromium.browser.disconnect().catch(() => {});
  const child = chromium.browser.process();
  child?.unref();
  for (const stream of child?.stdio ?? []) stream?.destroy();
}
