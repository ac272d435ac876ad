/**
 * `toc: auto` decided the two ways pipeline/render/pdf-page.ts takes: a memo with less text than
 * a long memo has is printed without contents first and, past 10 pages, again with them; a memo
 * with that much text is printed with them first, and without them when that print is short.
 * Either way the contents' numbers are the pages of the headings (read from the PDF's text).
 */
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG_MEMO_TEXT } from '../../pipeline/render/page-numbers.js';
import { openSession } from '../../pipeline/session.js';
import type { OwnSession } from '../../pipeline/session.js';
import { pageTexts } from '../helpers/pdf.js';

const FILLER =
  'The working group has met four times, and the parties have agreed on common trigger levels ' +
  'for each lake, measured against the same datum, with a shared weekly bulletin in both countries.';

function memo(body: readonly string[]): string {
  return [
    '---',
    'title: Decided by the print',
    'author: Ana Ruiz',
    'organization: Institute for Public Policy',
    'date: 2026-03-15',
    '---',
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}

/** `parts` parts of about a page each: heading `Zone<n>head placement`, first words `Body<n>start`. */
function parts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => [
    `## Zone${index + 1}head placement`,
    `Body${index + 1}start ${FILLER} ${FILLER}`,
    ...Array.from({ length: 4 }, () => `${FILLER} ${FILLER} ${FILLER}`),
  ]).flat();
}

let session: OwnSession;
beforeAll(async () => {
  session = await openSession({ handleSignals: false, concurrency: 1 });
}, 60_000);
afterAll(async () => {
  await session?.close();
});

async function printed(markdown: string): Promise<{ pages: string[]; text: number }> {
  const file = new VFile({ path: 'memo.md', value: markdown });
  const view = await session.compile(file);
  expect(view, file.messages.map(String).join('\n')).toBeDefined();
  if (view === undefined) throw new Error('no view');
  const html = session.renderHtml(view);
  const pdf = await session.renderPdf(file, view, html);
  expect(file.messages.map(String)).toEqual([]);
  if (pdf === undefined) throw new Error('no pdf');
  // The memo's text, about as the page counts it (the PDF's HTML differs only in its notes).
  const body = html.slice(html.indexOf('<body'));
  const text = body.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, '').length;
  return { pages: await pageTexts(pdf), text };
}

const pageOf = (pages: readonly string[], word: string): number =>
  pages.findIndex((text) => text.includes(word)) + 1;

function wrongNumbers(pages: readonly string[], count: number): string[] {
  const contents = pages.slice(0, 3).join('\n');
  const wrong: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const match = new RegExp(`Zone${n}head placement\\s*(\\d+)`).exec(contents);
    const actual = pageOf(pages, `Body${n}start`);
    if (Number(match?.[1]) !== actual) wrong.push(`part ${n}: ${match?.[1]} for page ${actual}`);
  }
  return wrong;
}

describe('toc: auto', () => {
  it('prints contents with the right numbers for a memo just past 10 pages, with less text than a long memo', async () => {
    const { pages, text } = await printed(memo(parts(14)));
    expect(text).toBeLessThan(LONG_MEMO_TEXT);
    expect(pages.length).toBeGreaterThan(11);
    expect(pages[0]).toContain('Contents');
    expect(wrongNumbers(pages, 14)).toEqual([]);
  }, 300_000);

  it('prints no contents for a memo with as much text as a long memo that prints on a few pages', async () => {
    // A code block's lines do not wrap: its text is clipped at the page's edge.
    const wide = Array.from({ length: 45 }, (_, line) => `${line} ${'x'.repeat(2_000)}`);
    const body = [...parts(2), ['```', ...wide, '```'].join('\n')];
    const { pages, text } = await printed(memo(body));
    expect(text).toBeGreaterThanOrEqual(LONG_MEMO_TEXT);
    expect(pages.length).toBeLessThanOrEqual(10);
    expect(pages.join('\n')).not.toContain('Contents');
    expect(pageOf(pages, 'Body2start')).toBeGreaterThan(0);
  }, 300_000);
});
