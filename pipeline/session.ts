/**
 * A build session: everything that is built once per run and reused for every
 * memo — the unified processor, the compiled templates and inlined fonts, and
 * (only when a PDF is wanted) one Chromium. `memo build`, `memo publish` and
 * `memo preview` all render through a session.
 */
import type { VFile } from 'vfile';
import { compileMemo } from './compile.js';
import { inheritedFrom } from './config/index.js';
import type { ProjectConfig } from './config/index.js';
import { createFrontMatterSchema } from './frontmatter/schema.js';
import { fail, warn } from './messages.js';
import { createHtmlRenderer } from './render/html.js';
import type { HtmlRenderer } from './render/html.js';
import type { TemplateSources } from './render/template-sources.js';
import type { PdfMeta, PdfRenderer, PdfTuning } from './render/pdf.js';
import { BrowserError } from './render/browser.js';
import { RenderError } from './render/render-error.js';
import type { MemoView } from './render/view.js';
import { createProcessor } from './unified/processor.js';
import { rendererOptions } from './renderer-options.js';
import { pdfRendererOptions } from './render/start-browser.js';
import { toolVersion } from './version.js';

export interface SessionOptions {
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  readonly executablePath?: string;
  /** Memos printed at once (default 2: what a 2-core machine sustains). */
  readonly concurrency?: number;
  /** Start Chromium now, so its launch overlaps the Markdown work. */
  readonly prelaunch?: boolean;
  /**
   * Exit on SIGINT/SIGTERM/SIGHUP with 128 + the signal's number, ending
   * Chromium and removing half-written files (default true). `memo preview`
   * passes false: it handles the signals itself and exits with 0.
   */
  readonly handleSignals?: boolean;
  /** PDF printing: the per-memo timeout, how often the browser and its pages are renewed (render/pdf.ts). */
  readonly pdf?: PdfTuning;
  readonly env?: NodeJS.ProcessEnv;
  /** The project config: defaults and distribution lists memos inherit, `templatesDir`. */
  readonly config?: ProjectConfig;
  /** The project's own templates, partials and CSS (default: `config.templatesDir`). */
  readonly templateOverridesDir?: string;
  /** Run the lint rules too (`memo check`): more warnings, same errors. */
  readonly lint?: boolean;
  /** An HTML renderer already made for this run. */
  readonly html?: HtmlRenderer;
  /** The template files already read for this run (the build cache reads them first). */
  readonly templateSources?: TemplateSources;
  /** A PDF renderer already being launched (the build starts Chromium before loading the rest). */
  readonly pdfRenderer?: Promise<PdfRenderer>;
}

export interface MemoSession {
  readonly generator: string;
  readonly html: HtmlRenderer;
  /** Validate and render the body; undefined when the memo has errors (on `file.messages`). */
  compile(file: VFile): Promise<MemoView | undefined>;
  renderHtml(view: MemoView): string;
  /** Print `html`; problems become messages on `file`, and undefined is returned. */
  renderPdf(file: VFile, view: MemoView, html: string): Promise<Uint8Array | undefined>;
  /** Chromium's version when a browser was started, else null. */
  browserVersion(): Promise<string | null>;
  close(): Promise<void>;
}

/** The PDF's dates: SOURCE_DATE_EPOCH when set, else the memo's own date (never the clock). */
export function pdfDate(view: MemoView, env: NodeJS.ProcessEnv): Date {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${view.date}T00:00:00Z`);
}

export function pdfMeta(view: MemoView, env: NodeJS.ProcessEnv): PdfMeta {
  return {
    title: view.title,
    author: view.byline,
    subject: view.summary ?? view.subtitle ?? view.title,
    keywords: view.keywords,
    lang: view.lang,
    date: pdfDate(view, env),
    creator: view.generator,
  };
}

export async function openSession(options: SessionOptions = {}): Promise<MemoSession> {
  const env = options.env ?? process.env;
  // A renderer the caller is already launching is this session's to close.
  let pdf: Promise<PdfRenderer> | undefined = options.pdfRenderer;
  const startPdf = (): Promise<PdfRenderer> => {
    pdf ??= import('./render/pdf.js').then(({ createPdfRenderer }) =>
      createPdfRenderer(pdfRendererOptions(options)),
    );
    // A launch failure is reported per memo; don't let it go unhandled meanwhile.
    pdf.catch(() => undefined);
    return pdf;
  };
  if (options.prelaunch === true) startPdf();
  const html =
    options.html ??
    (await createHtmlRenderer(rendererOptions(options), options.templateSources).catch(
      async (error: unknown) => {
        // A broken template folder: don't leave a prelaunched browser running.
        if (pdf !== undefined)
          await pdf.then(
            (renderer) => renderer.close(),
            () => undefined,
          );
        throw error;
      },
    ));
  const generator = `memo-press ${toolVersion()}`;
  const inherited = options.config === undefined ? undefined : inheritedFrom(options.config);
  const frontMatter = {
    schema: createFrontMatterSchema(html.templates),
    ...(inherited === undefined ? {} : { inherited }),
  };
  const context = {
    processor: createProcessor({ lint: options.lint === true }),
    generator,
    frontMatter,
  };
  return {
    generator,
    html,
    compile: (file) => compileMemo(file, context),
    renderHtml: (view) => html.render(view),
    async renderPdf(file, view, document) {
      try {
        const result = await (await startPdf()).render(document, pdfMeta(view, env));
        for (const warning of result.warnings)
          warn(file, warning, undefined, 'pdf-blocked-request');
        return result.pdf;
      } catch (error) {
        // Only the renderer's own messages are for writers; never a library's text.
        const reason =
          error instanceof RenderError || error instanceof BrowserError
            ? error.message
            : 'Chromium failed while printing';
        fail(file, `the PDF could not be rendered: ${reason}`, undefined, 'pdf-render');
        return undefined;
      }
    },
    async browserVersion() {
      if (pdf === undefined) return null;
      return pdf.then(
        (renderer) => renderer.browserVersion,
        () => null,
      );
    },
    async close() {
      if (pdf !== undefined)
        await pdf.then(
          (renderer) => renderer.close(),
          () => undefined,
        );
    },
  };
}
