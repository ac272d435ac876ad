/**
 * The tracker of a series: one row per recommendation, one column per memo
 * of the series in date order (frontmatter/series.ts), a status per cell or
 * null where the memo did not list it. `memo series` prints it; publishing
 * writes it into archive/series/<series>/ (series-files.ts).
 */
import type { RecommendationStatus } from '../frontmatter/schema.js';
import { orderSeries } from '../frontmatter/series.js';
import type { SeriesMemo } from '../frontmatter/series.js';

export interface TrackerMemo {
  readonly slug: string;
  /** null for a memo read from the sources folder (not published). */
  readonly version: number | null;
  readonly date: string;
  readonly title: string;
}

export interface TrackerRow {
  readonly id: string;
  /** The title the latest memo listing it gives. */
  readonly title: string;
  readonly statuses: ReadonlyArray<RecommendationStatus | null>;
}

/** tracker.json, exactly. */
export interface Tracker {
  readonly series: string;
  readonly memos: readonly TrackerMemo[];
  readonly recommendations: readonly TrackerRow[];
}

/** The series names of `memos`, sorted. */
export function seriesNames(memos: readonly SeriesMemo[]): string[] {
  return [...new Set(memos.map((memo) => memo.series))].sort();
}

/** The tracker of `series` from the memos of a run (other series are ignored). */
export function buildTracker(series: string, all: readonly SeriesMemo[]): Tracker {
  const memos = orderSeries(all.filter((memo) => memo.series === series));
  const rows = new Map<string, { title: string; statuses: Array<RecommendationStatus | null> }>();
  memos.forEach((memo, column) => {
    for (const item of memo.recommendations) {
      let row = rows.get(item.id);
      if (row === undefined) {
        row = { title: item.title, statuses: memos.map(() => null) };
        rows.set(item.id, row);
      }
      row.title = item.title;
      row.statuses[column] = item.status;
    }
  });
  return {
    series,
    memos: memos.map(({ slug, version, date, title }) => ({ slug, version, date, title })),
    recommendations: [...rows].map(([id, row]) => ({ id, ...row })),
  };
}

export function trackerJson(tracker: Tracker): string {
  return `${JSON.stringify(tracker, null, 2)}\n`;
}

/** "harbor-one-year v2", or "harbor-one-year (draft)" for an unpublished memo. */
export function memoLabel(memo: TrackerMemo): string {
  return memo.version === null ? `${memo.slug} (draft)` : `${memo.slug} v${memo.version}`;
}

/**
 * One CSV field (RFC 4180). A field a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab or carriage return first) gets a leading `'`:
 * titles are the writers' text, and a CSV must not compute.
 */
function csvField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** tracker.csv: `id,title`, then one column per memo headed "<date> <slug> v<N>". */
export function trackerCsv(tracker: Tracker): string {
  const header = ['id', 'title', ...tracker.memos.map((memo) => `${memo.date} ${memoLabel(memo)}`)];
  const rows = tracker.recommendations.map((row) => [
    row.id,
    row.title,
    ...row.statuses.map((status) => status ?? ''),
  ]);
  return [header, ...rows].map((cells) => `${cells.map(csvField).join(',')}\r\n`).join('');
}

const TITLE_WIDTH = 40;

/** The matrix as aligned text columns, for a terminal; `-` where a memo did not list it. */
export function trackerText(tracker: Tracker): string {
  const lines = [
    `${tracker.series}: ${tracker.memos.length} ${tracker.memos.length === 1 ? 'memo' : 'memos'}, ` +
      `${tracker.recommendations.length} ${tracker.recommendations.length === 1 ? 'recommendation' : 'recommendations'}`,
    ...tracker.memos.map(
      (memo, index) => `  [${index + 1}] ${memo.date} ${memoLabel(memo)}: ${memo.title}`,
    ),
  ];
  const table = [
    ['id', 'title', ...tracker.memos.map((_, index) => `[${index + 1}]`)],
    ...tracker.recommendations.map((row) => [
      row.id,
      row.title.length > TITLE_WIDTH
        ? `${row.title.slice(0, TITLE_WIDTH - 1).trimEnd()}…`
        : row.title,
      ...row.statuses.map((status) => status ?? '-'),
    ]),
  ];
  const widths = (table[0] ?? []).map((_, column) =>
    Math.max(...table.map((cells) => (cells[column] ?? '').length)),
  );
  lines.push('');
  for (const cells of table)
    lines.push(
      cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  return `${lines.join('\n')}\n`;
}
