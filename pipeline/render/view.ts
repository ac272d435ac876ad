/**
 * The data every memo template receives (see docs/templates.md).
 * Built from the validated front matter and the rendered body by `createView`
 * (pipeline/render/create-view.ts); templates only ever read it.
 *
 * Templates compile in Handlebars strict mode, which throws on a missing
 * field: so every field is always present, and an absent optional value is
 * `null` rather than a missing key.
 */
import type { ContentsMode, NoteStyle, RecommendationStatus } from '../frontmatter/schema.js';

export interface RecommendationView {
  /** 1-based position in the front matter list: "Recommendation 2". */
  readonly number: number;
  readonly id: string;
  /** Fragment id of the appendix entry: `rec-<id>`. */
  readonly anchor: string;
  readonly title: string;
  readonly status: RecommendationStatus;
  /** Human label of the status, e.g. "In progress". */
  readonly statusLabel: string;
  /** The writer's one sentence on the status (`status_note`). */
  readonly statusNote: string | null;
  /**
   * Where the status came from, when an earlier memo of the series listed the
   * recommendation: "was Not started in First 100 Days (April 30, 2021)".
   */
  readonly statusHistory: string | null;
  readonly summary: string | null;
}

export interface MemoView {
  readonly lang: string;
  readonly title: string;
  readonly subtitle: string | null;
  /** Title used in the running header of the PDF (at most ~60 characters). */
  readonly shortTitle: string;
  readonly authors: readonly string[];
  /** "Ana Ruiz and Tom Lee", "A, B, and C". */
  readonly byline: string;
  readonly organization: string;
  readonly program: string | null;
  /** ISO date, YYYY-MM-DD. */
  readonly date: string;
  /** "April 30, 2021" (en-US long form). */
  readonly dateDisplay: string;
  readonly summary: string | null;
  readonly series: string | null;
  readonly classification: string | null;
  /** `assessment`, `memorandum`, or the name of a template of the project's own (`briefing.hbs`). */
  readonly template: string;
  readonly paper: 'letter' | 'a4';
  /** Where the PDF prints the notes: at the foot of their pages, or after the body. The HTML always has endnotes. */
  readonly notes: NoteStyle;
  /** `toc`: `auto` prints the contents when the memo runs longer than 10 pages (docs/print.md). */
  readonly contents: ContentsMode;
  /** The contents block (links to the headings; page numbers filled in the PDF), or ''. Inserted raw. */
  readonly contentsHtml: string;
  /** With endnotes: the Notes before the distribution list and appendix (`end_matter: notes-first`). */
  readonly notesFirst: boolean;
  readonly distribution: readonly string[];
  readonly distributionNote: string | null;
  readonly recommendations: readonly RecommendationView[];
  readonly recommendationsTitle: string;
  /** Sanitized body HTML (footnote section removed, see `notesHtml`). Inserted raw. */
  readonly bodyHtml: string;
  /** The numbered "Notes" section (GFM footnotes), or '' when there are none. Inserted raw. */
  readonly notesHtml: string;
  readonly keywords: readonly string[];
  /** "memo-press 0.1.0". */
  readonly generator: string;
}
