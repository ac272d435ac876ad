/**
 * Build the data templates receive (`MemoView`) from the validated front
 * matter and the rendered body.
 */
import type { FrontMatter, RecommendationStatus } from '../frontmatter/schema.js';
import { originOf } from '../frontmatter/series.js';
import type { SeriesMemo } from '../frontmatter/series.js';
import { createSmartText } from '../unified/smart-text.js';
import type { MemoView, RecommendationView } from './view.js';

export const STATUS_LABELS: Record<RecommendationStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  stalled: 'Stalled',
  achieved: 'Achieved',
  withdrawn: 'Withdrawn',
};

const SHORT_TITLE_LENGTH = 60;

/** "A", "A and B", "A, B, and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')}, and ${names.at(-1) ?? ''}`;
}

/** The title cut at a word boundary for the running header. */
export function shortTitle(title: string): string {
  if (title.length <= SHORT_TITLE_LENGTH) return title;
  const cut = title.slice(0, SHORT_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

const ENGLISH_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "April 30, 2021" from "2021-04-30", in UTC so the day never shifts. */
export function displayDate(iso: string, lang: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  // Intl's first use loads ICU's locale data, 10–30 ms of a cold build (docs/performance.md);
  // US English, the default, is written as Intl writes it without it.
  if ((lang === 'en' || lang === 'en-US') && date.getUTCFullYear() > 0)
    return `${ENGLISH_MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  let locale: string;
  try {
    locale = Intl.DateTimeFormat.supportedLocalesOf([lang])[0] ?? 'en-US';
  } catch {
    locale = 'en-US';
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export interface ViewInput {
  readonly frontMatter: FrontMatter;
  readonly bodyHtml: string;
  readonly notesHtml: string;
  /** The contents block, or '' (rehype-memo-contents.ts). */
  readonly contentsHtml?: string;
  readonly generator: string;
  /** The earlier memos of the memo's series, oldest first (frontmatter/series.ts). */
  readonly earlier?: readonly SeriesMemo[];
}

/** "was Not started in First 100 Days (April 30, 2021)", or "unchanged since …". */
function statusHistory(
  earlier: readonly SeriesMemo[],
  id: string,
  status: RecommendationStatus,
  lang: string,
): string | null {
  const origin = originOf(earlier, id);
  if (origin === undefined) return null;
  const where = `${origin.memo.title} (${displayDate(origin.memo.date, lang)})`;
  return origin.recommendation.status === status
    ? `unchanged since ${where}`
    : `was ${STATUS_LABELS[origin.recommendation.status]} in ${where}`;
}

export function createView({
  frontMatter: fm,
  bodyHtml,
  notesHtml,
  contentsHtml = '',
  generator,
  earlier = [],
}: ViewInput): MemoView {
  const smart = createSmartText();
  const authors = fm.authors ?? (fm.author === undefined ? [] : [fm.author]);
  const recommendations: RecommendationView[] = fm.recommendations.map((item, index) => ({
    number: index + 1,
    id: item.id,
    anchor: `rec-${item.id}`,
    title: smart(item.title),
    status: item.status,
    statusLabel: STATUS_LABELS[item.status],
    statusNote: item.status_note === undefined ? null : smart(item.status_note),
    statusHistory: statusHistory(earlier, item.id, item.status, fm.lang),
    summary: item.summary === undefined ? null : smart(item.summary),
  }));
  const keywords = [fm.organization, fm.program, fm.series, fm.template].filter(
    (value): value is string => value !== undefined,
  );
  return {
    lang: fm.lang,
    title: fm.title,
    subtitle: fm.subtitle === undefined ? null : smart(fm.subtitle),
    shortTitle: shortTitle(fm.title),
    authors,
    byline: joinNames(authors),
    organization: fm.organization,
    program: fm.program ?? null,
    date: fm.date,
    dateDisplay: displayDate(fm.date, fm.lang),
    summary: fm.summary ?? null,
    series: fm.series ?? null,
    classification: fm.classification ?? null,
    template: fm.template,
    paper: fm.paper,
    notes: fm.notes,
    contents: fm.toc,
    contentsHtml,
    notesFirst: fm.end_matter === 'notes-first',
    distribution: fm.distribution,
    distributionNote: fm.distribution_note === undefined ? null : smart(fm.distribution_note),
    recommendations,
    recommendationsTitle: fm.recommendations_title,
    bodyHtml,
    notesHtml,
    keywords,
    generator,
  };
}
