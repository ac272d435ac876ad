/**
 * The front matter schema. It is the single source of truth: the TypeScript
 * types are derived from it, and every issue it reports is turned into a
 * message at the YAML key (see validate.ts).
 *
 * The YAML is parsed with the failsafe schema, so every scalar arrives as a
 * string: `date: 2021-04-30` stays "2021-04-30", `version: 1.10` stays "1.10".
 */
import { z } from 'zod';
import { CSL_STYLES } from '../citations/style-names.js';
import { SLUG_PATTERN } from '../util/slug.js';
import { firstUnsafeChar } from '../util/unsafe-text.js';

export const TEMPLATES = ['assessment', 'memorandum'] as const;
export const PAPERS = ['letter', 'a4'] as const;
/** Where the PDF prints the notes; the HTML always keeps linked endnotes. */
export const NOTE_STYLES = ['footnotes', 'endnotes'] as const;
/** Contents block: `auto` prints one when the memo runs longer than 10 pages (docs/print.md). */
export const CONTENTS_MODES = ['auto', 'true', 'false'] as const;
/** Heading levels the contents list: 1 = the body's top-level headings only. */
export const CONTENTS_DEPTHS = ['1', '2', '3', '4'] as const;
/** Which comes first after the body when the notes are endnotes (docs/print.md). */
export const END_MATTER_ORDERS = ['appendix-first', 'notes-first'] as const;
export const STATUSES = ['not-started', 'in-progress', 'stalled', 'achieved', 'withdrawn'] as const;

export type RecommendationStatus = (typeof STATUSES)[number];
export type NoteStyle = (typeof NOTE_STYLES)[number];
export type ContentsMode = (typeof CONTENTS_MODES)[number];
export type EndMatterOrder = (typeof END_MATTER_ORDERS)[number];
export type TemplateName = (typeof TEMPLATES)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is YYYY-MM-DD and names a day that exists (no 2021-02-30). */
export function isRealDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Characters of a one-line field (title, name, organization): two lines of a title page. */
export const MAX_LINE_LENGTH = 300;
/** Characters of a paragraph field (summary, note): about a page. */
export const MAX_PARAGRAPH_LENGTH = 5000;
/** Items of a list (authors, distribution, recommendations). */
export const MAX_LIST_ITEMS = 500;

/** Text up to `max` characters, with no control or bidi characters (util/unsafe-text.ts). */
const textOf = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max, { error: 'too-long' })
    .refine((value) => firstUnsafeChar(value) === undefined, { error: 'control' });
const text = textOf(MAX_LINE_LENGTH);
const paragraph = textOf(MAX_PARAGRAPH_LENGTH);
const list = <T extends z.ZodType>(item: T) =>
  z.array(item).max(MAX_LIST_ITEMS, { error: 'too-many' });
const slug = z.string().regex(SLUG_PATTERN, { error: 'slug' });

export const recommendationSchema = z.strictObject({
  id: slug,
  title: text,
  status: z.enum(STATUSES),
  /** One sentence on the status, printed with it in the appendix. */
  status_note: text.optional(),
  summary: paragraph.optional(),
});

export const frontMatterSchema = z
  .strictObject({
    title: text,
    subtitle: text.optional(),
    author: text.optional(),
    authors: list(text).min(1).optional(),
    organization: text,
    program: text.optional(),
    date: z.string().refine(isRealDate, { error: 'date' }),
    summary: paragraph.optional(),
    series: slug.optional(),
    lang: z
      .string()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, { error: 'lang' })
      .default('en'),
    paper: z.enum(PAPERS).default('letter'),
    notes: z.enum(NOTE_STYLES).default('footnotes'),
    toc: z.enum(CONTENTS_MODES).default('auto'),
    toc_depth: z.enum(CONTENTS_DEPTHS).default('2'),
    end_matter: z.enum(END_MATTER_ORDERS).default('appendix-first'),
    // Typed as any string: a project's own templates folder may add names (createFrontMatterSchema).
    template: z.enum<readonly string[]>(TEMPLATES).default('assessment'),
    classification: text.optional(),
    distribution: list(text).default([]),
    distribution_note: paragraph.optional(),
    recommendations: list(recommendationSchema).default([]),
    recommendations_title: text.default('Recommendations'),
    /** BibTeX (`.bib`) or CSL-JSON (`.json`) file, relative to the memo (citations/). */
    bibliography: text.optional(),
    csl: z.enum(CSL_STYLES).default('chicago-notes-bibliography'),
    bibliography_section: z.enum(['true', 'false']).default('true'),
    bibliography_title: text.default('Sources'),
  })
  // `when: () => true`: run these checks even when other fields have issues,
  // so a writer sees every problem of the front matter at once.
  .superRefine(
    (value, context) => {
      const data: Record<string, unknown> = value;
      if (data['author'] === undefined && data['authors'] === undefined) {
        context.addIssue({ code: 'custom', path: [], message: 'author-missing' });
      }
      if (data['author'] !== undefined && data['authors'] !== undefined) {
        context.addIssue({ code: 'custom', path: ['authors'], message: 'author-both' });
      }
      const recommendations: unknown = data['recommendations'];
      if (!Array.isArray(recommendations)) return;
      const seen = new Set<unknown>();
      recommendations.forEach((item: unknown, index) => {
        const id: unknown =
          item !== null && typeof item === 'object' ? Reflect.get(item, 'id') : undefined;
        if (typeof id !== 'string') return;
        if (seen.has(id)) {
          context.addIssue({
            code: 'custom',
            path: ['recommendations', index, 'id'],
            message: 'duplicate-id',
          });
        }
        seen.add(id);
      });
    },
    { when: () => true },
  );

export type FrontMatterSchema = typeof frontMatterSchema;

/**
 * The schema for a project whose templates are `templates` (the built-in ones
 * plus those of its own templates folder, see render/html.ts): `template:
 * briefing` is valid exactly when a `briefing.hbs` exists, and the error lists
 * the names that do.
 */
export function createFrontMatterSchema(templates: readonly string[]): FrontMatterSchema {
  return frontMatterSchema.safeExtend({ template: z.enum(templates).default('assessment') });
}

export type FrontMatter = z.output<typeof frontMatterSchema>;
export type Recommendation = z.output<typeof recommendationSchema>;

/** Field names, for "did you mean" suggestions. */
export const FRONT_MATTER_KEYS: readonly string[] = Object.keys(frontMatterSchema.shape);
export const RECOMMENDATION_KEYS: readonly string[] = Object.keys(recommendationSchema.shape);
