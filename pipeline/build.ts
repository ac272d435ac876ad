/**
 * `memo build`: sources → validated → each asked-for format (render/formats/:
 * HTML, PDF, Word) in `<out>/<slug>/`.
 *
 * - The build cache (cache/build-cache.ts) answers first: a memo whose inputs
 *   and outputs are unchanged is skipped. When every memo is fresh, neither
 *   unified nor puppeteer is even loaded.
 * - Chromium's launch starts before the rest of the pipeline is loaded, so the
 *   Markdown work overlaps it. One browser per run prints several memos at once.
 * - A memo's files are written only when all of them are ready, each one
 *   atomically: a failed memo writes nothing and leaves earlier output as it was.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import { cacheKey, isFresh, readEntry, writeEntry } from './cache/build-cache.js';
import { readJobs } from './build-jobs.js';
import type { Job } from './build-jobs.js';
import { inheritedFrom } from './config/index.js';
import { createContext } from './context.js';
import type { BuildContext } from './context.js';
import { writeFilesAtomic } from './io/atomic.js';
import { describeFsError, errorTarget, isFsError } from './io/fs-errors.js';
import { findSources, slugOf } from './io/sources.js';
import type { SourceList } from './io/sources.js';
import { loadSeriesMemos, readSeries, seriesMemoOf } from './archive/series-memos.js';
import type { SeriesMemo } from './frontmatter/series.js';
import { earlierMemos } from './frontmatter/series.js';
import { fail, hasErrors, warn } from './messages.js';
import { exitOnSignals } from './render/signals.js';
import { resolveFormats } from './render/formats/index.js';
import type { FormatInput, FormatRequest, OutputFormat } from './render/formats/index.js';
import { createLimiter } from './limit.js';
import type { MemoSession } from './session.js';
import { resolveRunOptions } from './session-options.js';
import type { RunOptions, SessionOptions } from './session-options.js';
import { createTimings } from './timings.js';
import type { Timings } from './timings.js';
import { sha256Hex } from './util/hash.js';
import { toolVersion } from './version.js';

export type { FormatRequest } from './render/formats/index.js';

export interface BuildOptions extends Omit<SessionOptions, 'prelaunch' | 'lint'> {
  readonly outDir: string;
  /** `html`, `pdf`, `docx`, a list of them, or `both` (html and pdf); default both. */
  readonly format?: FormatRequest;
  readonly cwd?: string;
  /** Skip memos whose inputs and outputs are unchanged (default true; `--no-cache`). */
  readonly cache?: boolean;
  /** Called when a memo is done (built or failed), for progress display. */
  readonly onMemoDone?: (result: MemoResult) => void;
  /** Called as each memo starts (a few at a time, see `buildMemos`), for progress display. */
  readonly onMemoStart?: (memo: MemoStart) => void;
}

export interface MemoStart {
  readonly slug: string;
  /** The source, relative to cwd. */
  readonly path: string;
  /** How many memos this run builds. */
  readonly total: number;
}

export interface MemoResult {
  readonly file: VFile;
  readonly slug: string;
  /** Paths written (or found up to date), relative to cwd. */
  readonly outputs: readonly string[];
  readonly ok: boolean;
  /** True when the cache showed the outputs were already up to date. */
  readonly cached?: boolean;
}

export interface BuildResult {
  readonly memos: readonly MemoResult[];
  /** Files for problems that belong to no memo (a path that doesn't exist). */
  readonly other: readonly VFile[];
  readonly browserVersion: string | null;
  /** Per-stage milliseconds (`--timings`). */
  readonly timings: ReadonlyArray<readonly [string, number]>;
}

interface Run {
  readonly options: BuildOptions;
  /** What each memo is rendered to, in registry order. */
  readonly formats: readonly OutputFormat[];
  readonly cwd: string;
  readonly timings: Timings;
  readonly context: BuildContext;
  readonly keyFor: (job: Job, template: string) => string | undefined;
}

/**
 * A memo whose source is larger than this (about 25 pages) is compiled only
 * once Chromium has started: the Markdown work is synchronous, and a long
 * compile would hold back the launch, which needs Node to answer it many
 * times (docs/performance.md). Smaller memos compile while it starts.
 */
const COMPILE_AFTER_LAUNCH_BYTES = 64 * 1024;

async function buildOne(job: Job, session: MemoSession, run: Run): Promise<MemoResult> {
  const { timings } = run;
  const failed: MemoResult = { file: job.file, slug: job.slug, outputs: [], ok: false };
  if (hasErrors(job.file)) return failed;
  if (job.source.byteLength > COMPILE_AFTER_LAUNCH_BYTES) {
    await run.context.browserStarted()?.then(
      () => undefined,
      () => undefined,
    );
  }
  const view = await timings.time('compile (sum)', () => session.compile(job.file));
  if (view === undefined) return failed;
  // The HTML document is rendered once, by the first format that needs it (PDF prints it).
  let document: string | undefined;
  const html = (): string => (document ??= session.renderHtml(view));
  const input: FormatInput = {
    file: job.file,
    view,
    html,
    print: () => session.renderPdf(job.file, view, html()),
    env: run.context.options.env,
  };
  const files: Array<[string, string | Uint8Array]> = [];
  for (const format of run.formats) {
    // A format's time includes the HTML it was first to need, and a print's wait for a page.
    const bytes = await timings.time(`${format.name} (sum)`, () => format.render(input));
    if (bytes === undefined) return failed;
    files.push([format.fileName, bytes]);
  }
  // `toc: auto`: the HTML lists the contents when the PDF has them.
  const htmlAt = files.findIndex(([name]) => name === 'memo.html');
  if (htmlAt >= 0 && view.contents === 'auto' && job.file.data.printedContents === true)
    files[htmlAt] = ['memo.html', session.renderHtml({ ...view, contents: 'true' })];
  const outputs = await timings.time('write (sum)', () => writeOutputs(job, files, view, run));
  if (outputs === undefined) return failed;
  return { file: job.file, slug: job.slug, outputs, ok: true };
}

/**
 * Write a memo's files together (io/atomic.ts), then its cache entry. A
 * failure (disk full, `--out` a file, `memo.html` a folder) is an error on
 * this memo, naming the path and the cause; the other memos go on.
 */
async function writeOutputs(
  job: Job,
  files: ReadonlyArray<readonly [string, string | Uint8Array]>,
  view: { readonly template: string },
  run: Run,
): Promise<string[] | undefined> {
  try {
    await writeFilesAtomic(job.folder, files);
  } catch (error) {
    if (!isFsError(error)) throw error;
    const reason = await describeFsError(error, 'write', errorTarget(error, job.folder), run.cwd);
    fail(job.file, `${reason} (nothing was written for this memo)`, undefined, 'output-write');
    return undefined;
  }
  const key = run.keyFor(job, view.template);
  try {
    if (key !== undefined) {
      await writeEntry(
        job.cacheFile,
        { key, template: view.template },
        files,
        job.folder,
        job.file.data.dependencies ?? [],
      );
    }
  } catch (error) {
    if (!isFsError(error)) throw error;
    const reason = await describeFsError(
      error,
      'write',
      errorTarget(error, job.cacheFile),
      run.cwd,
    );
    warn(
      job.file,
      `${reason}; the memo was built, and is built again next time`,
      undefined,
      'cache-write',
    );
  }
  return files.map(([name]) => path.relative(run.cwd, path.join(job.folder, name)));
}

/** The jobs the cache can't vouch for; the others become results at once. */
async function consultCache(
  jobs: readonly Job[],
  run: Run,
): Promise<{ fresh: MemoResult[]; stale: Job[] }> {
  const fresh: MemoResult[] = [];
  const stale: Job[] = [];
  await Promise.all(
    jobs.map(async (job) => {
      const entry =
        run.options.cache === false || hasErrors(job.file)
          ? undefined
          : await readEntry(job.cacheFile);
      const key = entry === undefined ? undefined : run.keyFor(job, entry.template);
      const names = run.formats.map((format) => format.fileName);
      if (
        entry !== undefined &&
        key !== undefined &&
        entry.outputs.map((output) => output.name).join() === names.join() &&
        (await isFresh(entry, key, job.folder))
      ) {
        const outputs = names.map((name) => path.relative(run.cwd, path.join(job.folder, name)));
        fresh.push({ file: job.file, slug: job.slug, outputs, ok: true, cached: true });
      } else {
        stale.push(job);
      }
    }),
  );
  return { fresh, stale };
}

export async function buildMemos(
  paths: readonly string[],
  options: BuildOptions,
): Promise<BuildResult> {
  // Ctrl-C, SIGTERM and SIGHUP exit with 128 + the signal's number through
  // the 'exit' hooks, which remove half-written temporary files (io/atomic.ts)
  // and end any browser: also in an HTML-only build, which starts none.
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const sources = await findSources(paths, cwd);
  const jobs = await readJobs(sources.files, options, cwd);
  const series =
    options.series ??
    (await loadSeriesMemos({
      archive: path.resolve(cwd, options.config?.archiveDir ?? 'archive'),
      folders: sources.files.map((file) => path.dirname(file)),
      ...seriesNamed(jobs),
    }));
  const resolved = resolveRunOptions({ ...options, series });
  const stopSignals = resolved.pdf.handleSignals ? exitOnSignals() : () => {};
  const timings = createTimings();
  const context = createContext(resolved, timings);
  try {
    return await runBuild({ sources, jobs, started }, options, context, timings);
  } finally {
    await context.close(); // after a failure; a build that printed closed it already (timed)
    stopSignals();
  }
}

/**
 * The series the memos being built name: only their earlier memos are read
 * (archive/series-memos.ts). Every series when a memo's front matter cannot
 * be read here (compile reports it); none for memos that fail before compile.
 * A memo's series is its own: the config gives no default for it
 * (`MEMO_DEFAULT_KEYS`, tests/series/carry-over.test.ts). The memos read here
 * are not read again among their folder's.
 */
function seriesNamed(jobs: readonly Job[]): {
  names?: ReadonlySet<string>;
  known: ReadonlyMap<string, SeriesMemo | undefined>;
} {
  const names = new Set<string>();
  const known = new Map<string, SeriesMemo | undefined>();
  let every = false;
  for (const job of jobs) {
    if (hasErrors(job.file)) continue;
    const file = path.resolve(job.file.cwd, job.file.path);
    const { name, memo } = readSeries(slugOf(file), job.source);
    known.set(file, memo);
    if (name === undefined) every = true;
    else if (name !== null) names.add(name);
  }
  return every ? { known } : { names, known };
}

async function runBuild(
  found: { readonly sources: SourceList; readonly jobs: readonly Job[]; readonly started: number },
  options: BuildOptions,
  context: BuildContext,
  timings: Timings,
): Promise<BuildResult> {
  const { sources, jobs, started } = found;
  const cwd = options.cwd ?? process.cwd();
  const run: RunOptions = context.options;
  const formats = resolveFormats(options.format);
  const other = sources.missing.map((given) => {
    const file = new VFile({ path: given, cwd });
    fail(file, 'no such file, or a folder with no `.md` memo in it', undefined, 'source-missing');
    return file;
  });
  const templates = await timings.time('templates', () => context.templateSources());
  const version = toolVersion();
  const inherited = run.config === undefined ? undefined : inheritedFrom(run.config);
  const configDigest = sha256Hex(JSON.stringify(inherited ?? null));
  // The earlier memos of a memo's series are inputs too: its appendix says where each status came from.
  const seriesDigest = (job: Job): string => {
    const own = seriesMemoOf(job.slug, job.source);
    return own === undefined ? '' : sha256Hex(JSON.stringify(earlierMemos(run.series, own)));
  };
  const keyFor = (job: Job, template: string): string | undefined => {
    const templateFingerprint = templates.fingerprintFor(template);
    if (templateFingerprint === undefined) return undefined;
    const sourceDateEpoch = run.env['SOURCE_DATE_EPOCH'];
    return cacheKey({
      toolVersion: version,
      format: formats.map((format) => format.name).join(','),
      sourceDateEpoch,
      source: job.source,
      templateFingerprint,
      configDigest: `${configDigest}${seriesDigest(job)}`,
    });
  };
  const building: Run = { options, formats, cwd, timings, context, keyFor };
  const { fresh, stale } = await timings.time('cache', () => consultCache(jobs, building));
  for (const result of fresh) {
    options.onMemoStart?.({ slug: result.slug, path: result.file.path, total: jobs.length });
    options.onMemoDone?.(result);
  }

  let memos: MemoResult[] = fresh;
  let browserVersion: string | null = null;
  if (stale.length > 0) {
    if (formats.some((format) => format.needsBrowser)) await context.startBrowser();
    const { createSession } = await timings.time('load pipeline', () => import('./session.js'));
    // Memos in flight: enough to keep every print slot busy while the next
    // memos compile, few enough that a batch of any size holds only a handful
    // of finished documents (with their inlined fonts) in memory at once.
    const limit = createLimiter(2 * run.pdf.concurrency + 2);
    try {
      const session = await createSession(context);
      const built = await Promise.all(
        stale.map((job) =>
          limit(async () => {
            options.onMemoStart?.({ slug: job.slug, path: job.file.path, total: jobs.length });
            const result = await buildOne(job, session, building);
            options.onMemoDone?.(result);
            return result;
          }),
        ),
      );
      memos = [...fresh, ...built];
      browserVersion = await context.browserVersion();
    } finally {
      await timings.time('browser close', () => context.close());
    }
  }
  const order = new Map(jobs.map((job, index) => [job.slug, index]));
  memos.sort((a, b) => (order.get(a.slug) ?? 0) - (order.get(b.slug) ?? 0));
  timings.add('total', performance.now() - started);
  return { memos, other, browserVersion, timings: timings.entries() };
}
