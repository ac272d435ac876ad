/**
 * Typographic punctuation as the memo's own processor gives it: curly quotes
 * paired across links and emphasis, `--` an en dash, `---` an em dash, `...`
 * an ellipsis, and code left exactly as typed.
 */
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import type { Root } from 'mdast';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { displayDate } from '../pipeline/render/create-view.js';
import { createProcessor } from '../pipeline/unified/processor.js';
import { SMARTYPANTS_OPTIONS, createSmartText } from '../pipeline/unified/smart-text.js';

const processor = createProcessor();

/** The text of each block (paragraph, heading, cell, code) of `markdown`, rendered. */
async function blocks(markdown: string): Promise<string[]> {
  const file = new VFile({ path: 'memo.md', value: markdown });
  const html = String(await processor.process(file));
  expect(file.messages.map((message) => message.reason)).toEqual([]);
  return selectAll('p, h2, th, td, code', fromHtml(html, { fragment: true })).map((node) =>
    toString(node),
  );
}

describe('typography', () => {
  it.each([
    [
      'The council\'s "first-year" review -- due in May --- was "late."',
      'The council’s “first-year” review – due in May — was “late.”',
    ],
    [
      '"Quoted *emphasis*" and "a [linked phrase](https://example.org)" and **"bold"**.',
      '“Quoted emphasis” and “a linked phrase” and “bold”.',
    ],
    ["'Single quotes' and the '90s.", '‘Single quotes’ and the ’90s.'],
    ['Wait... and wait . . . then done.', 'Wait… and wait … then done.'],
    ['"Nested \'single\' inside double," she said.', '“Nested ‘single’ inside double,” she said.'],
    ['Plain text without any of them.', 'Plain text without any of them.'],
    ['An en dash typed – and three---dashes.', 'An en dash typed – and three—dashes.'],
    ['An en dash and a hyphen –- stay as typed.', 'An en dash and a hyphen –- stay as typed.'],
  ])('renders %j as %j', async (markdown, expected) => {
    expect(await blocks(markdown)).toEqual([expected]);
  });

  it('educates headings and table cells, each starting fresh', async () => {
    expect(
      await blocks('# "Heading" -- dashes\n\n| "A" | B\'s |\n| --- | --- |\n| x -- y | "z" |'),
    ).toEqual(['“Heading” – dashes', '“A”', 'B’s', 'x – y', '“z”']);
  });

  it('educates text and never code', async () => {
    expect(await blocks('A "quote" -- and `"code" --`.\n\n    "block" --\n')).toEqual([
      'A “quote” – and "code" --.',
      '"code" --',
      '"block" --\n',
    ]);
  });
});

describe('typography of the front matter fields', () => {
  const smart = createSmartText();
  /** The plugin itself, with no shortcut: what every field must come out as. */
  const full = (text: string): string => {
    const tree: Root = {
      type: 'root',
      children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }],
    };
    unified().use(remarkSmartypants, SMARTYPANTS_OPTIONS).runSync(tree);
    const [paragraph] = tree.children;
    return paragraph?.type === 'paragraph'
      ? paragraph.children.map((node) => (node.type === 'text' ? node.value : '')).join('')
      : text;
  };

  it.each([
    'Negotiate a joint drought and low-water contingency plan',
    'Plain text. Two sentences, one hyphen-ated word; no quotes',
    "The Council's 2025 memo",
    'A "quoted" title -- with dashes --- and more',
    'Wait... or . . . spaced',
    'Periods. . Apart',
    "``Backticks'' as quotes",
    'Numbers 1.5 and 2.0.1, e.g. this',
  ])('gives %j what the plugin gives', (text) => {
    expect(smart(text)).toBe(full(text));
  });
});

describe('dates', () => {
  it('writes English dates as Intl does', () => {
    const intl = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
    for (const iso of ['2021-04-30', '2026-03-15', '1999-12-31', '2000-02-29', '0999-01-05']) {
      for (const lang of ['en', 'en-US'])
        expect(displayDate(iso, lang)).toBe(intl.format(new Date(`${iso}T00:00:00Z`)));
    }
    for (let month = 1; month <= 12; month += 1) {
      const iso = `2024-${String(month).padStart(2, '0')}-${String(month * 2).padStart(2, '0')}`;
      expect(displayDate(iso, 'en')).toBe(intl.format(new Date(`${iso}T00:00:00Z`)));
    }
  });

  it('writes other languages with Intl', () => {
    expect(displayDate('2026-03-15', 'en-GB')).toBe('15 March 2026');
    expect(displayDate('2026-03-15', 'fr')).toBe('15 mars 2026');
  });
});
