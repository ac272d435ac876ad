/**
 * A run's options, resolved once. Commands gather what the writer asked for
 * (flags, the project config, the environment) into `SessionOptions`;
 * `resolveRunOptions` fills in every default and groups them by who reads
 * them, so the template reader and the PDF renderer each get their own part
 * as it is, never reshaped on the way down.
 */
import type { ProjectConfig } from './config/index.js';
import type { SeriesMemo } from './frontmatter/series.js';
import { resolvePdfOptions } from './render/pdf-options.js';
import type { PdfTuning, ResolvedPdfOptions } from './render/pdf-options.js';
import type { HtmlRendererOptions } from './render/template-sources.js';

/** What a command asks for. */
export interface SessionOptions {
  /** The built-in templates and styles (default: memo-press's own). */
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  /** The project's own templates, partials and CSS (default: `config.templatesDir`). */
  readonly templateOverridesDir?: string;
  /** The project config: defaults and distribution lists memos inherit, `templatesDir`. */
  readonly config?: ProjectConfig;
  /** Chromium to print with (default: found on the machine, or `MEMO_CHROMIUM`). */
  readonly executablePath?: string;
  /** Memos printed at once (default 2: what a 2-core machine sustains). */
  readonly concurrency?: number;
  /**
   * Exit on SIGINT/SIGTERM/SIGHUP with 128 + the signal's number, ending
   * Chromium and removing half-written files (default true). `memo preview`
   * passes false: it handles the signals itself and exits with 0.
   */
  readonly handleSignals?: boolean;
  /** PDF printing: the per-memo timeout, how often the browser and its pages are renewed (render/pdf.ts). */
  readonly pdf?: PdfTuning;
  readonly env?: NodeJS.ProcessEnv;
  /** Run the lint rules too (`memo check`): more warnings, same errors. */
  readonly lint?: boolean;
  /** `openSession` only: start Chromium at once, so its launch overlaps the Markdown work. */
  readonly prelaunch?: boolean;
  /** The memos of the series the run knows of (archive/series-memos.ts), for carry-over. */
  readonly series?: readonly SeriesMemo[];
}

/** Every option of a run, defaults filled in, grouped by the part that reads it. */
export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly config: ProjectConfig | undefined;
  readonly lint: boolean;
  readonly series: readonly SeriesMemo[];
  /** The template reader's (render/template-sources.ts). */
  readonly templates: HtmlRendererOptions;
  /** The PDF renderer's (render/pdf.ts); `handleSignals` is the whole run's. */
  readonly pdf: ResolvedPdfOptions;
}

export function resolveRunOptions(options: SessionOptions): RunOptions {
  const overridesDir = options.templateOverridesDir ?? options.config?.templatesDir;
  return {
    env: options.env ?? process.env,
    config: options.config,
    lint: options.lint === true,
    series: options.series ?? [],
    templates: {
      ...(options.templatesDir === undefined ? {} : { templatesDir: options.templatesDir }),
      ...(options.stylesDir === undefined ? {} : { stylesDir: options.stylesDir }),
      ...(overridesDir === undefined ? {} : { overridesDir }),
    },
    pdf: resolvePdfOptions({
      ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.handleSignals === undefined ? {} : { handleSignals: options.handleSignals }),
      ...options.pdf,
    }),
  };
}
