/**
 * Finished HTML → PDF bytes, printed by Chromium.
 *
 * Isolation model. The memo is untrusted markup, printed with page JavaScript
 * disabled, every request except data: URLs aborted (and the browser's
 * resolver refusing every host, see browser.ts), the content written into
 * about:blank with `setContent` (never a file:// URL, which would let the memo
 * read local files), and any navigation away from about:blank treated as a
 * failure.
 *
 * Reuse and memory. Each of the `concurrency` slots keeps one page (a tab in
 * the browser's default context) and prints memo after memo in it; a slot
 * that saw any failure is thrown away, a slot's page is replaced (so its
 * renderer process too) every `memosPerPage` memos, and the browser itself is
 * replaced every `memosPerBrowser` memos (browser-pool.ts): reusing a page is
 * much cheaper than a new one, and renewing every 20 memos and restarting
 * every 100 bounds memory at a small cost (docs/performance.md has the
 * measurements). Incognito contexts are not used at all: each is costly to
 * create, and they would add no isolation that matters here: with scripts
 * off a memo cannot read or leave anything for the next one (`setContent`'s
 * document.open() drops the previous DOM and styles; no cookie, storage or
 * cache entry can be made without scripts or network), and the same HTML
 * prints byte-identically whether the page is fresh or reused. The profile
 * is a throwaway folder (browser.ts).
 *
 * Time. A memo may take `timeoutMs` to print, counted from the moment it has
 * a page (not while queued, nor while a browser starts); by default 60 s plus
 * 100 s per MB of HTML (`printTimeout`), room for a 300-page memo on a loaded
 * 2-core machine.
 */
import { BrowserError } from './browser.js';
import { createBrowserPool } from './browser-pool.js';
import type { Generation } from './browser-pool.js';
import { openSlot, preloadReading, printOnSlot } from './pdf-page.js';
import type { Finalize, Job, Slot } from './pdf-page.js';
import { resolvePdfOptions } from './pdf-options.js';
import type {
  PdfMeta,
  PdfRenderer,
  PdfRendererOptions,
  PdfResult,
  PrintLayout,
} from './pdf-options.js';
import { RenderError } from './render-error.js';
import { createLimiter } from '../limit.js';

export { RenderError } from './render-error.js';
export type {
  PdfMeta,
  PdfRenderer,
  PdfRendererOptions,
  PdfResult,
  PdfTuning,
  PrintStart,
  PrintLayout,
} from './pdf-options.js';

const BASE_TIMEOUT_MS = 60_000;
const ENDNOTES: PrintLayout = { notes: 'endnotes' };
const TIMEOUT_MS_PER_BYTE = 100_000 / (1024 * 1024);

/** How long a memo of `htmlLength` characters may take to print: 60 s plus 100 s per MB. */
export function printTimeout(htmlLength: number): number {
  return Math.ceil(BASE_TIMEOUT_MS + htmlLength * TIMEOUT_MS_PER_BYTE);
}

export async function createPdfRenderer(options: PdfRendererOptions = {}): Promise<PdfRenderer> {
  const resolved = resolvePdfOptions(options);
  const { concurrency, memosPerPage } = resolved;
  const pool = await createBrowserPool(resolved);
  // The finish (pdf-lib and the modules that read the print) is loaded once the
  // first memo's HTML is in Chromium's hands, while Chromium lays it out: before
  // that, Node's time is the memo's compile, which the browser waits for.
  let finish: Promise<typeof import('./pdf-metadata.js')> | undefined;
  const loadFinish = (): Promise<typeof import('./pdf-metadata.js')> => {
    if (finish === undefined) {
      finish = Promise.all([import('./pdf-metadata.js'), preloadReading()]).then(
        ([module]) => module,
      );
      finish.catch(() => {}); // a failure is reported by the first memo that needs it
    }
    return finish;
  };
  const finalize: Finalize = async (pdf, meta, headings, links) =>
    (await loadFinish()).finalizePdf(pdf, meta, headings, links);

  let closed = false;
  const idle: Slot[] = [];
  const limit = createLimiter(concurrency);

  function releaseSlot(slot: Slot, healthy: boolean): void {
    slot.job = undefined;
    const reusable =
      healthy && !slot.broken && slot.uses < memosPerPage && !slot.generation.retired;
    if (reusable && !closed && pool.failure() === undefined) idle.push(slot);
    else void slot.page.close().catch(() => {});
  }

  // The first page opens as soon as the browser is up, not when the first
  // memo is laid out: Chromium starts its renderer meanwhile, which the memo
  // would otherwise wait for (docs/performance.md).
  const warming = pool
    .reserve()
    .then(async (generation) => {
      try {
        releaseSlot(await openSlot(generation), true);
      } finally {
        pool.release(generation);
      }
    })
    .catch(() => {}); // a broken browser is reported by the first memo

  async function acquireSlot(generation: Generation): Promise<Slot> {
    await warming;
    for (let slot = idle.pop(); slot !== undefined; slot = idle.pop()) {
      if (!slot.broken && slot.generation === generation) return slot;
      slot.page.close().catch(() => {});
    }
    return openSlot(generation);
  }

  async function print(
    generation: Generation,
    html: string,
    meta: PdfMeta,
    layout: PrintLayout,
    job: Job,
  ): Promise<PdfResult> {
    const slot = await acquireSlot(generation);
    if (job.abandoned) {
      releaseSlot(slot, true); // timed out while the slot was being opened; unused
      throw new RenderError('abandoned');
    }
    let healthy = false;
    try {
      slot.job = job;
      job.slot = slot;
      slot.uses += 1;
      resolved.onPrintStart?.({ title: meta.title, browserPid: generation.chromium.child.pid });
      const result = await printOnSlot(slot, { html, meta, layout }, job, {
        finalize,
        footnoteCheck: resolved.footnoteCheck,
        whileLoading: () => void loadFinish(),
      });
      healthy = true;
      return result;
    } finally {
      releaseSlot(slot, healthy && !job.abandoned);
    }
  }

  async function renderOne(html: string, meta: PdfMeta, layout: PrintLayout): Promise<PdfResult> {
    if (closed) throw new RenderError('the PDF renderer is closed');
    let generation: Generation;
    try {
      // Outside the memo's time: this may wait for a fresh browser to start.
      generation = await pool.acquire();
    } catch (error) {
      throw toRenderError(error);
    }
    const timeoutMs = resolved.timeoutMs ?? printTimeout(html.length);
    let timer: NodeJS.Timeout | undefined;
    let fail: (error: RenderError) => void = () => {};
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
      timer = setTimeout(
        () =>
          reject(
            new RenderError(
              `printing took longer than ${timeoutMs} ms (set a longer time with \`--timeout\` or MEMO_PDF_TIMEOUT_MS)`,
            ),
          ),
        timeoutMs,
      );
    });
    const job: Job = {
      warnings: new Set(),
      timeoutMs,
      fail,
      navigatedTo: undefined,
      abandoned: false,
      slot: undefined,
    };
    const work = print(generation, html, meta, layout, job);
    try {
      return await Promise.race([work, failure, pool.ended]);
    } catch (error) {
      // The page may still be busy (timeout, crash): mark the job so its slot
      // is discarded, not reused, and let the work settle unobserved.
      job.abandoned = true;
      work.catch(() => {});
      // Closing the page makes its pending calls fail at once rather than
      // after puppeteer's protocol timeout, so the slot is gone before the
      // next memo starts and `concurrency` pages are never exceeded.
      job.slot?.page.close().catch(() => {});
      // A dead browser fails the page's calls before 'disconnected' is
      // emitted; report the cause, not the protocol error it produced.
      const crashed =
        pool.failure() ?? (generation.browser.connected ? undefined : await settleCrash());
      throw crashed ?? toRenderError(error);
    } finally {
      clearTimeout(timer);
      pool.release(generation);
    }
  }

  /** The pool's crash error, once the 'disconnected' event that follows a dead browser's failed calls arrives. */
  async function settleCrash(): Promise<RenderError | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>(
      (resolve) => (timer = setTimeout(resolve, 5_000, undefined)),
    );
    try {
      return await Promise.race([pool.ended.catch((error: unknown) => toRenderError(error)), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    browserVersion: pool.version,
    render: (html, meta, layout = ENDNOTES) => limit(() => renderOne(html, meta, layout)),
    async close() {
      if (closed) return;
      closed = true;
      await pool.close();
    },
  };
}

function toRenderError(error: unknown): RenderError {
  if (error instanceof RenderError) return error;
  if (error instanceof BrowserError) return new RenderError(error.message, { cause: error });
  // Puppeteer's own words name its internals (protocolTimeout…): they stay in `cause`.
  const name = error instanceof Error ? error.name : '';
  const reason =
    name === 'TimeoutError'
      ? 'Chromium did not answer in time while printing; build again, and if it keeps happening, report it with the memo'
      : 'Chromium failed while printing; build again, and if it keeps happening, report it with the memo';
  return new RenderError(reason, { cause: error });
}
