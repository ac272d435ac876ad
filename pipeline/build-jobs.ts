/**
 * The memos a build was given: each source read once (never one over the
 * size limit), with its slug, output folder and cache entry path.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import type { OutputFormat } from './build.js';
import { entryPath } from './cache/build-cache.js';
import { checkedSlug, readSource, slugOf } from './io/sources.js';
import { fail } from './messages.js';
import { printable } from './util/unsafe-text.js';

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
    const file = new VFile({ path: path.relative(cwd, source), cwd });
    // Never more than the size limit is read, and only from a regular file (io/sources.ts).
    const bytes = (await readSource(file, source)) ?? new Uint8Array(0);
    file.value = bytes;
    const slug = checkedSlug(file, source);
    const previous = slug === undefined ? undefined : slugs.get(slug);
    if (slug !== undefined && previous !== undefined) {
      fail(
        file,
        `another memo, \`${previous}\`, has the same file name, so both would build to \`${slug}/\`; rename one`,
        undefined,
        'source-slug',
      );
    }
    if (slug !== undefined) slugs.set(slug, file.path);
    jobs.push({
      file,
      source: bytes,
      // A name that cannot be a folder (`..md`) has an error, so nothing is written for it;
      // its paths stay inside the output folder all the same.
      slug: slug ?? printable(slugOf(source)),
      folder: slug === undefined ? outFolder : path.join(outFolder, slug),
      cacheFile: entryPath(outFolder, slug ?? ''),
    });
  }
  return jobs;
}
