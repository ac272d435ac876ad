/**
 * A memo series as data: the memos that share a `series:` (each memo once, as
 * its latest published version or its source), in date order, and what the
 * memo being compiled inherits from the ones before it. The build layer
 * gathers the memos (archive/series-memos.ts); compile only reads them.
 *
 * The rules (docs/series.md):
 * - memos are ordered by `date`, then by slug;
 * - a memo's earlier memos are those of its series with a strictly earlier
 *   date, other than itself (same slug): two memos of one date are not each
 *   other's predecessor; republishing an older memo compares it with the
 *   memos dated before it, never with later ones;
 * - the previous memo is the last of them; a recommendation it listed that the
 *   new memo drops is a warning, unless it was withdrawn there;
 * - a recommendation's history names the nearest earlier memo that listed it,
 *   so one re-added after being dropped or withdrawn says where it was last.
 */
import type { VFile } from 'vfile';
import { warn } from '../messages.js';
import type { Point } from 'unist';
import type { RecommendationStatus } from './schema.js';

export interface SeriesRecommendation {
  readonly id: string;
  readonly title: string;
  readonly status: RecommendationStatus;
}

export interface SeriesMemo {
  readonly slug: string;
  /** The published version, or null for a memo read from the sources folder. */
  readonly version: number | null;
  readonly series: string;
  readonly date: string;
  readonly title: string;
  readonly recommendations: readonly SeriesRecommendation[];
}

/** What a memo needs to find its place in its series. */
export interface SeriesPlace {
  readonly slug: string;
  readonly series: string;
  readonly date: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Date order, then slug: the tracker's columns. */
export function orderSeries(memos: readonly SeriesMemo[]): SeriesMemo[] {
  return [...memos].sort((a, b) => compare(a.date, b.date) || compare(a.slug, b.slug));
}

/** The memos of `place.series` dated strictly before it, other than itself, oldest first. */
export function earlierMemos(memos: readonly SeriesMemo[], place: SeriesPlace): SeriesMemo[] {
  return orderSeries(
    memos.filter(
      (memo) => memo.series === place.series && memo.slug !== place.slug && memo.date < place.date,
    ),
  );
}

/** Where a recommendation was last: the nearest earlier memo that listed it. */
export interface RecommendationOrigin {
  readonly memo: SeriesMemo;
  readonly recommendation: SeriesRecommendation;
}

export function originOf(
  earlier: readonly SeriesMemo[],
  id: string,
): RecommendationOrigin | undefined {
  for (let index = earlier.length - 1; index >= 0; index -= 1) {
    const memo = earlier[index];
    const recommendation = memo?.recommendations.find((item) => item.id === id);
    if (memo !== undefined && recommendation !== undefined) return { memo, recommendation };
  }
  return undefined;
}

/**
 * Warn about what the memo's recommendations lost since the previous memo of
 * its series: an id dropped (`series-dropped`) or retitled (`series-retitled`).
 */
export function checkCarryOver(
  file: VFile,
  current: readonly SeriesRecommendation[],
  previous: SeriesMemo | undefined,
): void {
  if (previous === undefined) return;
  const places = file.data.frontMatterPlaces ?? {};
  const listPlace: Point | undefined = places['recommendations'] ?? places['series'];
  const byId = new Map(current.map((item, index) => [item.id, index]));
  for (const before of previous.recommendations) {
    const index = byId.get(before.id);
    if (index === undefined) {
      if (before.status === 'withdrawn') continue;
      warn(
        file,
        `recommendation \`${before.id}\` (“${before.title}”) was in the ${previous.date} memo of the series, “${previous.title}”; ` +
          'keep it, or list it with `status: withdrawn` and a `status_note` giving the reason',
        listPlace,
        'series-dropped',
      );
      continue;
    }
    const now = current[index];
    if (now !== undefined && now.title !== before.title) {
      warn(
        file,
        `recommendation \`${before.id}\` is titled “${now.title}” here but “${before.title}” in the ${previous.date} memo of the series; ` +
          'keep the title, or give the changed recommendation a new id',
        places[`recommendations.${index}.title`] ?? listPlace,
        'series-retitled',
      );
    }
  }
}
