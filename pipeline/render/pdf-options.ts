/**
 * What the PDF renderer takes and gives, shared by its modules (pdf.ts,
 * pdf-page.ts, browser-pool.ts, pdf-metadata.ts) so none of them imports
 * another's types: the options are resolved once here, and every module
 * reads the same object.
 */
import type { EarlyChromium } from './chromium-process.js';

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
  /** Why footnotes were asked for and endnotes printed instead, or null. */
  notesFallback: string | null;
  /** Whether the PDF has the contents block (`toc: auto` decides by the page count). */
  contents: boolean;
  /** Why a page number of the contents or a `:ref` may be wrong, or null. */
  pageNumbers: string | null;
}

/** How the memo is laid out on paper. */
export interface PrintLayout {
  /** Notes at the foot of the page of their reference, or after the body (as in the HTML). */
  readonly notes: 'footnotes' | 'endnotes';
  /** The contents block: always, never, or when the memo runs longer than 10 pages (default). */
  readonly contents?: 'auto' | 'true' | 'false';
}

/** What a run may tune (`memo build --timeout`, tests). */
export interface PdfTuning {
  /** Per memo, from the moment it has a page; default `printTimeout(html.length)`. */
  timeoutMs?: number;
  /** Memos one browser prints before it is replaced; default 100. */
  memosPerBrowser?: number;
  /** Memos one page (and its renderer process) prints before it is renewed; default 20. */
  memosPerPage?: number;
  /** Called as each memo starts printing, once it has its page (tests wait on it). */
  onPrintStart?: (print: PrintStart) => void;
  /** `fail`: treat every footnote placement as wrong (tests of the fallback to endnotes); default `pdf`. */
  footnoteCheck?: 'pdf' | 'fail';
  /** Chromium started by the command's launcher before the tool loaded: the first launch takes it. */
  early?: EarlyChromium;
}

/** A memo about to print: which one, and the browser (its pid is its process group) printing it. */
export interface PrintStart {
  readonly title: string;
  readonly browserPid: number | undefined;
}

export interface PdfRendererOptions extends PdfTuning {
  executablePath?: string;
  /** Chromium's environment (default `process.env`); also where MEMO_CHROMIUM is looked up. */
  env?: NodeJS.ProcessEnv;
  /** Memos printed at once; default 2. */
  concurrency?: number;
  /** Close the browser and exit on SIGINT/SIGTERM/SIGHUP; default true. */
  handleSignals?: boolean;
}

/** `PdfRendererOptions` with every default filled in. */
export interface ResolvedPdfOptions {
  readonly executablePath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly concurrency: number;
  readonly handleSignals: boolean;
  /** Undefined: `printTimeout` of each memo's HTML. */
  readonly timeoutMs?: number;
  readonly memosPerBrowser: number;
  readonly memosPerPage: number;
  readonly onPrintStart?: (print: PrintStart) => void;
  readonly footnoteCheck: 'pdf' | 'fail';
  readonly early?: EarlyChromium;
}

export interface PdfRenderer {
  render(html: string, meta: PdfMeta, layout?: PrintLayout): Promise<PdfResult>;
  readonly browserVersion: string;
  close(): Promise<void>;
}

function atLeastOne(value: number | undefined, fallback: number): number {
  return Math.max(1, Math.floor(value ?? fallback));
}

export function resolvePdfOptions(options: PdfRendererOptions = {}): ResolvedPdfOptions {
  return {
    ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
    ...(options.env === undefined ? {} : { env: options.env }),
    concurrency: atLeastOne(options.concurrency, 2),
    handleSignals: options.handleSignals !== false,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    memosPerBrowser: atLeastOne(options.memosPerBrowser, 100),
    memosPerPage: atLeastOne(options.memosPerPage, 20),
    ...(options.onPrintStart === undefined ? {} : { onPrintStart: options.onPrintStart }),
    footnoteCheck: options.footnoteCheck === 'fail' ? 'fail' : 'pdf',
    ...(options.early === undefined ? {} : { early: options.early }),
  };
}
