/**
 * The memos a build was given: each source read once (never one over the
 * size limit), with its slug, output folder and cache entry path.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { entryPath } from './cache/build-cache.js';
import { MAX_SOURCE_BYTES, checkSourceSize } from './io/limits.js';
import { slugOf } from './io/sources.js';
import { fail } from './messages.js';

export type OutputFormat = 'html' | 'pdf' | 'both';

export interface Job {
  readonly file: VFile;
  readonly source: Uint8Array;
  readonly slug: string;
  readonly folder: string;
  readonly cacheFile: string;
}

/** The files a build of `format` writes per memo. */
export function outputNames(format: OutputFormat): string[] {
  return [...(format === 'pdf' ? [] : ['memo.html']), ...(format === 'html' ? [] : ['memo.pdf'])];
}

/**
 * Read one source into a vfile (`path` relative to `cwd`). A file over the
 * size limit is never read into memory (it could be gigabytes): its vfile is
 * empty, with the error on it.
 */
export async function readSource(
  source: string,
  cwd: string,
): Promise<{ file: VFile; bytes: Uint8Array }> {
  const size = (await stat(source)).size;
  const bytes =
    size > MAX_SOURCE_BYTES ? new Uint8Array(0) : new Uint8Array(await readFile(source));
  const file = new VFile({ path: path.relative(cwd, source), cwd, value: bytes });
  checkSourceSize(file, size);
  return { file, bytes };
}

/** Read every source (in order) and detect slugs two sources would share. */
export async function readJobs(
  files: readonly string[],
  options: { readonly outDir: string },
  cwd: string,
): Promise<Job[]> {
  const jobs: Job[] = [];
  const slugs = new Map<string, string>();
  const outFolder = path.resolve(cwd, options.outDir);
  for (const source of files) {
    const { file, bytes } = await readSource(source, cwd);
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
    jobs.push({
      file,
      source: bytes,
      slug,
      folder: path.join(outFolder, slug),
      cacheFile: entryPath(outFolder, slug),
    });
  }
  return jobs;
}
