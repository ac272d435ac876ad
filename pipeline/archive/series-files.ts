/**
 * archive/series/<series>/: index.html (the matrix, a chart and links to
 * every version), tracker.json and tracker.csv, for every series of the
 * archive. Derived from versions.json and the manifests alone (the latest
 * recorded version of each memo; tracker.ts), no clock: publishing rewrites
 * them under the index lock, and `memo verify` rebuilds and compares them.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { STATUSES } from '../frontmatter/schema.js';
import type { RecommendationStatus } from '../frontmatter/schema.js';
import type { SeriesMemo } from '../frontmatter/series.js';
import { writeFilesAtomic } from '../io/atomic.js';
import { isSlug } from '../util/slug.js';
import { STATUS_LABELS, displayDate } from '../render/create-view.js';
import { fontCssFor } from '../render/fonts.js';
import type { LoadedFonts } from '../render/fonts.js';
import { MANIFEST, SERIES_DIR, versionFolder, versionName } from './layout.js';
import { entriesFor } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { readManifest } from './manifest.js';
import type { ArchiveTemplates } from './templates.js';
import { archiveFace } from './page-kit.js';
import type { ArchivePageKit } from './page-kit.js';
import { buildTracker, seriesNames, trackerCsv, trackerJson } from './tracker.js';
import type { Tracker } from './tracker.js';

/** Temporary files of a series write that was killed (see io/atomic.ts). */
const STRAY_TEMP = /^\.(?:index\.html|tracker\.json|tracker\.csv)\.[0-9a-f]{12}\.tmp$/;

export function isStraySeriesTemp(name: string): boolean {
  return STRAY_TEMP.test(name);
}

/** The newest recorded version of every memo whose manifest names a series, and each memo's versions. */
export async function recordedSeriesMemos(
  archive: string,
  recorded: readonly LedgerEntry[],
): Promise<{ memos: SeriesMemo[]; versions: Map<string, number[]> }> {
  const memos: SeriesMemo[] = [];
  const versions = new Map<string, number[]>();
  for (const slug of [...new Set(recorded.map((entry) => entry.slug))].sort()) {
    const numbers = [...entriesFor(recorded, slug).keys()].sort((a, b) => a - b);
    versions.set(slug, numbers);
    const newest = numbers.at(-1);
    if (newest === undefined) continue;
    const read = await readManifest(path.join(versionFolder(archive, slug, newest), MANIFEST));
    if (!read.ok) continue;
    const { manifest } = read;
    const series = manifest.memo.series;
    // The manifest's schema allows slugs only; checked again, as it becomes a folder name.
    if (series === undefined || series === null || !isSlug(series)) continue;
    memos.push({
      slug,
      version: newest,
      series,
      date: manifest.date,
      title: manifest.title,
      recommendations: manifest.memo.recommendations,
    });
  }
  return { memos, versions };
}

/** From the series page to a version's file: `../../<slug>/v<N>/<file>`. */
function href(slug: string, version: number, file: string): string {
  return ['..', '..', ...[slug, versionName(version), file].map(encodeURIComponent)].join('/');
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Stacked bars, one per memo, of how many recommendations were in each status. */
function chartOf(tracker: Tracker) {
  const counts = tracker.memos.map((_, column) =>
    STATUSES.map(
      (status) => tracker.recommendations.filter((row) => row.statuses[column] === status).length,
    ),
  );
  const most = Math.max(1, ...counts.map((column) => column.reduce((a, b) => a + b, 0)));
  const step = Math.max(1, Math.ceil(most / 5));
  const top = Math.ceil(most / step) * step;
  const left = 36;
  const plotTop = 10;
  const plotHeight = 180;
  const many = tracker.memos.length;
  const bar = many > 20 ? 14 : many > 8 ? 28 : 44;
  const gap = many > 20 ? 6 : many > 8 ? 14 : 24;
  const width = left + tracker.memos.length * (bar + gap) + gap;
  const scale = plotHeight / top;
  const bottom = plotTop + plotHeight;
  const ticks = [];
  for (let value = 0; value <= top; value += step)
    ticks.push({
      value,
      y: round(bottom - value * scale),
      labelY: round(bottom - value * scale + 4),
    });
  const bars = counts.map((column, index) => {
    const x = left + gap + index * (bar + gap);
    let base = bottom;
    const segments = [];
    for (const [position, count] of column.entries()) {
      const status = STATUSES[position];
      if (status === undefined || count === 0) continue;
      const height = count * scale;
      base -= height;
      segments.push({
        status,
        x,
        y: round(base),
        width: bar,
        height: round(height),
        title: `[${index + 1}] ${STATUS_LABELS[status]}: ${count}`,
      });
    }
    return { number: index + 1, segments, labelX: round(x + bar / 2), labelY: bottom + 16 };
  });
  const description = tracker.memos
    .map((memo, index) => {
      const parts = STATUSES.flatMap((status, position) => {
        const count = counts[index]?.[position] ?? 0;
        return count === 0 ? [] : [`${count} ${STATUS_LABELS[status].toLowerCase()}`];
      });
      return `Memo ${index + 1} (${memo.date}): ${parts.length === 0 ? 'no recommendations' : parts.join(', ')}.`;
    })
    .join(' ');
  return {
    chart: {
      width: Math.max(width, 200),
      height: bottom + 24,
      left,
      right: Math.max(width, 200) - 4,
      tickX: left - 6,
      ticks,
      bars,
      description,
    },
    counts: STATUSES.map((status, position) => ({
      label: STATUS_LABELS[status],
      values: counts.map((column) => column[position] ?? 0),
    })),
  };
}

/** "Apr 2021" for a column heading. */
function shortDate(iso: string): string {
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));
}

export function renderSeriesPage(
  tracker: Tracker,
  versions: ReadonlyMap<string, readonly number[]>,
  templates: ArchiveTemplates,
  generator: string,
  fonts?: LoadedFonts,
): string {
  const memos = tracker.memos.map((memo, index) => {
    const version = memo.version ?? 0;
    return {
      number: index + 1,
      title: memo.title,
      date: memo.date,
      dateDisplay: displayDate(memo.date, 'en'),
      shortDate: shortDate(memo.date),
      version,
      htmlHref: href(memo.slug, version, 'memo.html'),
      pdfHref: href(memo.slug, version, 'memo.pdf'),
      older: (versions.get(memo.slug) ?? [])
        .filter((number) => number !== version)
        .reverse()
        .map((number) => ({ version: number, htmlHref: href(memo.slug, number, 'memo.html') })),
    };
  });
  const rows = tracker.recommendations.map((row) => ({
    id: row.id,
    title: row.title,
    cells: row.statuses.map((status: RecommendationStatus | null) =>
      status === null ? { status: null, label: null } : { status, label: STATUS_LABELS[status] },
    ),
  }));
  const data = {
    generator,
    series: tracker.series,
    memoCount: memos.length,
    oneMemo: memos.length === 1,
    rowCount: rows.length,
    oneRow: rows.length === 1,
    memos,
    rows,
    legend: STATUSES.map((status) => ({ status, label: STATUS_LABELS[status] })),
    ...chartOf(tracker),
  };
  const css = `${templates.css.index}\n${templates.css.series}`;
  if (fonts === undefined) return templates.render('series', data, css);
  // The memo's faces the page's text needs, inlined as on the index.
  const probe = templates.render('series', data, css);
  return templates.render('series', data, `${fontCssFor(fonts, probe, archiveFace)}\n${css}`);
}

/** Every series folder's files, by series name: what publishing writes and verify expects. */
export async function renderSeriesFiles(
  archive: string,
  kit: ArchivePageKit,
  recorded: readonly LedgerEntry[],
): Promise<Map<string, Array<[string, string]>>> {
  const { templates, generator } = kit;
  const { memos, versions } = await recordedSeriesMemos(archive, recorded);
  const files = new Map<string, Array<[string, string]>>();
  for (const series of seriesNames(memos)) {
    const tracker = buildTracker(series, memos);
    files.set(series, [
      ['index.html', renderSeriesPage(tracker, versions, templates, generator, kit.fonts)],
      ['tracker.json', trackerJson(tracker)],
      ['tracker.csv', trackerCsv(tracker)],
    ]);
  }
  return files;
}

/** Write every series folder, and remove those of series that no longer have a memo. */
export async function writeSeriesFiles(
  archive: string,
  files: ReadonlyMap<string, ReadonlyArray<readonly [string, string]>>,
): Promise<void> {
  const root = path.join(archive, SERIES_DIR);
  for (const [series, contents] of files) {
    const folder = path.join(root, series);
    for (const name of await readdir(folder).catch(() => [])) {
      if (isStraySeriesTemp(name)) await rm(path.join(folder, name), { force: true });
    }
    await writeFilesAtomic(folder, contents);
  }
  let existing: string[];
  try {
    existing = await readdir(root);
  } catch {
    return;
  }
  for (const name of existing) {
    if (!files.has(name)) await rm(path.join(root, name), { recursive: true, force: true });
  }
  if (files.size === 0) await rm(root, { recursive: true, force: true });
}
