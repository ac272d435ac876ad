/**
 * unified/remark-smartypants-lean.ts: remark-smartypants without its second parse of text
 * that has no dash, ellipsis or backtick. Every sample memo and fixture, and text made to
 * reach each of its branches, come out as remark-smartypants itself writes them.
 */
import remarkParse from 'remark-parse';
import remarkSmartypants from 'remark-smartypants';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { createProcessor } from '../pipeline/unified/processor.js';
import remarkSmartypantsLean from '../pipeline/unified/remark-smartypants-lean.js';
import { SMARTYPANTS_OPTIONS } from '../pipeline/unified/smart-text.js';
import * as stages from './helpers/stage-swap.js';

const lean = createProcessor();
const original = stages.swapStage(remarkSmartypantsLean, remarkSmartypants);

const markdown = (lean: boolean) => {
  const processor = lean
    ? unified()
        .use(remarkParse)
        .use(remarkSmartypantsLean, SMARTYPANTS_OPTIONS)
        .use(remarkStringify)
    : unified().use(remarkParse).use(remarkSmartypants, SMARTYPANTS_OPTIONS).use(remarkStringify);
  return (text: string) => String(processor.processSync(text));
};

describe('smart quotes and dashes without the second parse', () => {
  it('the processor has the lean plugin, and the swap took', () => {
    expect(
      lean.attachers.some(([plugin]) => stages.samePlugin(plugin, remarkSmartypantsLean)),
    ).toBe(true);
    expect(
      original.attachers.some(([plugin]) => stages.samePlugin(plugin, remarkSmartypants)),
    ).toBe(true);
  });

  it('writes every sample and fixture as remark-smartypants does', async () => {
    const files = await stages.everyMemoSource();
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const [a, b] = await Promise.all([
        stages.compiledWith(file, lean),
        stages.compiledWith(file, original),
      ]);
      expect(a, stages.fromRoot(file)).toEqual(b);
    }
  });

  it('writes dashes, ellipses, backticks and quotes across emphasis, links and code as it does', () => {
    const [ours, theirs] = [markdown(true), markdown(false)];
    const texts = [
      'Plain text with nothing to change.',
      'An en dash -- and an em dash --- in one line.',
      'Wait... and . . . and .. and a final.',
      "``Double backticks'' and a `code span` and 'single' quotes.",
      '"Quoted *emphasis*" and "[a link](https://example.org)" and "`code`".',
      "It's the '90s, rock 'n' roll, and the 'tis season.",
      '# "A heading" -- with a dash\n\n| "cell" | it\'s -- here |\n| --- | --- |\n| a... | ``b\'\' |',
      '"Open in one paragraph\n\nand close in the next"',
      "Text with '' two single quotes and a lone ` backtick.",
    ];
    for (const text of texts) expect(ours(text), text).toBe(theirs(text));
    expect(ours('a -- b')).toContain('–');
  });
});
