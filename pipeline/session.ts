/**
 * A session: a build context (context.ts: templates, Chromium) with the
 * Markdown pipeline made for it — the unified processor and the front matter
 * schema, which knows the template names the context's templates define.
 * `memo build`, `memo check`, `memo publish` and `memo preview` all compile
 * and render through one.
 */
import type { VFile } from 'vfile';
import { compileMemo } from './compile.js';
import { inheritedFrom } from './config/index.js';
import { createContext } from './context.js';
import type { BuildContext } from './context.js';
import { createFrontMatterSchema } from './frontmatter/schema.js';
import { fail, warn } from './messages.js';
import type { HtmlRenderer } from './render/html.js';
import type { PdfMeta } from './render/pdf-options.js';
import { BrowserError } from './render/browser.js';
import { documentDate } from './render/formats/dates.js';
import { RenderError } from './render/render-error.js';
import type { MemoView } from './render/view.js';
import { resolveRunOptions } from './session-options.js';
import type { SessionOptions } from './session-options.js';
import { createProcessor } from './unified/processor.js';
import { toolVersion } from './version.js';

export type { SessionOptions } from './session-options.js';

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
}

/** A session with a context of its own (`openSession`), which `close` ends. */
export interface OwnSession extends MemoSession {
  close(): Promise<void>;
}

/** The PDF's dates: SOURCE_DATE_EPOCH when set, else the memo's own date (never the clock). */
export const pdfDate = documentDate;

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

/** The pipeline for `context`; it renders with the context's templates and browser. */
export async function createSession(context: BuildContext): Promise<MemoSession> {
  const { env, config, lint, series } = context.options;
  const html = await context.htmlRenderer();
  const generator = `memo-press ${toolVersion()}`;
  const inherited = config === undefined ? undefined : inheritedFrom(config);
  const compileContext = {
    processor: createProcessor({ lint }),
    generator,
    series,
    frontMatter: {
      schema: createFrontMatterSchema(html.templates),
      ...(inherited === undefined ? {} : { inherited }),
    },
  };
  return {
    generator,
    html,
    compile: (file) => compileMemo(file, compileContext),
    renderHtml: (view) => html.render(view),
    async renderPdf(file, view, document) {
      try {
        const renderer = await context.pdfRenderer();
        const result = await renderer.render(document, pdfMeta(view, env), {
          notes: view.notes,
          contents: view.contents,
        });
        file.data.printedContents = result.contents;
        for (const warning of result.warnings)
          warn(file, warning, undefined, 'pdf-blocked-request');
        if (result.notesFallback !== null)
          warn(
            file,
            `the notes are printed at the end of the PDF, not at the foot of their pages, because ${result.notesFallback}; ${footnotesAdvice(result.notesFallback)}`,
            undefined,
            'pdf-footnotes',
          );
        if (result.pageNumbers !== null)
          warn(
            file,
            `${result.pageNumbers}; check the contents and the \`:ref\` page numbers in the PDF, and report the memo if it keeps happening`,
            undefined,
            'pdf-page-numbers',
          );
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
    browserVersion: () => context.browserVersion(),
  };
}

/** A context of its own, resolved from `options`, and its session. */
export async function openSession(options: SessionOptions = {}): Promise<OwnSession> {
  const context = createContext(resolveRunOptions(options));
  if (options.prelaunch === true) context.startBrowser().catch(() => undefined);
  try {
    const session = await createSession(context);
    return { ...session, close: () => context.close() };
  } catch (error) {
    // A broken template folder: don't leave a prelaunched browser running.
    await context.close();
    throw error;
  }
}

/** What a writer can do when the notes could not go at the foot of their pages, for `reason`. */
function footnotesAdvice(reason: string): string {
  const endnotes = 'set `notes: endnotes` in the front matter to choose endnotes yourself';
  if (/^note \S+ /.test(reason)) return `shorten that note or ${endnotes}`;
  if (/@page|no room for text/.test(reason))
    return `check the \`@page\` size and margins in your templates folder, or ${endnotes}`;
  return endnotes;
}
