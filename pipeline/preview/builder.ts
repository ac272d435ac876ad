/**
 * The memo as the preview serves it, rebuilt from disk on demand.
 *
 * - One build context (templates, and one Chromium launched on the first PDF
 *   request only) and its session (processor, front matter schema) serve
 *   every rebuild. When templates, styles or the project config change,
 *   everything derived from them (the compiled templates, the template names
 *   the schema accepts, the inherited defaults) is stale, so both are
 *   replaced and the old context closed (after a PDF it is printing). The
 *   config is read the way `memo build` reads it, so both show the same memo.
 * - The last good build is kept: while the source has errors `/memo.html` and
 *   `/memo.pdf` still show it, under the overlay.
 * - `version` changes only when the served HTML changes, so a save that
 *   changes nothing (or an editor's backup file appearing) reloads nothing.
 * - Broken templates or config are problems on the page, not a dead server.
 * - The PDF is printed on the first request after a change and cached until
 *   the next one; once one was requested (the Pages view is in use), every new
 *   version is printed as soon as it is built.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { VFile } from 'vfile';
import { DEFAULT_EDITOR_URL, loadProjectConfig } from '../config/index.js';
import { createContext } from '../context.js';
import type { BuildContext } from '../context.js';
import { readSource as readSourceBytes } from '../io/sources.js';
import { fail } from '../messages.js';
import type { MemoView } from '../render/view.js';
import { seriesForRun } from '../archive/series-memos.js';
import { createSession } from '../session.js';
import type { MemoSession } from '../session.js';
import { resolveRunOptions } from '../session-options.js';
import type { SessionOptions } from '../session-options.js';
import { memoStats } from './stats.js';
import type { MemoStats } from './stats.js';

/** What the preview's sessions share; the templates and config come from the builder's options. */
export type BaseSessionOptions = Omit<
  SessionOptions,
  'templatesDir' | 'stylesDir' | 'prelaunch' | 'config' | 'templateOverridesDir' | 'lint'
>;

export interface BuilderOptions {
  /** Absolute path of the memo. */
  readonly source: string;
  readonly cwd: string;
  /** The built-in templates and styles (absolute). */
  readonly templatesDir: string;
  readonly stylesDir: string;
  /** `--config FILE` (relative to cwd); default: the config found in cwd. */
  readonly configPath?: string;
  /** `--templates DIR` (absolute); default: the config's `templatesDir`. */
  readonly templateOverridesDir?: string;
  readonly session: BaseSessionOptions;
}

export interface BuildState {
  readonly ok: boolean;
  /** The memo's file first, then the config's or the templates' if they have problems. */
  readonly files: readonly VFile[];
  /**
   * Names the served HTML: "<run>-<n>", n counting good builds (0 before any).
   * The run id differs on every start, so a page that reconnects to a
   * restarted preview never mistakes its version for the one it shows.
   */
  readonly version: string;
  /** The title of the last good build, or the file name. */
  readonly title: string;
  /** The config's `editorUrl`, or the default. */
  readonly editorUrl: string;
}

export type PdfOutcome =
  { readonly ok: true; readonly pdf: Uint8Array } | { readonly ok: false; readonly reason: string };

export interface PreviewBuilder {
  /** Re-read the source and rebuild; `reopen` also reloads config, templates and styles. */
  rebuild(reopen: boolean): Promise<BuildState>;
  state(): BuildState;
  /** Figures of the last good build, for the status line (computed on first use). */
  stats(): MemoStats | undefined;
  /** The last good HTML, or undefined when the memo never built. */
  html(): string | undefined;
  pdf(): Promise<PdfOutcome>;
  /**
   * Once a PDF was asked for (the Pages view is in use), print the new version
   * right away, before the page asks for it.
   */
  printAhead(): void;
  /** The project's own templates folder in use (from --templates or the config), if any. */
  overridesDir(): string | undefined;
  close(): Promise<void>;
}

interface Open {
  readonly context: BuildContext;
  readonly session: MemoSession;
}

interface Good {
  readonly view: MemoView;
  readonly html: string;
  readonly version: number;
  stats?: MemoStats;
}

/**
 * One line for the report. Handlebars' parse errors span four lines (what,
 * the source line, a caret, what was expected): keep the first and the last.
 */
function messageOf(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  const first = lines[0] ?? '';
  const last = lines.at(-1) ?? '';
  return lines.length > 1 && last.trim() !== '' ? `${first} ${last.trim()}` : first;
}

export function createPreviewBuilder(options: BuilderOptions): PreviewBuilder {
  const { cwd } = options;
  const relative = path.relative(cwd, options.source);
  let open: Open | undefined;
  let configFile: VFile | undefined;
  let overrides = options.templateOverridesDir;
  let good: Good | undefined;
  let editorUrl = DEFAULT_EDITOR_URL;
  let versions = 0;
  const run = randomUUID().slice(0, 8);
  let pdfCache: { version: number; result: Promise<PdfOutcome> } | undefined;
  let pdfWanted = false;
  const retiring = new Set<Promise<void>>();
  let current: BuildState = {
    ok: false,
    files: [],
    version: `${run}-0`,
    title: path.basename(relative),
    editorUrl,
  };

  const templateProblem = (reason: string): VFile => {
    const folder = overrides ?? options.templatesDir;
    const file = new VFile({ path: path.relative(cwd, folder) || '.', cwd });
    fail(file, reason, undefined, 'template-error');
    return file;
  };

  /** Close `old`, after the PDF it may be printing unless `now`. */
  const retire = (old: BuildContext, now: boolean): void => {
    const printing = now ? undefined : pdfCache?.result;
    const done = Promise.resolve(printing)
      .then(
        () => old.close(),
        () => old.close(),
      )
      .catch(() => undefined); // closing is best effort; the browser is killed at exit anyway
    retiring.add(done);
    void done.finally(() => retiring.delete(done));
  };

  /** The session, opened with the current config; undefined (with problems) when it can't be. */
  async function ensureSession(files: VFile[]): Promise<MemoSession | undefined> {
    if (open !== undefined) {
      if (configFile !== undefined && configFile.messages.length > 0) files.push(configFile);
      return open.session;
    }
    const loaded = await loadProjectConfig(cwd, options.configPath);
    configFile = loaded.file;
    if (configFile !== undefined && configFile.messages.length > 0) files.push(configFile);
    if (loaded.config === undefined) return undefined;
    editorUrl = loaded.config.editorUrl ?? DEFAULT_EDITOR_URL;
    overrides = options.templateOverridesDir ?? loaded.config.templatesDir;
    const context = createContext(
      resolveRunOptions({
        ...options.session,
        templatesDir: options.templatesDir,
        stylesDir: options.stylesDir,
        config: loaded.config,
        ...(overrides === undefined ? {} : { templateOverridesDir: overrides }),
        series: await seriesForRun([options.source], cwd, loaded.config.archiveDir),
      }),
    );
    try {
      open = { context, session: await createSession(context) };
      return open.session;
    } catch (error) {
      retire(context, true);
      files.push(
        templateProblem(`the templates or styles could not be loaded: ${messageOf(error)}`),
      );
      return undefined;
    }
  }

  async function readSource(): Promise<VFile> {
    const file = new VFile({ path: relative, cwd });
    if (!existsSync(options.source)) {
      fail(
        file,
        'the file is gone (deleted or renamed); the preview shows it again when it is back',
        undefined,
        'source-missing',
      );
      return file;
    }
    // Only a regular file, never past the size limit (io/sources.ts).
    const bytes = await readSourceBytes(file, options.source);
    if (bytes !== undefined) file.value = bytes;
    return file;
  }

  function settle(files: VFile[], built: Omit<Good, 'version' | 'stats'> | undefined): BuildState {
    if (built !== undefined && built.html !== good?.html) {
      versions += 1;
      good = { ...built, version: versions };
      pdfCache = undefined;
    }
    current = {
      ok: built !== undefined,
      files,
      version: `${run}-${good?.version ?? 0}`,
      title: good?.view.title ?? path.basename(relative),
      editorUrl,
    };
    return current;
  }

  async function build(): Promise<BuildState> {
    const file = await readSource();
    const files: VFile[] = [file];
    if (file.messages.length > 0) return settle(files, undefined);
    const memoSession = await ensureSession(files);
    if (memoSession === undefined) return settle(files, undefined);
    const view = await memoSession.compile(file);
    if (view === undefined) return settle(files, undefined);
    try {
      return settle(files, { view, html: memoSession.renderHtml(view) });
    } catch (error) {
      files.push(templateProblem(`the template could not render this memo: ${messageOf(error)}`));
      return settle(files, undefined);
    }
  }

  /** The finished HTML needs no templates: any open session prints it. */
  async function printPdf(memo: Good, printer: MemoSession): Promise<PdfOutcome> {
    const scratch = new VFile({ path: relative, cwd });
    const pdf = await printer.renderPdf(scratch, memo.view, memo.html);
    if (pdf !== undefined) return { ok: true, pdf };
    return { ok: false, reason: scratch.messages.map((message) => message.reason).join('; ') };
  }

  return {
    async rebuild(reopen) {
      if (reopen && open !== undefined) {
        retire(open.context, false);
        open = undefined;
      }
      try {
        return await build();
      } catch (error) {
        // A bug, not the writer's doing; still an overlay, never a dead server.
        const file = new VFile({ path: relative, cwd });
        fail(file, `the preview failed: ${messageOf(error)}`, undefined, 'internal');
        return settle([file], undefined);
      }
    },
    state: () => current,
    stats() {
      if (good !== undefined) good.stats ??= memoStats(good.view);
      return good?.stats;
    },
    html: () => good?.html,
    overridesDir: () => overrides,
    printAhead() {
      if (pdfWanted) this.pdf().catch(() => undefined); // the page's own request reports it
    },
    async pdf() {
      pdfWanted = true;
      const memo = good;
      const printer = open?.session;
      if (memo === undefined || printer === undefined) {
        return {
          ok: false,
          reason: `${relative} does not build: fix the problems the preview page lists`,
        };
      }
      if (pdfCache?.version !== memo.version) {
        const result = printPdf(memo, printer);
        pdfCache = { version: memo.version, result };
        // A failure (Chromium crashed, say) is not kept: the next request retries.
        const forget = (): void => {
          if (pdfCache?.result === result) pdfCache = undefined;
        };
        void result.then((outcome) => {
          if (!outcome.ok) forget();
        }, forget);
      }
      return pdfCache.result;
    },
    async close() {
      const last = open;
      open = undefined;
      if (last !== undefined) retire(last.context, true);
      await Promise.all([...retiring]);
    },
  };
}
