/**
 * One page that prints memos, and printing one memo on it. The page's
 * defences are set before any content reaches it: JavaScript off, every
 * request but `data:` aborted, any navigation away from about:blank an error
 * (see pdf.ts for the whole isolation model).
 */
import type { CDPSession, Page } from 'puppeteer-core';
import type { Generation } from './browser-pool.js';
import type { PrintedLink } from './pdf-archival.js';
import { layoutFootnotes, prepareLayoutPage } from './footnote-layout.js';
import type { PlacedNote } from './footnote-layout.js';
import {
  AUTO_CONTENTS_PAGES,
  CONTENTS,
  LONG_MEMO_TEXT,
  MAX_NUMBER_PRINTS,
  PAGE_SLOT,
  fillPageNumbers,
} from './page-numbers.js';
import type { PdfLinks, PrintedPdf } from './pdf-links.js';
import type { PdfMeta, PdfResult, PrintLayout } from './pdf-options.js';
import { RenderError } from './render-error.js';
import { refuseRequests } from './request-guard.js';
import { firstLine } from '../util/errors.js';

const MAX_URL_IN_WARNING = 120;
const REFRESH = 'meta[http-equiv="refresh" i]';
const HEADINGS = 'h1, h2, h3, h4, h5, h6';
const LINKS = 'a[href]';

/** One memo being printed: what the page's event listeners report into. */
export interface Job {
  readonly warnings: Set<string>;
  readonly timeoutMs: number;
  fail(error: RenderError): void;
  navigatedTo: string | undefined;
  abandoned: boolean;
  /** The slot printing it, once it has one. */
  slot: Slot | undefined;
}

/** A page, reused memo after memo. */
export interface Slot {
  readonly generation: Generation;
  readonly page: Page;
  /** A DevTools session of its own on the page: prints in one round trip (`printPdf`). */
  readonly devtools: CDPSession;
  uses: number;
  job: Job | undefined;
  /** Its renderer crashed or its page closed: never reuse. */
  broken: boolean;
}

export async function openSlot(generation: Generation): Promise<Slot> {
  const page = await openPage(generation);
  // Before any content: scripts never run, whatever the memo contains.
  const [devtools] = await Promise.all([
    page.createCDPSession(),
    page.setJavaScriptEnabled(false),
    prepareLayoutPage(page),
  ]);
  const slot: Slot = { generation, page, devtools, uses: 0, job: undefined, broken: false };
  await refuseRequests(page, (url) =>
    slot.job?.warnings.add(`blocked request to ${truncate(url)}`),
  );
  page.on('error', (error) => {
    slot.broken = true; // a renderer crash, even between memos
    slot.job?.fail(new RenderError(`the page crashed: ${error.message}`));
  });
  page.on('close', () => (slot.broken = true));
  page.on('pageerror', (error) =>
    slot.job?.fail(new RenderError(`the page raised an error: ${firstLine(error)}`)),
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

/**
 * The browser's startup tab if it is still free, else a new tab, both in the
 * browser's default context. Not an incognito context per slot: creating one
 * is slow (docs/performance.md), and it isolates nothing that matters here (pdf.ts).
 */
async function openPage(generation: Generation): Promise<Page> {
  if (!generation.initialPageTaken) {
    generation.initialPageTaken = true;
    const [initial] = await generation.browser.pages();
    if (initial !== undefined && initial.url() === 'about:blank') return initial;
  }
  return generation.browser.newPage();
}

/**
 * Chromium's PDF → the finished file (pdf-metadata.ts, loaded lazily by pdf.ts): its bytes, or
 * the file as parsed to read its links, which is then finished without a second parse.
 * `headings`: the text of every h1–h6 printed, in document order (the bookmarks' titles).
 */
export type Finalize = (
  pdf: Uint8Array | PrintedPdf,
  meta: PdfMeta,
  headings: readonly string[],
  links: readonly PrintedLink[],
) => Promise<Uint8Array>;

/** What to print. */
export interface PrintInput {
  readonly html: string;
  readonly meta: PdfMeta;
  readonly layout: PrintLayout;
}

/** How the renderer finishes and checks a print. */
export interface PrintSteps {
  readonly finalize: Finalize;
  readonly footnoteCheck: 'pdf' | 'fail';
  /** Called once the memo's HTML is on its way to Chromium: Node's time is free until the page has loaded. */
  readonly whileLoading?: () => void;
}

/**
 * Print the memo on the slot's page; the caller has set `slot.job = job`.
 *
 * Each round loads the memo afresh: `toc: auto` prints it without contents first and, past
 * `AUTO_CONTENTS_PAGES`, again with them (a memo with `LONG_MEMO_TEXT` of text is printed with
 * them first, and without them only if that print is short); footnotes that cannot be laid out
 * or fail the check are printed as endnotes. Within a round the page numbers are printed until
 * stable.
 */
export async function printOnSlot(
  slot: Slot,
  { html, meta, layout }: PrintInput,
  job: Job,
  { finalize, footnoteCheck, whileLoading }: PrintSteps,
): Promise<PdfResult> {
  const { page } = slot;
  try {
    let footnotes = layout.notes === 'footnotes' && html.includes('data-footnote-ref');
    let contents = html.includes('data-memo-contents') ? (layout.contents ?? 'auto') : 'false';
    const slots = html.includes('data-memo-page-of');
    let notesFallback: string | null = null;
    // The pages of the last print: filled in before the notes are laid out again, so a
    // `:ref`'s number takes the room it will print in. `knownWithout`: that print had no contents.
    let known: ReadonlyMap<string, number> | undefined;
    let knownWithout = false;
    let relaid = false;
    let probed = false;
    for (;;) {
      // No print yet gave the pages of this layout (none, or one without the contents).
      const pagesUnknown = slots && (known === undefined || knownWithout);
      // Then the contents would need a draft print; the notes' layout knows the pages.
      const unknown = pagesUnknown && contents === 'true';
      const probe: boolean = contents === 'auto' && slots && !probed;
      probed ||= probe;
      const loaded = await load(page, html, job, whileLoading, {
        probe,
        keepContents: contents === 'true',
        targets: footnotes && unknown,
      });
      // `toc: auto` on a long memo: the first heading the contents list, printed with them.
      const { likely } = loaded;
      const withContents = contents === 'true' || likely !== undefined;
      if (known !== undefined && slots) await fillPageNumbers(page, known);
      let placed: readonly PlacedNote[] = [];
      let laidOut = false;
      if (footnotes) {
        const laid = await layoutFootnotes(page, loaded.targets);
        if (laid.failure !== null) {
          // Never a wrong PDF: the memo as written, notes at the end.
          notesFallback = laid.failure;
          footnotes = false;
          continue;
        }
        placed = laid.notes;
        if (laid.pages.size > 0) {
          await fillPageNumbers(page, laid.pages);
          laidOut = true;
        }
      }
      // With page-number slots still empty, or filled from a print without the contents, this
      // print is never the one kept: a draft (unless the layout filled them).
      const draft = pagesUnknown && withContents && !laidOut;
      let printed = await print(slot, job, draft);
      const needLinks = placed.length > 0 || slots || contents === 'auto';
      let links = needLinks ? await readLinks(printed.pdf) : undefined;
      if (likely !== undefined && links !== undefined) {
        // Without the contents, at most the pages before the first heading they list go.
        const first = links.destinations.get(likely);
        if (first === undefined || links.pageCount - (first - 1) <= AUTO_CONTENTS_PAGES + 1)
          continue; // not surely long: decide from a print without them
        contents = 'true';
      }
      if (contents === 'auto' && links !== undefined) {
        contents = links.pageCount > AUTO_CONTENTS_PAGES ? 'true' : 'false';
        if (contents === 'true') {
          known = links.destinations;
          knownWithout = true;
          continue;
        }
      }
      let pageNumbers: string | null = null;
      if (slots && links !== undefined) {
        const settled = await settlePageNumbers(slot, job, printed, links, loaded.slots);
        ({ printed, links, problem: pageNumbers } = settled);
      }
      if (placed.length > 0 && links !== undefined) {
        const wrong =
          footnoteCheck === 'fail'
            ? 'the placement check was told to fail'
            : (await import('./footnote-check.js')).misplacedIn(links, placed);
        if (wrong !== undefined && slots && !relaid && footnoteCheck !== 'fail') {
          // The numbers moved a line: lay the notes out again around them, once.
          relaid = true;
          known = links.destinations;
          knownWithout = false;
          continue;
        }
        if (wrong !== undefined) {
          notesFallback = wrong;
          footnotes = false;
          continue;
        }
      }
      // The parse the links were read from, when it is this print's: no second parse.
      const parsed = links?.file.bytes === printed.pdf ? links.file : printed.pdf;
      return {
        pdf: await finalize(parsed, meta, printed.headings, printed.links),
        warnings: [...job.warnings],
        notesFallback,
        contents: contents === 'true',
        pageNumbers,
      };
    }
  } catch (error) {
    // A navigation destroys the page's execution context: say why it happened.
    if (job.navigatedTo !== undefined && !(error instanceof RenderError))
      throw navigatedAway(job.navigatedTo);
    throw error;
  }
}

interface Printed {
  readonly pdf: Uint8Array;
  readonly headings: string[];
  readonly links: PrintedLink[];
  /** Printed only to read the pages back (page-number slots still empty): never the result. */
  readonly draft: boolean;
}

/** Where things are in a print, and the print as parsed to find out. */
interface Read extends PdfLinks {
  readonly file: PrintedPdf;
}

/** Load the modules that read a print (pdf-lib), for `whileLoading`. */
export async function preloadReading(): Promise<void> {
  await Promise.all([import('./pdf-links.js'), import('./footnote-check.js')]);
}

async function readLinks(pdf: Uint8Array): Promise<Read> {
  const { openPrintedPdf, pdfLinks } = await import('./pdf-links.js');
  const file = await openPrintedPdf(pdf);
  return { ...pdfLinks(file), file };
}

/**
 * Fill the page numbers from `links` and print again until a print shows the pages it was
 * printed with; at most `MAX_NUMBER_PRINTS` prints in all. `problem`: why numbers may be wrong.
 */
async function settlePageNumbers(
  slot: Slot,
  job: Job,
  first: Printed,
  firstLinks: Read,
  slotCount: number,
): Promise<{ printed: Printed; links: Read; problem: string | null }> {
  let printed = first;
  let links = firstLinks;
  // Nothing changed since `printed`: the same layout, printed for keeping if it was a draft.
  const kept = async (problem: string | null) => ({
    printed: printed.draft ? await print(slot, job) : printed,
    links,
    problem,
  });
  if (slotCount === 0) return kept(null); // the contents, their only slots, were dropped
  for (let prints = 1; ; prints += 1) {
    const filled = await fillPageNumbers(slot.page, links.destinations);
    if (filled.slots === 0) return kept(null);
    if (filled.changed === 0) {
      return kept(
        filled.missing.length === 0
          ? null
          : `the page of \`${filled.missing[0] ?? ''}\` could not be found in the printed PDF, so it shows no page number`,
      );
    }
    if (prints >= MAX_NUMBER_PRINTS)
      return {
        printed,
        links,
        problem: `the page numbers still moved after ${MAX_NUMBER_PRINTS} prints, so some may be off by a page`,
      };
    printed = await print(slot, job);
    links = await readLinks(printed.pdf);
  }
}

/** What to do with the contents block once the memo is loaded. */
interface ContentsPlan {
  /** `toc: auto` not yet decided: measure the memo's text (`LONG_MEMO_TEXT`). */
  readonly probe: boolean;
  /** `toc: true`: keep the contents whatever the probe says. */
  readonly keepContents: boolean;
  /** Read the ids the page-number slots show (for the notes' layout). */
  readonly targets: boolean;
}

/** The memo as loaded, its contents kept or dropped. */
interface Loaded {
  /** A long memo's first contents entry (the contents are kept, and likely print). */
  readonly likely: string | undefined;
  /** The page-number slots left in the page. */
  readonly slots: number;
  /** The ids the slots show, each once (when asked). */
  readonly targets: string[];
}

/**
 * The memo written into the page (`write`), its fonts loaded, its contents kept or dropped
 * (`plan`). Then one round trip (page.evaluate runs through DevTools, so it works with page
 * scripts disabled). A refresh may fire at any moment, even in the middle of a print: refuse it
 * outright rather than print either document depending on timing. And wait for the fonts: the
 * load alone does not cover fonts a style applies late.
 */
async function load(
  page: Page,
  html: string,
  job: Job,
  meanwhile: (() => void) | undefined,
  plan: ContentsPlan,
): Promise<Loaded> {
  const loading = write(page, html);
  meanwhile?.();
  if (!(await loading)) await untilLoaded(page);
  assertStillTheMemo(page, job);
  const state = await page.evaluate(
    (refresh, contents, slot, ask, long) =>
      document.fonts.ready.then(() => {
        if (document.querySelector(refresh) !== null)
          return { refresh: true, likely: null, slots: 0, targets: [] };
        const block = document.querySelector(contents);
        const first = block?.querySelector(slot)?.getAttribute('data-memo-page-of') ?? null;
        const likely = ask.probe && (document.body.textContent?.length ?? 0) >= long ? first : null;
        if (!ask.keepContents && likely === null) block?.remove();
        const slots = Array.from(document.querySelectorAll(slot), (element) =>
          element.getAttribute('data-memo-page-of'),
        );
        const targets = ask.targets
          ? [...new Set(slots.filter((id): id is string => id !== null && id !== ''))]
          : [];
        return { refresh: false, likely, slots: slots.length, targets };
      }),
    REFRESH,
    CONTENTS,
    PAGE_SLOT,
    plan,
    LONG_MEMO_TEXT,
  );
  if (state.refresh) {
    throw new RenderError('the memo has a <meta http-equiv="refresh">, which would replace it');
  }
  return { likely: state.likely ?? undefined, slots: state.slots, targets: state.targets };
}

/**
 * Write the memo into the page as `page.setContent` does (`document.open`, `write`, `close`),
 * in two parts: the head, then the body once every font the head declares has loaded. The
 * body is then laid out once, with its fonts, instead of first with fallback fonts and again
 * as each face arrives (docs/performance.md). A face the memo does not use is decoded for
 * nothing, and changes nothing: the PDF embeds only the glyphs it prints. True when the
 * document has loaded (its images are data URLs, so it nearly always has by then).
 */
async function write(page: Page, html: string): Promise<boolean> {
  const end = html.indexOf('</head>');
  const [head, body] = end === -1 ? ['', html] : [html.slice(0, end), html.slice(end)];
  return page.evaluate(
    async (first, rest) => {
      document.open();
      document.write(first.join(''));
      // Not fonts.forEach: with page scripts off, Blink refuses to call a callback of its own.
      await Promise.all(Array.from(document.fonts, (face) => face.load().catch(() => undefined)));
      document.write(rest.join(''));
      document.close();
      return document.readyState === 'complete';
    },
    asciiRuns(head),
    asciiRuns(body),
  );
}

/**
 * `text` cut into runs that are all ASCII or all not. DevTools carries a string holding even
 * one character beyond ASCII (a curly quote in the title, an arrow in a stylesheet's comment)
 * on a path about twice as slow for the whole string, and a memo's head is mostly its fonts'
 * ASCII data URLs: the page joins the runs again (docs/performance.md).
 */
export function asciiRuns(text: string): string[] {
  return text.split(/([^\0-\x7f]+)/u);
}

/** Until the document has loaded (a DevTools round trip each 10 ms: page scripts stay off). */
async function untilLoaded(page: Page): Promise<void> {
  while (!(await page.evaluate(() => document.readyState === 'complete')))
    await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Chromium's PDF, and the text of every h1–h6 of the page it printed, in
 * document order: Chromium bookmarks each one, under the text it painted
 * (pdf-outline.ts rights the titles). Read from the page, not from the HTML:
 * the footnote layout may have removed the Notes heading. Likewise every
 * link's target and text (the link annotations' /Contents, pdf-archival.ts).
 * One DevTools round trip (page scripts stay off), which first waits for any font the page
 * changes since the load made it use (what `page.pdf()` would wait for).
 */
async function print(slot: Slot, job: Job, draft = false): Promise<Printed> {
  const { page } = slot;
  const [headings, links] = await page.evaluate(
    (h, a) =>
      document.fonts.ready.then(
        () =>
          [
            Array.from(document.querySelectorAll(h), (heading) => heading.textContent ?? ''),
            Array.from(document.querySelectorAll(a), (link) => ({
              href: link.getAttribute('href') ?? '',
              // A footnote reference is only its number: say what it is.
              text:
                link.getAttribute('aria-label') ??
                `${link.hasAttribute('data-footnote-ref') ? 'Note ' : ''}${link.textContent ?? ''}`,
            })),
          ] as const,
      ),
    HEADINGS,
    LINKS,
  );
  const pdf = await printPdf(slot.devtools, draft);
  assertStillTheMemo(page, job);
  return { pdf, headings: [...headings], links: [...links], draft };
}

/**
 * Chromium's PDF of the page, with the size and margins of the memo's @page rules (running heads
 * are CSS margin boxes). In one round trip: puppeteer's `page.pdf()` streams the same bytes back
 * in three more (docs/performance.md). A draft only tells where things are: untagged, without
 * bookmarks or backgrounds (which move nothing), it prints faster.
 */
async function printPdf(devtools: CDPSession, draft: boolean): Promise<Uint8Array> {
  const { data } = await devtools.send('Page.printToPDF', {
    transferMode: 'ReturnAsBase64',
    // What page.pdf() would send: letter paper without margins, which @page rules replace.
    paperWidth: 8.5,
    paperHeight: 11,
    marginTop: 0,
    marginBottom: 0,
    marginLeft: 0,
    marginRight: 0,
    scale: 1,
    landscape: false,
    pageRanges: '',
    displayHeaderFooter: false,
    headerTemplate: '',
    footerTemplate: '',
    preferCSSPageSize: true,
    printBackground: !draft,
    generateTaggedPDF: !draft,
    generateDocumentOutline: !draft,
  });
  return Buffer.from(data, 'base64');
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

function truncate(text: string): string {
  return text.length <= MAX_URL_IN_WARNING ? text : `${text.slice(0, MAX_URL_IN_WARNING - 1)}…`;
}
