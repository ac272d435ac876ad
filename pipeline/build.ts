/**
 * `memo build`: sources → validated → HTML (+ PDF) in `<out>/<slug>/`.
 *
 * - Markdown work overlaps the browser's launch: the launch starts first,
 *   memos compile while Chromium boots.
 * - One browser per run; the PDF renderer prints several memos at once.
 * - A memo's files are written only when all of them are ready, each one
 *   atomically: a failed memo writes nothing and leaves earlier output as it was.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { compileMemo } from './compile.js';
import { writeFileAtomic } from './io/atomic.js';
import { findSources, slugOf } from './io/sources.js';
import { fail, hasErrors, warn } from './messages.js';
import { createHtmlRenderer } from './render/html.js';
import type { HtmlRenderer } from './render/html.js';
import type { PdfMeta, PdfRenderer } from './render/pdf.js';
import type { MemoView } from './render/view.js';
import { createProcessor } from './unified/processor.js';
import { toolVersion } from './version.js';

export type OutputFormat = 'html' | 'pdf' | 'both';

export interface BuildOptions {
  readonly outDir: string;
  readonly format: OutputFormat;
  readonly cwd?: string;
  /** Memos printed at once (default 2: this is what a 2-core machine sustains). */
  readonly concurrency?: number;
  readonly executablePath?: string;
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  /** Called when a memo is done (built or failed), for progress display. */
  readonly onMemoDone?: (result: MemoResult) => void;
}

export interface MemoResult {
  readonly file: VFile;
  readonly slug: string;
  /** Paths written, relative to cwd. */
  readonly outputs: readonly string[];
  readonly ok: boolean;
}

export interface BuildResult {
  readonly memos: readonly MemoResult[];
  /** Files for problems that belong to no memo (a path that doesn't exist). */
  readonly other: readonly VFile[];
  readonly browserVersion: string | null;
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

interface Job {
  readonly file: VFile;
  readonly slug: string;
  readonly folder: string;
}

async function startPdfRenderer(options: BuildOptions): Promise<PdfRenderer> {
  const { createPdfRenderer } = await import('./render/pdf.js');
  return createPdfRenderer({
    ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
    concurrency: options.concurrency ?? 2,
  });
}

async function buildOne(
  job: Job,
  html: HtmlRenderer,
  context: Parameters<typeof compileMemo>[1],
  pdf: Promise<PdfRenderer> | undefined,
  options: BuildOptions,
  cwd: string,
): Promise<MemoResult> {
  const failed: MemoResult = { file: job.file, slug: job.slug, outputs: [], ok: false };
  const view = await compileMemo(job.file, context);
  if (view === undefined) return failed;
  const document = html.render(view);
  const files: Array<[string, string | Uint8Array]> = [];
  if (options.format !== 'pdf') files.push(['memo.html', document]);
  if (pdf !== undefined) {
    try {
      const renderer = await pdf;
      const result = await renderer.render(document, pdfMeta(view, process.env));
      for (const warning of result.warnings) warn(job.file, warning, undefined, 'pdf-blocked-request');
      files.push(['memo.pdf', result.pdf]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      fail(job.file, `the PDF could not be rendered: ${reason}`, undefined, 'pdf-render');
      return failed;
    }
  }
  const outputs: string[] = [];
  for (const [name, data] of files) {
    const target = path.join(job.folder, name);
    await writeFileAtomic(target, data);
    outputs.push(path.relative(cwd, target));
  }
  return { file: job.file, slug: job.slug, outputs, ok: !hasErrors(job.file) };
}

export async function buildMemos(paths: readonly string[], options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const sources = await findSources(paths, cwd);
  const other = sources.missing.map((given) => {
    const file = new VFile({ path: given, cwd });
    fail(file, 'no such file, or a folder with no `.md` memo in it', undefined, 'source-missing');
    return file;
  });
  const jobs: Job[] = [];
  const slugs = new Map<string, string>();
  for (const source of sources.files) {
    const file = new VFile({ path: path.relative(cwd, source), cwd, value: await readFile(source) });
    const slug = slugOf(source);
    const previous = slugs.get(slug);
    if (previous !== undefined) {
      fail(file, `another memo, \`${previous}\`, has the same file name: output \`${slug}/\` would be shared; rename one`, undefined, 'source-slug');
    }
    slugs.set(slug, file.path);
    jobs.push({ file, slug, folder: path.resolve(cwd, options.outDir, slug) });
  }
  const wantsPdf = options.format !== 'html' && jobs.length > 0;
  const pdf = wantsPdf ? startPdfRenderer(options) : undefined;
  // Don't let an early launch failure go unhandled while memos compile.
  pdf?.catch(() => undefined);
  try {
    const html = await createHtmlRenderer({
      ...(options.templatesDir === undefined ? {} : { templatesDir: options.templatesDir }),
      ...(options.stylesDir === undefined ? {} : { stylesDir: options.stylesDir }),
    });
    const context = { processor: createProcessor(), generator: `memo-press ${toolVersion()}` };
    const memos = await Promise.all(
      jobs.map(async (job) => {
        const result = hasErrors(job.file)
          ? { file: job.file, slug: job.slug, outputs: [], ok: false }
          : await buildOne(job, html, context, pdf, options, cwd);
        options.onMemoDone?.(result);
        return result;
      }),
    );
    const browserVersion = pdf === undefined ? null : await pdf.then((renderer) => renderer.browserVersion, () => null);
    return { memos, other, browserVersion };
  } finally {
    if (pdf !== undefined) await pdf.then((renderer) => renderer.close(), () => undefined);
  }
}
