/**
 * `memo build`: sources → validated → HTML (+ PDF) in `<out>/<slug>/`.
 *
 * - Markdown work overlaps the browser's launch: Chromium starts first, and
 *   memos compile while it boots.
 * - One browser per run (a session); it prints several memos at once.
 * - A memo's files are written only when all of them are ready, each one
 *   atomically: a failed memo writes nothing and leaves earlier output as it was.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { writeFileAtomic } from './io/atomic.js';
import { findSources, slugOf } from './io/sources.js';
import { fail, hasErrors } from './messages.js';
import { openSession } from './session.js';
import type { MemoSession, SessionOptions } from './session.js';

export type OutputFormat = 'html' | 'pdf' | 'both';

export interface BuildOptions extends Omit<SessionOptions, 'prelaunch'> {
  readonly outDir: string;
  readonly format: OutputFormat;
  readonly cwd?: string;
  /** Called when a memo is done (built or failed), for progress display. */
  readonly onMemoDone?: (result: MemoResult) => void;
  /** Called as each memo starts (all of them at once, before any is done), for progress display. */
  readonly onMemoStart?: (memo: MemoStart) => void;
}

export interface MemoStart {
  readonly slug: string;
  /** The source, relative to cwd. */
  readonly path: string;
  /** How many memos this run builds. */
  readonly total: number;
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

interface Job {
  readonly file: VFile;
  readonly slug: string;
  readonly folder: string;
}

async function buildOne(job: Job, session: MemoSession, options: BuildOptions, cwd: string): Promise<MemoResult> {
  const failed: MemoResult = { file: job.file, slug: job.slug, outputs: [], ok: false };
  if (hasErrors(job.file)) return failed;
  const view = await session.compile(job.file);
  if (view === undefined) return failed;
  const document = session.renderHtml(view);
  const files: Array<[string, string | Uint8Array]> = [];
  if (options.format !== 'pdf') files.push(['memo.html', document]);
  if (options.format !== 'html') {
    const pdf = await session.renderPdf(job.file, view, document);
    if (pdf === undefined) return failed;
    files.push(['memo.pdf', pdf]);
  }
  const outputs: string[] = [];
  for (const [name, data] of files) {
    const target = path.join(job.folder, name);
    await writeFileAtomic(target, data);
    outputs.push(path.relative(cwd, target));
  }
  return { file: job.file, slug: job.slug, outputs, ok: true };
}

async function readJobs(files: readonly string[], options: BuildOptions, cwd: string): Promise<Job[]> {
  const jobs: Job[] = [];
  const slugs = new Map<string, string>();
  for (const source of files) {
    const file = new VFile({ path: path.relative(cwd, source), cwd, value: await readFile(source) });
    const slug = slugOf(source);
    const previous = slugs.get(slug);
    if (previous !== undefined) {
      fail(
        file,
        `another memo, \`${previous}\`, has the same file name, so both would build to \`${slug}/\`; rename one`,
        undefined,
        'source-slug',
      );
    }
    slugs.set(slug, file.path);
    jobs.push({ file, slug, folder: path.resolve(cwd, options.outDir, slug) });
  }
  return jobs;
}

export async function buildMemos(paths: readonly string[], options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const sources = await findSources(paths, cwd);
  const other = sources.missing.map((given) => {
    const file = new VFile({ path: given, cwd });
    fail(file, 'no such file, or a folder with no `.md` memo in it', undefined, 'source-missing');
    return file;
  });
  const jobs = await readJobs(sources.files, options, cwd);
  const session = await openSession({ ...options, prelaunch: options.format !== 'html' && jobs.length > 0 });
  try {
    const memos = await Promise.all(
      jobs.map(async (job) => {
        options.onMemoStart?.({ slug: job.slug, path: job.file.path, total: jobs.length });
        const result = await buildOne(job, session, options, cwd);
        options.onMemoDone?.(result);
        return result;
      }),
    );
    return { memos, other, browserVersion: await session.browserVersion() };
  } finally {
    await session.close();
  }
}
