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
import { createLimiter } from '../limit.js';
import { fail } from '../messages.js';
import { readLedger } from './ledger.js';
import { recordedSeriesMemos } from './series-files.js';
import { buildTracker, seriesNames } from './tracker.js';
import type { Tracker } from './tracker.js';

/** The fields of a source the series needs, read leniently (the YAML's strings). */
const sourceSchema = z.object({
  title: z.string().min(1),
  date: z.string().refine(isRealDate),
  series: z.string().min(1),
  recommendations: z
    .array(z.object({ id: z.string().min(1), title: z.string().min(1), status: z.enum(STATUSES) }))
    .default([]),
});

/** The latest recorded version of every memo of the archive whose manifest names a series. */
export async function archivedSeriesMemos(archive: string): Promise<SeriesMemo[]> {
  const ledger = await readLedger(archive);
  if (!ledger.ok) return [];
  return (await recordedSeriesMemos(archive, ledger.entries)).memos;
}

/** A source's front matter as data, read as the build reads it (frontmatter/validate.ts): text only, silent. */
export function frontMatterData(slug: string, bytes: Uint8Array): { data: unknown } | undefined {
  const text = Buffer.from(bytes).toString('utf8').replace(/\r\n?/g, '\n');
  const parts = splitSource(new VFile({ path: `${slug}.md` }), text);
  if (parts === undefined) return undefined;
  try {
    return {
      data: parse(parts.yaml, { schema: 'failsafe', resolveKnownTags: false, logLevel: 'error' }),
    };
  } catch {
    return undefined;
  }
}

/** The series fields of a source's front matter, read leniently; undefined when it has none. */
export function seriesMemoOf(slug: string, bytes: Uint8Array): SeriesMemo | undefined {
  return readSeries(slug, bytes).memo;
}

/**
 * What a source says of its series, from one reading of its front matter: the
 * `series:` it names (`name`: null when none, undefined when the front matter
 * cannot be read: its build fails, or it is read again there), and its series
 * fields, read leniently (`memo`: undefined when it has none).
 */
export function readSeries(
  slug: string,
  bytes: Uint8Array,
): { readonly name: string | null | undefined; readonly memo: SeriesMemo | undefined } {
  const read = frontMatterData(slug, bytes);
  if (read === undefined) return { name: undefined, memo: undefined };
  const { data } = read;
  if (typeof data !== 'object' || data === null || !Object.hasOwn(data, 'series'))
    return { name: null, memo: undefined };
  const series: unknown = Reflect.get(data, 'series');
  const name = typeof series === 'string' && series !== '' ? series : null;
  const parsed = sourceSchema.safeParse(data);
  if (!parsed.success) return { name, memo: undefined };
  const { title, date, recommendations } = parsed.data;
  return {
    name,
    memo: { slug, version: null, series: parsed.data.series, date, title, recommendations },
  };
}

/**
 * Whether a source may belong to one of `names`: a series name is a slug, so
 * its YAML holds the name as written unless it spells it with an escape.
 */
function mayName(bytes: Uint8Array, names: ReadonlySet<string> | undefined): boolean {
  if (names === undefined) return true;
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('\\') || [...names].some((name) => text.includes(name));
}

async function sourceMemo(
  file: string,
  names: ReadonlySet<string> | undefined,
  known: ReadonlyMap<string, SeriesMemo | undefined>,
): Promise<SeriesMemo | undefined> {
  if (known.has(file)) {
    const memo = known.get(file);
    return memo === undefined || names === undefined || names.has(memo.series) ? memo : undefined;
  }
  const read = await readBounded(file, MAX_SOURCE_BYTES);
  if (!read.ok || !mayName(read.bytes, names)) return undefined;
  const memo = seriesMemoOf(slugOf(file), read.bytes);
  return memo === undefined || names === undefined || names.has(memo.series) ? memo : undefined;
}

/**
 * The memos with a `series:` among the `.md` files directly inside `folders`;
 * with `names`, only those of these series (the others are not even parsed);
 * `known`: files already read, by absolute path (`readSeries`), not read again.
 */
export async function sourceSeriesMemos(
  folders: readonly string[],
  names?: ReadonlySet<string>,
  known: ReadonlyMap<string, SeriesMemo | undefined> = new Map(),
): Promise<SeriesMemo[]> {
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
  const limit = createLimiter(8); // a few reads at once, never a file handle per memo
  const memos = await Promise.all(
    [...files].sort().map((file) => limit(() => sourceMemo(file, names, known))),
  );
  return memos.filter((memo) => memo !== undefined);
}

export interface SeriesSources {
  /** The archive folder (absolute), when the run has one. */
  readonly archive?: string;
  /** The folders of the sources being built (absolute). */
  readonly folders: readonly string[];
  /** Only these series (the ones the memos being built name); default every series. */
  readonly names?: ReadonlySet<string>;
  /** Sources already read (the memos being built), by absolute path: see `sourceSeriesMemos`. */
  readonly known?: ReadonlyMap<string, SeriesMemo | undefined>;
}

/** Per series: its archived memos when it has any, else its memos in the sources folders. */
export async function loadSeriesMemos(sources: SeriesSources): Promise<SeriesMemo[]> {
  if (sources.names?.size === 0) return [];
  const archived = sources.archive === undefined ? [] : await archivedSeriesMemos(sources.archive);
  const inArchive = new Set(archived.map((memo) => memo.series));
  const drafts = (await sourceSeriesMemos(sources.folders, sources.names, sources.known)).filter(
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

export interface SeriesReportOptions {
  readonly cwd: string;
  /** The archive folder (relative to cwd or absolute). */
  readonly archiveDir: string;
  /** The sources folder, read for a series with no published memo (default `sources`). */
  readonly sourcesDir?: string;
  /** One series; default: every series found. */
  readonly series?: string;
}

export type SeriesReport =
  | { readonly ok: true; readonly trackers: readonly Tracker[] }
  | { readonly ok: false; readonly file: VFile };

/** `memo series`: the trackers of the archive's series (else of the sources folder's). */
export async function seriesReport(options: SeriesReportOptions): Promise<SeriesReport> {
  const archive = path.resolve(options.cwd, options.archiveDir);
  const sources = path.resolve(options.cwd, options.sourcesDir ?? 'sources');
  const memos = await loadSeriesMemos({ archive, folders: [sources] });
  const names = seriesNames(memos);
  const wanted = options.series === undefined ? names : [options.series];
  if (options.series !== undefined && !names.includes(options.series)) {
    const file = new VFile({ path: path.relative(options.cwd, archive) || '.', cwd: options.cwd });
    const known =
      names.length === 0
        ? 'no memo there or in the sources folder has a `series:`'
        : `the series there are: ${names.join(', ')}`;
    fail(
      file,
      `no published memo (nor memo of ${path.relative(options.cwd, sources) || '.'}) has \`series: ${options.series}\`; ${known}`,
      undefined,
      'series-unknown',
    );
    return { ok: false, file };
  }
  return { ok: true, trackers: wanted.map((series) => buildTracker(series, memos)) };
}
