/**
 * The build context: what one run shares across its memos, made at most once
 * and only when needed. It owns the template files (read once: the build
 * cache keys on them before anything is compiled), the compiled templates,
 * and Chromium, launched on the first PDF (or earlier, on `startBrowser`) and
 * ended by `close`: whoever creates a context closes it.
 *
 * Handlebars and puppeteer are loaded on first use, so a build whose memos
 * are all up to date, or an HTML-only one, never loads the browser's code.
 */
import type { HtmlRenderer } from './render/html.js';
import type { PdfRenderer } from './render/pdf-options.js';
import { RenderError } from './render/render-error.js';
import { readTemplateSources } from './render/template-sources.js';
import type { TemplateSources } from './render/template-sources.js';
import type { RunOptions } from './session-options.js';
import type { Timings } from './timings.js';

export interface BuildContext {
  readonly options: RunOptions;
  /** The template, partial, style and font files, read on first call. */
  templateSources(): Promise<TemplateSources>;
  /** The templates compiled from those files, on first call. */
  htmlRenderer(): Promise<HtmlRenderer>;
  /**
   * Start Chromium's launch now; resolves once puppeteer is loaded and the
   * launch is under way, so the caller's Markdown work overlaps the browser's
   * start (both are CPU work on this one thread; the launch is the longer road).
   */
  startBrowser(): Promise<void>;
  /** The PDF renderer, launching Chromium on first call. */
  pdfRenderer(): Promise<PdfRenderer>;
  /** Settles once Chromium has started (or failed to); undefined when no launch was asked for. */
  browserStarted(): Promise<unknown> | undefined;
  /** Chromium's version when a browser was started, else null. */
  browserVersion(): Promise<string | null>;
  /** End the browser, if one was started. Nothing is started after this. */
  close(): Promise<void>;
}

export function createContext(options: RunOptions, timings?: Timings): BuildContext {
  let sources: Promise<TemplateSources> | undefined;
  let html: Promise<HtmlRenderer> | undefined;
  let pdf: Promise<PdfRenderer> | undefined;
  let closed = false;

  const templateSources = (): Promise<TemplateSources> =>
    (sources ??= readTemplateSources(options.templates));

  const pdfRenderer = (): Promise<PdfRenderer> => {
    if (pdf === undefined) {
      if (closed) return Promise.reject(new RenderError('the PDF renderer is closed'));
      const started = performance.now();
      pdf = import('./render/pdf.js').then(async ({ createPdfRenderer }) => {
        const renderer = await createPdfRenderer(options.pdf);
        timings?.add('browser launch', performance.now() - started);
        return renderer;
      });
      // A launch failure is reported per memo; don't let it go unhandled meanwhile.
      pdf.catch(() => undefined);
    }
    return pdf;
  };

  return {
    options,
    templateSources,
    htmlRenderer() {
      html ??= Promise.all([import('./render/html.js'), templateSources()]).then(
        ([{ createHtmlRenderer }, files]) => createHtmlRenderer(options.templates, files),
      );
      return html;
    },
    async startBrowser() {
      if (closed || pdf !== undefined) return;
      const { loadPuppeteer } = await import('./render/browser.js');
      pdfRenderer().catch(() => undefined);
      await loadPuppeteer().catch(() => undefined); // the launch reports its own failure
    },
    pdfRenderer,
    browserStarted: () => pdf,
    async browserVersion() {
      if (pdf === undefined) return null;
      return pdf.then(
        (renderer) => renderer.browserVersion,
        () => null,
      );
    },
    async close() {
      closed = true;
      if (pdf === undefined) options.pdf.early?.discard();
      else
        await pdf.then(
          (renderer) => renderer.close(),
          () => undefined,
        );
    },
  };
}
