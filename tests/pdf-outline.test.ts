/**
 * The PDF's bookmarks carry their headings' text exactly, as a reader sees
 * it (pipeline/render/pdf-outline.ts). Chromium titles them with the text it
 * painted: a heading that wraps loses the space at the line end
 * ("low-watercontingency"), and one pushed to the next page by the break
 * rules gets pieces twice ("Traffic and capacityTraffic and capacity"). Both
 * samples show both faults when printed by Chromium alone.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { PDFRef } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { amendPdf } from '../pipeline/render/pdf-amend.js';
import { rewritePdf } from '../pipeline/render/pdf-metadata.js';
import { isPaintedAs } from '../pipeline/render/pdf-outline.js';
import type { PdfMeta } from '../pipeline/render/pdf.js';
import { runCli } from './helpers/cli.js';
import type { CliRun } from './helpers/cli.js';

const root = path.resolve(import.meta.dirname, '..');

/** Each bookmark as "title", indented two spaces per level, depth first (as a viewer lists them). */
async function outline(file: string | Uint8Array): Promise<string[]> {
  // pdf.js takes ownership of (detaches) the buffer it is given: a copy.
  const data = typeof file === 'string' ? new Uint8Array(await readFile(file)) : file.slice();
  const doc = await getDocument({ data, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    type Item = { title: string; items: Item[] };
    const lines: string[] = [];
    const walk = (items: readonly Item[] | null, depth: number): void => {
      for (const item of items ?? []) {
        lines.push(`${'  '.repeat(depth)}${item.title}`);
        walk(item.items, depth + 1);
      }
    };
    walk(await doc.getOutline(), 0);
    return lines;
  } finally {
    await doc.destroy();
  }
}

/**
 * The headings of each sample, from its source and the templates: the title
 * (h1), the body's headings, Distribution (partials/distribution.hbs), the
 * appendix (partials/recommendations.hbs: its title, then each
 * recommendation's). No Notes: the notes are printed at the foot of their
 * pages (the default), which removes the Notes section.
 */
const EXPECTED: Record<string, string[]> = {
  'water-security-first-year': [
    'First-Year Water Security Assessment',
    '  Progress on Recommendation 1: Negotiate a joint drought and low-water contingency plan',
    '  Progress on Recommendation 2: Fund a shared real-time water-quality monitoring network',
    '  Progress on Recommendation 3: Modernize the rules on large-scale water diversions',
    '  Progress on Recommendation 4: Give tribal and First Nations governments a formal seat in basin governance',
    '  Conclusion',
    '  Distribution',
    "  Recommendations from the Council's 2025 Memo",
    '    Negotiate a joint drought and low-water contingency plan',
    '    Fund a shared real-time water-quality monitoring network',
    '    Modernize the rules on large-scale water diversions',
    '    Give tribal and First Nations governments a formal seat in basin governance',
  ],
  'border-infrastructure-briefing': [
    'Modernizing the Northern Land Ports of Entry',
    '  Purpose',
    '  Background',
    '    Traffic and capacity',
    '    What has already been done',
    '  Key issues',
    '  Options',
    '  Recommendations',
    '  Distribution',
    '  Recommendations',
    '    Fund full modernization of the two most congested ports first',
    '    Expand joint inspection facilities with the neighbouring country',
    '    Publish a staffing plan that matches the new capacity',
  ],
};

const TITLES: Record<string, string> = {
  'water-security-first-year': 'First-Year Water Security Assessment',
  'border-infrastructure-briefing': 'Modernizing the Northern Land Ports of Entry',
};

let out: string;
let run: CliRun;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'memo-outline-'));
  const sources = Object.keys(EXPECTED).map((slug) => path.join('sources', `${slug}.md`));
  run = await runCli(['build', ...sources, '--out', out, '--format', 'pdf'], root);
});

describe('PDF bookmarks', () => {
  it('builds both samples', () => {
    expect(run.stderr).toContain('2 memos built, 0 failed');
    expect(run.code).toBe(0);
  });

  describe.each(Object.keys(EXPECTED))('%s', (slug) => {
    it('titles each bookmark with its heading’s text, exactly, the memo’s title first', async () => {
      const titles = await outline(path.join(out, slug, 'memo.pdf'));
      expect(titles[0]).toBe(TITLES[slug]);
      expect(titles).toEqual(EXPECTED[slug]);
    });
  });
});

describe('which titles are a heading as Chromium painted it', () => {
  it('accepts lost spaces and repeated pieces, nothing else', () => {
    const heading =
      'Progress on Recommendation 3: Modernize the rules on large-scale water diversions';
    expect(isPaintedAs(heading, heading)).toBe(true);
    expect(
      isPaintedAs(
        'Progress on Progress on Recommendation 3: Modernize the rules on large-scale waterRecommendation 3: Modernize the rules on large-scale waterdiversions',
        heading,
      ),
    ).toBe(true);
    expect(isPaintedAs('ConclusionConclusion', 'Conclusion')).toBe(true);
    expect(isPaintedAs('low-watercontingency plan', 'low-water contingency plan')).toBe(true);
    expect(isPaintedAs('Conclusion', 'Notes')).toBe(false);
    expect(isPaintedAs('Conclusions', 'Conclusion')).toBe(false);
    expect(isPaintedAs('Purpose', 'Purpose and scope')).toBe(false);
    expect(isPaintedAs('', 'Notes')).toBe(false);
  });
});

/** A one-page PDF whose bookmarks (one level) have these titles; a classic cross-reference table or not. */
async function withOutline(titles: readonly string[], objectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage();
  const { context } = doc;
  const root = context.nextRef();
  const refs: PDFRef[] = titles.map(() => context.nextRef());
  titles.forEach((title, index) => {
    const item = context.obj({ Parent: root });
    item.set(PDFName.of('Title'), PDFString.of(title));
    const previous = refs[index - 1];
    const next = refs[index + 1];
    if (previous !== undefined) item.set(PDFName.of('Prev'), previous);
    if (next !== undefined) item.set(PDFName.of('Next'), next);
    const ref = refs[index];
    if (ref !== undefined) context.assign(ref, item);
  });
  const outlines = context.obj({ Type: 'Outlines', Count: titles.length });
  const [first, last] = [refs[0], refs.at(-1)];
  if (first !== undefined && last !== undefined) {
    outlines.set(PDFName.of('First'), first);
    outlines.set(PDFName.of('Last'), last);
  }
  context.assign(root, outlines);
  doc.catalog.set(PDFName.of('Outlines'), root);
  return doc.save({ useObjectStreams: objectStreams, addDefaultPage: false });
}

const meta: PdfMeta = {
  title: 'Outline',
  author: 'Desk',
  subject: 'Bookmarks',
  keywords: [],
  lang: 'en',
  date: new Date('2026-02-03T00:00:00Z'),
  creator: 'memo-press 0.1.0',
};

describe('retitling in the incremental update and in the full rewrite', () => {
  // The second heading was not bookmarked (hidden); "Annex" matches no heading.
  const painted = ['MemoMemo', 'Low-watercontingency plan', 'Annex'];
  const headings = ['Memo', 'Hidden', 'Low-water\n  contingency plan', 'Notes'];
  const expected = ['Memo', 'Low-water contingency plan', 'Annex'];

  it('writes each heading’s text, in place of what Chromium painted, reproducibly', async () => {
    const classic = await withOutline(painted, false);
    const amended = amendPdf(classic, meta, headings);
    expect(amended).toBeDefined();
    if (amended === undefined) return;
    expect(await outline(amended)).toEqual(expected);
    expect(amendPdf(classic, meta, headings)).toEqual(amended);
    // Without headings, nothing is retitled.
    expect(await outline(amendPdf(classic, meta) ?? classic)).toEqual(painted);

    const streams = await withOutline(painted, true);
    expect(amendPdf(streams, meta, headings)).toBeUndefined(); // a cross-reference stream
    const rewritten = await rewritePdf(streams, meta, headings);
    expect(await outline(rewritten)).toEqual(expected);
  });
});
