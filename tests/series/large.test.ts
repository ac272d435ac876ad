/**
 * A long series, 40 memos × 30 recommendations: the tracker has every cell,
 * the page every row and column, one bar per memo, and stays a page a reader
 * can use (a scrolling table with the recommendation column kept in view).
 */
import { describe, expect, it } from 'vitest';
import { STATUSES } from '../../pipeline/frontmatter/schema.js';
import type { SeriesMemo } from '../../pipeline/frontmatter/series.js';
import { renderSeriesPage } from '../../pipeline/archive/series-files.js';
import { loadArchiveTemplates } from '../../pipeline/archive/templates.js';
import { buildTracker, trackerCsv } from '../../pipeline/archive/tracker.js';

/** Memo m lists recommendations 0…29, each moving one status along every few memos; some drop out. */
function longSeries(): SeriesMemo[] {
  return Array.from({ length: 40 }, (_, m) => ({
    slug: `quarter-${String(m + 1).padStart(2, '0')}`,
    version: 1 + (m % 3),
    series: 'long-run',
    date: `${2000 + Math.floor(m / 4)}-${String((m % 4) * 3 + 1).padStart(2, '0')}-15`,
    title: `Quarterly review ${m + 1}`,
    recommendations: Array.from({ length: 30 }, (_, r) => ({
      id: `rec-${r + 1}`,
      title: `Recommendation number ${r + 1} of the long-run series`,
      status: STATUSES[Math.floor((m + r) / 9) % STATUSES.length] ?? 'not-started',
    })).filter((_, r) => (m + r) % 11 !== 0),
  }));
}

describe('40 memos × 30 recommendations', () => {
  it('every cell is in the tracker, the CSV and the page', async () => {
    const memos = longSeries();
    const tracker = buildTracker('long-run', memos);
    expect(tracker.memos).toHaveLength(40);
    expect(tracker.recommendations).toHaveLength(30);
    const missing = tracker.recommendations
      .flatMap((row) => row.statuses)
      .filter((s) => s === null);
    expect(missing.length).toBe(
      memos.reduce((sum, memo) => sum + 30 - memo.recommendations.length, 0),
    );
    expect(trackerCsv(tracker).split('\r\n')).toHaveLength(32); // header, 30 rows, final newline
    const page = renderSeriesPage(
      tracker,
      new Map(memos.map((memo) => [memo.slug, [1, 2, 3].slice(0, memo.version ?? 1)])),
      await loadArchiveTemplates(),
      'memo-press test',
    );
    const start = page.indexOf('<table class="series-matrix">');
    const matrix = page.slice(start, page.indexOf('</table>', start));
    expect(matrix.match(/<tr><th scope="row">/g)).toHaveLength(30);
    expect(matrix.match(/<td/g)).toHaveLength(30 * 40);
    expect(page.match(/<g class="bar">/g)).toHaveLength(40);
    expect(page).toContain('Memo 40 (2009-10-15):');
    expect(page).toContain('href="../../quarter-40/v1/memo.html"');
    expect(page).toContain(
      'earlier versions: <a href="../../quarter-03/v2/memo.html">v2</a>, <a href="../../quarter-03/v1/memo.html">v1</a>',
    );
  });
});
