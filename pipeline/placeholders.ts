/**
 * Text that must not ship: the sample values `memo new` writes into a new
 * memo (templates/new/*.md reads them from `SAMPLE`, the placeholder rule
 * recognises them from it), and the markers writers leave for later.
 */

/** The skeletons' sample values, by the name the skeletons use (`{{sample.subtitle}}`). */
export const SAMPLE = {
  authors: ['Jane Doe', 'Sam Roe'],
  organization: 'Your Organization',
  program: 'Your Program',
  assessmentSubtitle: 'What has changed since the last review',
  memorandumSubtitle: 'Options for the next budget',
  assessmentSummary:
    'One or two sentences that say what the memo finds and what it asks the reader to do.',
  memorandumSummary: 'One or two sentences that state the problem and the decision requested.',
  assessmentSeries: 'quarterly-reviews',
  memorandumSeries: 'budget-briefings',
  assessmentDistributionNote: 'This memo was shared with officials at the following offices.',
  memorandumDistributionNote:
    'Prepared at the request of the offices below; not for onward circulation.',
  firstStep: 'Fund the first phase this year',
  secondStep: 'Publish the results every quarter',
  preferredOption: 'Adopt Option 2 in the next budget request',
  staffingPlan: 'Publish a staffing plan with the request',
  recommendationSummary: 'What the recommendation asks for, in a sentence or two.',
  findings: 'Write the memo here, in Markdown.',
  progress: 'What has been done, what has not, and why.',
  nextSteps: 'What the reader should do next, in a sentence or two.',
  purpose: 'Why this memo, and the decision it asks for.',
  background: 'The facts the reader needs, with sources in notes.',
  option: 'What it does, what it costs, its risks.',
  why: 'Why, in a sentence or two.',
  note: 'Notes like this one are numbered and listed at the end of the memo.',
} as const;

/** Every sample value, once. */
export const SAMPLE_VALUES: readonly string[] = [...new Set(Object.values(SAMPLE).flat())];

/**
 * Markers for "fill in later", as whole words in capitals (`todo` is Spanish
 * for "all"): TODO, TBD, TBC, TK, TKTK, FIXME, XX, XXX, and "lorem ipsum".
 * "siglo XX" and "XX century" are Roman numerals, not markers.
 */
export const MARKER =
  /(?<![\p{L}\p{N}_])(?:TODO|TBD|TBC|TKTK|TK|FIXME|XXX|XX|[Ll]orem ipsum)(?![\p{L}\p{N}_])/gu;

const NUMERAL_BEFORE = /\b(?:siglo|century|siècle|secolo|século|Jahrhundert)\s+$/i;
const NUMERAL_AFTER = /^(?:th)?\s+(?:century|centuries|Jahrhundert)\b/i;

export interface MarkerHit {
  readonly marker: string;
  /** Offset of the marker in the searched text. */
  readonly index: number;
}

/** What every marker contains: most texts are ruled out without MARKER's Unicode-aware pattern. */
const MARKER_TEXT = /TODO|TB[CD]|TK|FIXME|XX|orem ipsum/;

/** The markers in `text`, leaving out URLs and Roman-numeral centuries. */
export function findMarkers(text: string): MarkerHit[] {
  if (!MARKER_TEXT.test(text)) return [];
  const urls = [...text.matchAll(/\b(?:https?:\/\/|mailto:|www\.)\S+/gi)].map(
    (match) => [match.index, match.index + match[0].length] as const,
  );
  const hits: MarkerHit[] = [];
  for (const match of text.matchAll(MARKER)) {
    const index = match.index;
    if (urls.some(([start, end]) => index >= start && index < end)) continue;
    const marker = match[0];
    if (marker.startsWith('XX')) {
      const before = text.slice(Math.max(0, index - 20), index);
      const after = text.slice(index + marker.length, index + marker.length + 20);
      if (NUMERAL_BEFORE.test(before) || NUMERAL_AFTER.test(after)) continue;
    }
    hits.push({ marker, index });
  }
  return hits;
}

/**
 * Each sample value's words (a text without all of them cannot hold it: a cheap
 * test that rules out almost every text) and its pattern (the whole phrase, any
 * spacing), built once:
 * `findSamples` runs on every text node of every memo, and building and
 * compiling these Unicode-aware patterns cost more than the rest of the
 * placeholder rule (docs/performance.md). `matchAll` copies a pattern, so
 * sharing them keeps no state between calls.
 */
const SAMPLE_PATTERNS: readonly (readonly [
  value: string,
  words: readonly string[],
  pattern: RegExp,
])[] = SAMPLE_VALUES.map((value) => {
  const words = value.split(/\s+/);
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])${words
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+')}(?![\\p{L}\\p{N}])`,
    'gu',
  );
  return [value, words, pattern];
});

/** Where each sample value occurs in `text` (as a whole phrase, any spacing). */
export function findSamples(text: string): { value: string; index: number }[] {
  const hits: { value: string; index: number }[] = [];
  for (const [value, words, pattern] of SAMPLE_PATTERNS) {
    if (!words.every((word) => text.includes(word))) continue;
    for (const match of text.matchAll(pattern)) hits.push({ value, index: match.index });
  }
  return hits.sort((a, b) => a.index - b.index);
}
