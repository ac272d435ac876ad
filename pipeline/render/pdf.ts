/**
 * Finished HTML → PDF bytes, with one Chromium per renderer.
 *
 * Isolation model. The memo is untrusted markup, printed with page JavaScript
 * disabled, every request except data: URLs aborted (and the browser's
 * resolver refusing every host, see browser.ts), the content written into
 * about:blank with `setContent` (never a file:// URL, which would let the memo
 * read local files), and any navigation away from about:blank treated as a
 * failure.
 *
 * Page reuse. Each of the `concurrency` slots keeps one page in its own
 * incognito BrowserContext and prints memo after memo in it; a slot that saw
 * any failure is thrown away, and slots are renewed every MAX_USES memos.
 * Measured on a loaded 2-core machine, per memo: reused page 1×, new page
 * 2.5–4×, new context + page 5–8× (every context starts a renderer process).
 * With scripts off nothing a memo leaves behind can act on the next one
 * (`setContent`'s document.open() drops the previous DOM and styles), and
 * the same HTML prints byte-identically whether the page is fresh or reused.
 */
import type { BrowserContext, HTTPRequest, Page } from 'puppeteer';
import { closeBrowser, closeOnSignals, launchBrowser } from './browser.js';
import { finalizePdf } from './pdf-metadata.js';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  keywords: readonly string[];
  lang: string;
  /** Both CreationDate and ModDate: the memo's own date, never the clock. */
  date: Date;
  /** e.g. "memo-press 0.1.0" */
  creator: string;
}

export interface PdfResult {
  pdf: Uint8Array;
  /** e.g. "blocked request to http://…" */
  warnings: string[];
}

export interface PdfRendererOptions {
  executablePath?: string;
  /** Memos printed at once; default 2. */
  concurrency?: number;
  /** Per memo, from the moment it starts printing (not while queued); default 60000. */
  timeoutMs?: number;
  /** Close the browser and exit on SIGINT/SIGTERM/SIGHUP; default true. */
  handleSignals?: boolean;
}

export interface PdfRenderer {
  render(html: string, meta: PdfMeta): Promise<PdfResult>;
  readonly browserVersion: string;
  close(): Promise<void>;
}

export class RenderError extends Error {
  override name = 'RenderError';
}

/** A slot's page is renewed after this many memos, bounding memory growth. */
const MAX_USES = 50;
const MAX_URL_IN_WARNING = 120;
const REFRESH = 'meta[http-equiv="refresh" i]';

/** One memo being printed: what the page's event listeners report into. */
interface Job {
  readonly warnings: Set<string>;
  fail(error: RenderError): void;
  navigatedTo: string | undefined;
  abandoned: boolean;
  /** The slot printing it, once it has one. */
  slot: Slot | undefined;
}

interface Slot {
  readonly context: BrowserContext;
  readonly page: Page;
  uses: number;
  job: Job | undefined;
  /** Its renderer crashed or its page closed: never reuse. */
  broken: boolean;
}

export async function createPdfRenderer(options: PdfRendererOptions = {}): Promise<PdfRenderer> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const browser = await launchBrowser(
    options.executablePath === undefined ? {} : { executablePath: options.executablePath },
  );
  const unregisterSignals = options.handleSignals === false ? () => {} : closeOnSignals(browser);

  let closed = false;
  const gone = (): RenderError =>
    new RenderError(
      closed
        ? 'the PDF renderer was closed before the memo was printed'
        : 'Chromium exited unexpectedly (crashed or was killed) while printing',
    );
  // Rejects once, when the connection ends (crash, kill, or close()); every
  // render races against it, so nothing waits on a dead browser.
  const disconnected = new Promise<never>((_, reject) => {
    browser.once('disconnected', () => reject(gone()));
  });
  disconnected.catch(() => {}); // observed by each race; no unhandled rejection

  const browserVersion = await browser.version().catch(async (error: unknown) => {
    await closeBrowser(browser);
    unregisterSignals();
    throw new RenderError(`Chromium did not answer: ${messageOf(error)}`, { cause: error });
  });

  const idle: Slot[] = [];
  const limit = createLimiter(concurrency);

  async function openSlot(): Promise<Slot> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const slot: Slot = { context, page, uses: 0, job: undefined, broken: false };
    // Before any content: scripts never run, whatever the memo contains.
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => onRequest(request, slot.job));
    page.on('error', (error) => {
      slot.broken = true; // a renderer crash, even between memos
      slot.job?.fail(new RenderError(`the page crashed: ${error.message}`));
    });
    page.on('close', () => (slot.broken = true));
    page.on('pageerror', (error) =>
      slot.job?.fail(new RenderError(`the page raised an error: ${messageOf(error)}`)),
    );
    // Chromium refuses file:, chrome: and top-level data: loads itself, before
    // interception sees them, and reports it on the console.
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().startsWith('Not allowed to')) {
        slot.job?.warnings.add(`blocked: ${truncate(message.text())}`);
      }
    });
    page.on('framenavigated', (frame) => {
      if (slot.job !== undefined && frame === page.mainFrame()) slot.job.navigatedTo = frame.url();
    });
    return slot;
  }

  function releaseSlot(slot: Slot, healthy: boolean): void {
    slot.job = undefined;
    const reusable = healthy && !slot.broken && slot.uses < MAX_USES;
    if (reusable && !closed && browser.connected) idle.push(slot);
    else void slot.context.close().catch(() => {});
  }

  async function acquireSlot(): Promise<Slot> {
    for (let slot = idle.pop(); slot !== undefined; slot = idle.pop()) {
      if (!slot.broken) return slot;
      slot.context.close().catch(() => {});
    }
    return openSlot();
  }

  async function print(html: string, meta: PdfMeta, job: Job): Promise<PdfResult> {
    const slot = await acquireSlot();
    if (job.abandoned) {
      releaseSlot(slot, true); // timed out while the slot was being opened; unused
      throw new RenderError('abandoned');
    }
    let healthy = false;
    try {
      slot.job = job;
      job.slot = slot;
      slot.uses += 1;
      const { page } = slot;
      await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
      assertStillTheMemo(page, job);
      // A refresh may fire at any moment, even in the middle of pdf(): refuse it
      // outright rather than print either document depending on timing.
      if (await page.evaluate((s) => document.querySelector(s) !== null, REFRESH)) {
        throw new RenderError('the memo has a <meta http-equiv="refresh">, which would replace it');
      }
      // page.evaluate runs through DevTools, so it works with page scripts
      // disabled (checked); `load` alone does not cover fonts a style applies late.
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const pdf = await page.pdf({
        printBackground: true,
        preferCSSPageSize: true, // size and margins from the memo's @page rules
        displayHeaderFooter: false, // running heads are CSS margin boxes
        tagged: true,
        outline: true,
        timeout: timeoutMs,
      });
      assertStillTheMemo(page, job);
      healthy = true;
      const finalPdf = await finalizePdf(pdf, meta);
      return { pdf: finalPdf, warnings: [...job.warnings] };
    } catch (error) {
      // A navigation destroys the page's execution context: say why it happened.
      if (job.navigatedTo !== undefined && !(error instanceof RenderError))
        throw navigatedAway(job.navigatedTo);
      throw error;
    } finally {
      releaseSlot(slot, healthy && !job.abandoned);
    }
  }

  async function renderOne(html: string, meta: PdfMeta): Promise<PdfResult> {
    if (closed || !browser.connected) {
      throw new RenderError(
        closed ? 'the PDF renderer is closed' : 'Chromium is no longer running',
      );
    }
    let timer: NodeJS.Timeout | undefined;
    let fail: (error: RenderError) => void = () => {};
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
      timer = setTimeout(
        () => reject(new RenderError(`printing took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const job: Job = {
      warnings: new Set(),
      fail,
      navigatedTo: undefined,
      abandoned: false,
      slot: undefined,
    };
    const work = print(html, meta, job);
    try {
      return await Promise.race([work, failure, disconnected]);
    } catch (error) {
      // The page may still be busy (timeout, crash): mark the job so its slot
      // is discarded, not reused, and let the work settle unobserved.
      job.abandoned = true;
      work.catch(() => {});
      // Closing the context makes the page's pending calls fail at once rather
      // than after puppeteer's protocol timeout, so the slot is gone before
      // the next memo starts and `concurrency` pages are never exceeded.
      job.slot?.context.close().catch(() => {});
      // A dead browser fails the page's calls before 'disconnected' is
      // emitted; report the cause, not the protocol error it produced.
      throw browser.connected ? toRenderError(error) : gone();
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    browserVersion,
    render: (html, meta) => limit(() => renderOne(html, meta)),
    async close() {
      if (closed) return;
      closed = true;
      await closeBrowser(browser);
      unregisterSignals();
    },
  };
}

function onRequest(request: HTTPRequest, job: Job | undefined): void {
  const url = request.url();
  // data: URLs are the memo's own (embedded fonts and images).
  if (url.startsWith('data:')) {
    request.continue().catch(() => {});
    return;
  }
  job?.warnings.add(`blocked request to ${truncate(url)}`);
  // The page may be gone by now; nothing to do about a failed abort then.
  request.abort('blockedbyclient').catch(() => {});
}

/** `setContent` writes into about:blank without navigating: any main-frame navigation is the memo's. */
function assertStillTheMemo(page: Page, job: Job): void {
  if (job.navigatedTo !== undefined) throw navigatedAway(job.navigatedTo);
  if (page.url() !== 'about:blank') throw navigatedAway(page.url());
}

function navigatedAway(url: string): RenderError {
  return new RenderError(
    `the memo navigated away from itself (to ${truncate(url)}); nothing was printed`,
  );
}

function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the place straight to the next task, or give it back.
      const next = waiting.shift();
      if (next === undefined) active -= 1;
      else next();
    }
  };
}

function toRenderError(error: unknown): RenderError {
  if (error instanceof RenderError) return error;
  const name = error instanceof Error ? error.name : '';
  const what = name === 'TimeoutError' ? 'Chromium timed out' : 'Chromium failed';
  return new RenderError(`${what} while printing: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

function truncate(text: string): string {
  return text.length <= MAX_URL_IN_WARNING ? text : `${text.slice(0, MAX_URL_IN_WARNING - 1)}…`;
}
