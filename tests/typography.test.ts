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
import { createProcessor } from '../pipeline/unified/processor.js';

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
