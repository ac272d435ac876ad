/**
 * Find the memo sources named on the command line: files as given, folders
 * searched recursively for `*.md` (hidden folders and node_modules skipped),
 * in a stable (sorted) order.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';
import { isPlainLine } from '../util/unsafe-text.js';
import { MAX_SOURCE_BYTES, checkSourceSize } from './limits.js';
import { readBounded } from './read-bounded.js';

export interface SourceList {
  readonly files: string[];
  /** Paths that don't exist or hold no memo. */
  readonly missing: string[];
}

async function walk(folder: string, into: string[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await walk(full, into);
    else if (entry.isFile() && entry.name.endsWith('.md')) into.push(full);
  }
}

export async function findSources(paths: readonly string[], cwd: string): Promise<SourceList> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    try {
      const info = await stat(full);
      if (info.isDirectory()) {
        const found: string[] = [];
        await walk(full, found);
        if (found.length === 0) missing.push(given);
        files.push(...found);
      } else {
        files.push(full);
      }
    } catch {
      missing.push(given);
    }
  }
  return { files: [...new Set(files)], missing };
}

/** The memo's slug: its file name without `.md`. */
export function slugOf(file: string): string {
  return path.basename(file).replace(/\.md$/i, '');
}

/**
 * Whether `slug` is safe as one folder name in `--out` or the archive: not
 * empty, no leading dot (so never `.` or `..`), no separator, no control or
 * bidi character.
 */
export function isSafeSlug(slug: string): boolean {
  return (
    slug !== '' &&
    slug.length <= 200 &&
    !slug.startsWith('.') &&
    !/[/\\]/.test(slug) &&
    isPlainLine(slug)
  );
}

/** The slug of `file` (the source at `source`), or undefined with an error when it cannot name a folder. */
export function checkedSlug(file: VFile, source: string, rule = 'source-slug'): string | undefined {
  const slug = slugOf(source);
  if (isSafeSlug(slug)) return slug;
  fail(
    file,
    'this file name cannot name an output folder: rename the file to letters, digits and hyphens before `.md` (it must not start with `.` or hold control characters)',
    { line: 1, column: 1 },
    rule,
  );
  return undefined;
}

/**
 * The bytes of a memo source, read only when it is a regular file and never
 * past the size limit; otherwise undefined, with the reason on `file`.
 */
export async function readSource(file: VFile, source: string): Promise<Uint8Array | undefined> {
  const read = await readBounded(source, MAX_SOURCE_BYTES);
  if (read.ok) return read.bytes;
  const start = { line: 1, column: 1 };
  if (read.problem === 'too-large') checkSourceSize(file, read.size ?? MAX_SOURCE_BYTES + 1);
  else if (read.problem === 'not-a-file')
    fail(
      file,
      'this is not a regular file (it is a device, a pipe or a socket): a memo must be a Markdown file saved on disk',
      start,
      'source-not-file',
    );
  else if (read.problem === 'missing')
    fail(file, 'no such file (it was deleted or renamed)', undefined, 'source-missing');
  else
    fail(
      file,
      'the file could not be read: check that you are allowed to open it',
      start,
      'source-not-file',
    );
  return undefined;
}
