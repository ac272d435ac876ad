/**
 * The memos a build was given: each source read once (never one over the
 * size limit), with its slug, output folder and cache entry path.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import { entryPath } from './cache/build-cache.js';
import { checkedSlug, readSource as readSourceBytes, slugOf } from './io/sources.js';
import { fail } from './messages.js';
import { printable } from './util/unsafe-text.js';

export interface Job {
  readonly file: VFile;
  readonly source: Uint8Array;
  readonly slug: string;
  readonly folder: string;
  readonly cacheFile: string;
}

/**
 * Read one source into a vfile (`path` relative to `cwd`): only a regular file,
 * and never past the size limit (io/sources.ts). Otherwise its vfile is empty,
 * with the reason on it.
 */
export async function readSource(
  source: string,
  cwd: string,
): Promise<{ file: VFile; bytes: Uint8Array }> {
  const file = new VFile({ path: path.relative(cwd, source), cwd });
  const bytes = (await readSourceBytes(file, source)) ?? new Uint8Array(0);
  file.value = bytes;
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
