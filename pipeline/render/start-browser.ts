/**
 * `memo build` starts Chromium before it loads its Markdown pipeline. This
 * module imports the renderer lazily, so that a build whose memos are all
 * cached (or an HTML-only one) never loads puppeteer.
 */
import type { Timings } from '../timings.js';
import type { PdfRenderer, PdfRendererOptions, PdfTuning } from './pdf.js';

export interface StartOptions extends Pick<
  PdfRendererOptions,
  'executablePath' | 'concurrency' | 'handleSignals'
> {
  readonly pdf?: PdfTuning;
}

/** The PDF renderer's options for a run, from the build's or session's. */
export function pdfRendererOptions(options: StartOptions): PdfRendererOptions {
  return {
    ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
    concurrency: options.concurrency ?? 2,
    ...(options.handleSignals === undefined ? {} : { handleSignals: options.handleSignals }),
    ...options.pdf,
  };
}

/**
 * Start Chromium's launch; resolves once puppeteer-core is loaded and the
 * launch is under way, with the renderer to come. The caller then loads the
 * Markdown pipeline while the browser boots: both are CPU work on this one
 * thread, and the browser's start is the longer road, so it goes first.
 */
export async function startBrowser(
  options: StartOptions,
  timings: Timings,
): Promise<{ renderer: Promise<PdfRenderer> }> {
  const started = performance.now();
  const [{ createPdfRenderer }, { loadPuppeteer }] = await Promise.all([
    import('./pdf.js'),
    import('./browser.js'),
  ]);
  const renderer = createPdfRenderer(pdfRendererOptions(options)).then((created) => {
    timings.add('browser launch', performance.now() - started);
    return created;
  });
  renderer.catch(() => undefined); // reported by the session, memo by memo
  await loadPuppeteer().catch(() => undefined); // the launch reports its own failure
  return { renderer };
}
