/**
 * remark-typography gives exactly what remark-smartypants (which it replaced
 * for speed) gives, on the sample memos and on text made to test quote
 * pairing, dashes and ellipses; and it leaves code alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import remarkTypography from '../pipeline/unified/remark-typography.js';

const root = path.resolve(import.meta.dirname, '..');

const PLUGINS = { remarkTypography, remarkSmartypants } as const;

function run(name: keyof typeof PLUGINS, markdown: string): unknown {
  const base = unified().use(remarkParse).use(remarkGfm);
  const processor =
    name === 'remarkTypography'
      ? base.use(PLUGINS.remarkTypography, { dashes: 'oldschool' })
      : base.use(PLUGINS.remarkSmartypants, { dashes: 'oldschool' });
  return processor.runSync(processor.parse(markdown));
}

const CASES = [
  'The council\'s "first-year" review -- due in May --- was "late."',
  '"Quoted *emphasis*" and "a [linked phrase](https://example.org)" and **"bold"**.',
  "'Single quotes' and the '90s, rock 'n' roll, and ''double singles''.",
  'Wait... and wait . . . then ``backticks\'\' and `code with "quotes" -- and ...`.',
  '# "Heading" -- with dashes\n\n| "A" | B\'s |\n| --- | --- |\n| x -- y | "z" |',
  'Plain text without any of them.',
  'An en dash typed – then a hyphen –- and three---dashes.',
  '"Nested \'single\' inside double," she said.',
];

describe('remark-typography', () => {
  it.each(CASES)('matches remark-smartypants on %j', (markdown) => {
    expect(run('remarkTypography', markdown)).toEqual(run('remarkSmartypants', markdown));
  });

  it('matches remark-smartypants on every sample memo', () => {
    const folder = path.join(root, 'sources');
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.md'))) {
      const markdown = readFileSync(path.join(folder, name), 'utf8');
      expect(run('remarkTypography', markdown), name).toEqual(run('remarkSmartypants', markdown));
    }
  });

  it('educates text and never code', () => {
    const tree = run('remarkTypography', 'A "quote" -- and `"code" --`.\n\n    "block" --\n');
    const text = JSON.stringify(tree);
    expect(text).toContain('A “quote” – and ');
    expect(text).toContain('"value":"\\"code\\" --"');
    expect(text).toContain('"value":"\\"block\\" --"');
  });
});
