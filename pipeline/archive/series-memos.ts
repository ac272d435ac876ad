/**
 * The memos of every series a run can see (frontmatter/series.ts): the latest
 * published version of each memo in the archive, and the memos of the sources
 * folders. A series with any memo in the archive is read from the archive
 * only (what readers saw); a series with none there, from the sources
 * (drafts not yet published). Unreadable or invalid files are skipped: they
 * are reported when they are themselves built or verified.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { parse } from 'yaml';
import { z } from 'zod';
import { STATUSES, isRealDate } from '../frontmatter/schema.js';
import { splitSource } from '../frontmatter/read-source.js';
import type { SeriesMemo } from '../frontmatter/series.js';
import { MAX_SOURCE_BYTES } from '../io/limits.js';
import { readBounded } from '../io/read-bounded.js';
import { findSources, slugOf } from '../io/sources.js';
import { MANIFEST, listVersions, versionFolder } from './layout.js';
import { readLedger } from './ledger.js';
import { readManifest } from './manifest.js';

/** The fields of a source the series needs, read leniently (the YAML's strings). */
const sourceSchema = z.object({
  title: z.string().min(1),
  date: z.string().refine(isRealDate),
  series: z.string().min(1),
  recommendations: z
    .array(z.object({ id: z.string().min(1), title: z.string().min(1), status: z.enum(STATUSES) }))
    .default([]),
});

/** The newest published version of every memo whose manifest names a series. */
export async function archivedSeriesMemos(archive: string): Promise<SeriesMemo[]> {
  const ledger = await readLedger(archive);
  if (!ledger.ok) return [];
  const newest = new Map<string, number>();
  for (const entry of ledger.entries)
    newest.set(entry.slug, Math.max(entry.version, newest.get(entry.slug) ?? 0));
  const memos: SeriesMemo[] = [];
  for (const [slug, listed] of newest) {
    // A version on disk but not yet in the ledger (a publish in flight) is not counted.
    const versions = await listVersions(archive, slug);
    if (!versions.includes(listed)) continue;
    const read = await readManifest(path.join(versionFolder(archive, slug, listed), MANIFEST));
    if (!read.ok) continue;
    const { manifest } = read;
    const series = manifest.memo.series;
    if (series === undefined || series === null) continue;
    memos.push({
      slug,
      version: manifest.version,
      series,
      date: manifest.date,
      title: manifest.title,
      recommendations: manifest.memo.recommendations,
    });
  }
  return memos;
}

async function sourceMemo(file: string): Promise<SeriesMemo | undefined> {
  const read = await readBounded(file, MAX_SOURCE_BYTES);
  if (!read.ok) return undefined;
  const text = Buffer.from(read.bytes).toString('utf8').replace(/\r\n?/g, '\n');
  const parts = splitSource(new VFile({ path: file }), text);
  if (parts === undefined) return undefined;
  let data: unknown;
  try {
    data = parse(parts.yaml, { schema: 'failsafe' });
  } catch {
    return undefined;
  }
  const parsed = sourceSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { title, date, series, recommendations } = parsed.data;
  return { slug: slugOf(file), version: null, series, date, title, recommendations };
}

/** The memos with a `series:` among the `.md` files directly inside `folders`. */
export async function sourceSeriesMemos(folders: readonly string[]): Promise<SeriesMemo[]> {
  const files = new Set<string>();
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = (await readdir(folder, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
        .map((entry) => entry.name);
    } catch {
      continue;
    }
    for (const name of names) files.add(path.join(folder, name));
  }
  const memos: SeriesMemo[] = [];
  for (const file of [...files].sort()) {
    const memo = await sourceMemo(file);
    if (memo !== undefined) memos.push(memo);
  }
  return memos;
}

export interface SeriesSources {
  /** The archive folder (absolute), when the run has one. */
  readonly archive?: string;
  /** The folders of the sources being built (absolute). */
  readonly folders: readonly string[];
}

/** Per series: its archived memos when it has any, else its memos in the sources folders. */
export async function loadSeriesMemos(sources: SeriesSources): Promise<SeriesMemo[]> {
  const archived = sources.archive === undefined ? [] : await archivedSeriesMemos(sources.archive);
  const inArchive = new Set(archived.map((memo) => memo.series));
  const drafts = (await sourceSeriesMemos(sources.folders)).filter(
    (memo) => !inArchive.has(memo.series),
  );
  return [...archived, ...drafts];
}

/**
 * The series memos for a run over `paths`: the archive of the project
 * (`archiveDir`, default `archive`) and the folders of the memos given.
 */
export async function seriesForRun(
  paths: readonly string[],
  cwd: string,
  archiveDir: string | undefined,
): Promise<SeriesMemo[]> {
  const { files } = await findSources(paths, cwd);
  return loadSeriesMemos({
    archive: path.resolve(cwd, archiveDir ?? 'archive'),
    folders: files.map((file) => path.dirname(file)),
  });
}
