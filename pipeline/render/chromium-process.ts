/**
 * Finding the system's Chromium and starting its process, with Node's
 * built-ins only: no puppeteer. Spawning here rather than through
 * `puppeteer.launch` lets Chromium boot while puppeteer (and, from the
 * command's launcher, the rest of the tool) loads; browser.ts then connects
 * to the process over its debugging pipe (docs/performance.md).
 *
 * No module-level state: a started process lives in the object returned.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
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
import { waitForGroupEnd } from './process-group.js';
import { exitOnSignals } from './signals.js';

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

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile(); // follows symlinks (google-chrome is one)
  } catch {
    return false;
  }
}

/**
 * The first existing executable among `MEMO_CHROMIUM`, `PUPPETEER_EXECUTABLE_PATH`
 * and the usual system paths, or undefined. An environment variable naming a
 * missing file is skipped like any other candidate; the launch then reports
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
 * How this executable runs headless: a headless shell takes the plain
 * `--headless` flag ('shell'); a full Chromium or Chrome runs its new headless
 * mode (`--headless=new`).
 */
export function headlessMode(executablePath: string): 'shell' | true {
  return HEADLESS_SHELL.test(path.basename(executablePath)) ? 'shell' : true;
}

/**
 * The flags puppeteer-core's `defaultArgs` gives a headless launch (tests/
 * chromium-process.test.ts checks this list against the installed puppeteer's
 * own), with memo-press's additions merged in: its `--disable-features` join
 * puppeteer's, as `puppeteer.launch` would merge them.
 */
const PUPPETEER_DEFAULTS = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
] as const;

const PUPPETEER_DISABLED_FEATURES = [
  'Translate',
  'AcceptCHFrame',
  'MediaRouter',
  'OptimizationHints',
  'WebUIReloadButton',
  'ProcessPerSiteUpToMainFrameThreshold',
  'IsolateSandboxedIframes',
] as const;

/**
 * Headless Chromium still builds the address bar's drop-down pages at every
 * start, which nothing here shows: without them its start takes about half
 * the CPU (docs/performance.md).
 */
export const MEMO_DISABLED_FEATURES = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'PreloadTopChromeWebUI',
] as const;

/**
 * Chromium as one process: its renderer, GPU and network services as threads of the browser,
 * no zygote. Only without the sandbox (as root), where a renderer's process of its own walls
 * off nothing a memo could reach (page scripts are off, every request refused); it starts and
 * prints faster, one memo or many, with the same PDFs (docs/performance.md).
 */
export const ONE_PROCESS = ['--single-process', '--no-zygote', '--in-process-gpu'] as const;

/** memo-press's own flags (puppeteer's defaults already include some; repeating them is harmless). */
export function memoChromiumArgs(): string[] {
  const args = [
    '--disable-gpu', // no GPU on servers/CI; avoids a GPU process probing for one
    // Nor a software one (SwiftShader): a print never needs the GPU's process or thread.
    '--disable-software-rasterizer',
    // No frame is drawn unless DevTools asks for one (it never does): without this the
    // compositor paints and rasterizes the page after every load, which no print uses
    // (printing paints on its own), on a core the load and print need (docs/performance.md).
    '--enable-begin-frame-control',
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
  ];
  // Chromium refuses to start its sandbox as root (containers, CI). Elsewhere
  // the sandbox stays on: it is what contains a hostile memo.
  if (process.getuid?.() === 0) args.push('--no-sandbox', ...ONE_PROCESS);
  return args;
}

/** The whole command line after the executable: what `puppeteer.launch({ pipe: true, … })` would pass. */
export function chromiumCommandLine(executablePath: string, userDataDir: string): string[] {
  return [
    ...PUPPETEER_DEFAULTS,
    `--disable-features=${[...PUPPETEER_DISABLED_FEATURES, ...MEMO_DISABLED_FEATURES].join(',')}`,
    '--enable-features=PdfOopif',
    `--user-data-dir=${userDataDir}`,
    headlessMode(executablePath) === 'shell' ? '--headless' : '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    '--disable-extensions',
    'about:blank',
    ...memoChromiumArgs(),
    '--remote-debugging-pipe',
  ];
}

/** Free space a memory-backed /dev/shm must have to hold a browser's folder. */
const MIN_SHM_BYTES = 1024 ** 3;

/**
 * Where a browser's folder goes: the run's TMPDIR when it is set (an explicit
 * choice wins, unless it is too deep for Chromium's socket), else /dev/shm when
 * it is a writable in-memory file system with at least 1 GiB free, else the
 * system's temporary folder. Chromium writes a profile of many small files at
 * every start and the folder is removed at every close, which is faster in
 * memory (docs/performance.md). A small /dev/shm (64 MB in a default Docker
 * container) is not used: Chromium's shared memory goes into this folder too
 * (--disable-dev-shm-usage, TMPDIR).
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

/** Why `executablePath` cannot run (or, after a failed start, why it failed), in plain words. */
export function startProblem(error: unknown, executablePath: string): string | undefined {
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

/**
 * A Chromium process just spawned, and the folder it may write to. The
 * folder is ours: it holds the profile and, through TMPDIR, Chromium's own
 * temporary files (its singleton socket folder, shared-memory files under
 * --disable-dev-shm-usage), so that removing it after a kill leaves nothing.
 */
export interface ChromiumProcess {
  readonly executablePath: string;
  readonly child: ChildProcess;
  readonly folder: string;
  /** Settles with the spawn error, or the exit, of a process that ends before it is told to. */
  readonly ended: Promise<Error>;
}

/**
 * Start Chromium with its debugging pipe on file descriptors 3 and 4 (no
 * port open to other local users), in its own process group (`detached`), so
 * that `killChromium` ends its renderers too. Throws only when the folder
 * cannot be made; a program that cannot run settles `ended`.
 */
export function spawnChromium(executablePath: string, env: NodeJS.ProcessEnv): ChromiumProcess {
  const folder = mkdtempSync(path.join(folderBase(env), 'memo-press-chromium-'));
  const child = spawn(
    executablePath,
    chromiumCommandLine(executablePath, path.join(folder, 'profile')),
    {
      detached: process.platform !== 'win32',
      env: { ...env, TMPDIR: folder },
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  const ended = new Promise<Error>((resolve) => {
    child.once('error', resolve);
    child.once('exit', (code, signal) =>
      resolve(new Error(`exited while starting (${signal ?? `status ${code ?? '?'}`})`)),
    );
  });
  return { executablePath, child, folder, ended };
}

/** How long a kill waits for Chromium's processes to be gone before removing its folder anyway. */
const GROUP_END_TIMEOUT_MS = 2000;

/**
 * End the process now: kill its whole process group (renderers, zygote,
 * utility processes) and remove its folder. Synchronous, so it is safe in
 * signal and exit handlers, and idempotent.
 */
export function killChromium(chromium: Pick<ChromiumProcess, 'child' | 'folder'>): void {
  const { pid } = chromium.child;
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
    // Until the kill has landed, a process of the group may still write in the folder.
    waitForGroupEnd(
      pid,
      GROUP_END_TIMEOUT_MS,
      chromium.child.spawnargs.includes('--single-process'),
    );
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
 * Stop Node waiting for a killed process: no reaping, no open pipes, so a
 * finished build exits as soon as its files are written.
 */
export function forgetChromium(chromium: Pick<ChromiumProcess, 'child'>): void {
  chromium.child.unref();
  for (const stream of chromium.child.stdio) stream?.destroy();
}

/**
 * A Chromium started by the command's launcher (bin/memo.js) before the rest
 * of the tool loaded. The first launch that runs the same program takes it;
 * whoever holds it last discards it (the build context on close, `main` at
 * the end of every command), so it never outlives the run.
 */
export interface EarlyChromium {
  /** The process, once, if it runs `executablePath`; otherwise it is killed and undefined returned. */
  take(executablePath: string): ChromiumProcess | undefined;
  /** Kill it unless it was taken. Idempotent. */
  discard(): void;
}

/**
 * Start Chromium now, for a command that will print. Until it is taken, an
 * exit or a signal (which then exits with 128 + its number, as the build
 * would) kills it and removes its folder. Undefined when no usable Chromium
 * is found: the launch proper then reports why.
 */
export function startChromiumEarly(env: NodeJS.ProcessEnv): EarlyChromium | undefined {
  const executablePath = findChromium(env);
  if (executablePath === undefined || startProblem(undefined, executablePath) !== undefined)
    return undefined;
  let started: ChromiumProcess;
  try {
    started = spawnChromium(executablePath, env);
  } catch {
    return undefined; // no folder could be made: the launch proper will say so
  }
  started.ended.catch(() => {});
  const kill = (): void => killChromium(started);
  const stopSignals = exitOnSignals();
  process.once('exit', kill);
  let held = true;
  const release = (): void => {
    held = false;
    process.removeListener('exit', kill);
    stopSignals();
  };
  return {
    take(wanted) {
      if (!held) return undefined;
      release();
      if (wanted === started.executablePath && started.child.exitCode === null) return started;
      kill();
      forgetChromium(started);
      return undefined;
    },
    discard() {
      if (!held) return;
      release();
      kill();
      forgetChromium(started);
    },
  };
}
