/**
 * `memo diff <slug> [vA] [vB]`: load two versions from the archive (checking
 * that their memo.html is the one published), build the redline and write it
 * as HTML, or print it to PDF through a session's renderer.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import type { FrontMatter } from '../frontmatter/schema.js';
import { writeFileAtomic } from '../io/atomic.js';
import { fail } from '../messages.js';
import { createView } from '../render/create-view.js';
import { loadFonts } from '../render/fonts.js';
import type { MemoView } from '../render/view.js';
import { openSession } from '../session.js';
import type { SessionOptions } from '../session.js';
import { toolVersion } from '../version.js';
import { isArchivableSlug, listVersions, memoFolder } from './layout.js';
import { buildRedline, renderRedline } from './redline.js';
import type { Redline, VersionInput } from './redline.js';
import { loadArchiveTemplates } from './templates.js';
import { loadVersionInput } from './redline-files.js';

export interface DiffOptions extends Pick<SessionOptions, 'executablePath' | 'env'> {
  readonly archiveDir: string;
  readonly cwd?: string;
  readonly slug: string;
  /** Version numbers; default: the two newest (or `from` and the newest). */
  readonly from?: number;
  readonly to?: number;
  /** Default `out/<slug>/redline-v<A>-v<B>.html` (or `.pdf`). */
  readonly outFile?: string;
  readonly pdf?: boolean;
}

export interface DiffResult {
  /** Problems, on the memo's archive folder. */
  readonly file: VFile;
  readonly written:
    | {
        readonly path: string;
        readonly from: number;
        readonly to: number;
        readonly redline: Redline;
      }
    | undefined;
}

function pickVersions(
  file: VFile,
  slug: string,
  versions: readonly number[],
  options: DiffOptions,
): [number, number] | undefined {
  const newest = versions.at(-1);
  if (newest === undefined) {
    fail(
      file,
      `no published version of \`${slug}\` in this archive (publish it with \`memo publish\`)`,
      undefined,
      'archive-missing',
    );
    return undefined;
  }
  const from = options.from ?? (options.to === undefined ? versions.at(-2) : undefined);
  const to = options.to ?? newest;
  if (from === undefined) {
    fail(
      file,
      `\`${slug}\` has only version ${newest}: a redline needs two versions`,
      undefined,
      'diff-versions',
    );
    return undefined;
  }
  for (const version of [from, to]) {
    if (!versions.includes(version)) {
      fail(
        file,
        `\`${slug}\` has no version ${version}; it has ${versions.map((n) => `v${n}`).join(', ')}`,
        undefined,
        'diff-versions',
      );
      return undefined;
    }
  }
  if (from === to) {
    fail(
      file,
      `both sides are version ${from}: name two different versions`,
      undefined,
      'diff-versions',
    );
    return undefined;
  }
  return [from, to];
}

async function loadVersion(
  file: VFile,
  archive: string,
  slug: string,
  version: number,
): Promise<VersionInput | undefined> {
  const loaded = await loadVersionInput(archive, slug, version, true);
  if (loaded.ok) return loaded.input;
  fail(file, `version ${version} cannot be compared: ${loaded.problem}`, undefined, loaded.rule);
  return undefined;
}

/** The view the PDF's metadata is made from (title, author, subject, dates, language). */
function redlineView(redline: Redline, b: VersionInput, generator: string): MemoView {
  const memo = b.manifest.memo;
  const frontMatter: FrontMatter = {
    title: redline.documentTitle,
    ...(memo.authors.length === 0 ? { author: memo.organization } : { authors: [...memo.authors] }),
    organization: memo.organization,
    date: b.manifest.date,
    summary: redline.description,
    lang: memo.lang,
    paper: memo.paper,
    notes: 'endnotes',
    toc: 'false',
    toc_depth: '2',
    end_matter: 'appendix-first',
    template: 'assessment',
    distribution: [],
    recommendations: [],
    recommendations_title: 'Recommendations',
    csl: 'chicago-notes-bibliography',
    bibliography_section: 'true',
    bibliography_title: 'Sources',
  };
  return {
    ...createView({ frontMatter, bodyHtml: '', notesHtml: '', generator }),
    keywords: [memo.organization, 'redline', b.manifest.slug],
  };
}

export async function diffVersions(options: DiffOptions): Promise<DiffResult> {
  const cwd = options.cwd ?? process.cwd();
  const archive = path.resolve(cwd, options.archiveDir);
  const file = new VFile({
    path: path.relative(cwd, memoFolder(archive, options.slug)) || '.',
    cwd,
  });
  const none: DiffResult = { file, written: undefined };
  if (!isArchivableSlug(options.slug)) {
    fail(
      file,
      `\`${options.slug}\` is not a memo slug (the source's file name without .md)`,
      undefined,
      'archive-slug',
    );
    return none;
  }
  const picked = pickVersions(
    file,
    options.slug,
    await listVersions(archive, options.slug),
    options,
  );
  if (picked === undefined) return none;
  const [from, to] = picked;
  const [a, b] = [
    await loadVersion(file, archive, options.slug, from),
    await loadVersion(file, archive, options.slug, to),
  ];
  if (a === undefined || b === undefined) return none;
  const generator = `memo-press ${toolVersion()}`;
  const redline = buildRedline(a, b, generator);
  const [templates, fonts] = await Promise.all([loadArchiveTemplates(), loadFonts()]);
  const html = renderRedline(redline, b.manifest.memo.paper, templates, fonts.css);
  const extension = options.pdf === true ? 'pdf' : 'html';
  const target = path.resolve(
    cwd,
    options.outFile ?? path.join('out', options.slug, `redline-v${from}-v${to}.${extension}`),
  );
  let output: string | Uint8Array = html;
  if (options.pdf === true) {
    const session = await openSession({
      prelaunch: true,
      ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    try {
      const pdf = await session.renderPdf(file, redlineView(redline, b, generator), html);
      if (pdf === undefined) return none;
      output = pdf;
    } finally {
      await session.close();
    }
  }
  await writeFileAtomic(target, output);
  return { file, written: { path: path.relative(cwd, target), from, to, redline } };
}
