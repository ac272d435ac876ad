/**
 * unified/remark-smartypants-lean.ts: remark-smartypants without its second parse of text
 * that has no dash, ellipsis or backtick. Every sample memo and fixture, and text made to
 * reach each of its branches, come out as remark-smartypants itself writes them.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import remarkParse from 'remark-parse';
import remarkSmartypants from 'remark-smartypants';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import type { PluggableList } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { compileMemo } from '../pipeline/compile.js';
import { createProcessor } from '../pipeline/unified/processor.js';
import type { MemoProcessor } from '../pipeline/unified/processor.js';
import remarkSmartypantsLean from '../pipeline/unified/remark-smartypants-lean.js';
import { SMARTYPANTS_OPTIONS } from '../pipeline/unified/smart-text.js';

const root = path.join(import.meta.dirname, '..');
const same = (a: unknown, b: unknown): boolean => a === b;
const lean = createProcessor();
const plugins: PluggableList = lean.attachers.map(([plugin, ...options]) =>
  same(plugin, remarkSmartypantsLean) ? [remarkSmartypants, ...options] : [plugin, ...options],
);
// createProcessor's own stages, so its types (unified cannot infer them from a list).
const original = unified().use(plugins).freeze() as unknown as MemoProcessor;

async function compile(file: string, processor: MemoProcessor) {
  const vfile = new VFile({ path: file, value: await readFile(file) });
  const view = await compileMemo(vfile, { processor, generator: 'memo-press test' });
  return {
    view,
    messages: vfile.messages.map((m) => `${m.line ?? ''}:${m.column ?? ''} ${m.reason}`),
  };
}

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
    expect(lean.attachers.some(([plugin]) => same(plugin, remarkSmartypantsLean))).toBe(true);
    expect(original.attachers.some(([plugin]) => same(plugin, remarkSmartypants))).toBe(true);
  });

  it('writes every sample and fixture as remark-smartypants does', async () => {
    const files: string[] = [];
    for (const folder of ['sources', path.join('tests', 'fixtures')])
      for (const name of await readdir(path.join(root, folder), { recursive: true }))
        if (name.endsWith('.md')) files.push(path.join(root, folder, name));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files.sort()) {
      const [a, b] = await Promise.all([compile(file, lean), compile(file, original)]);
      expect(a, path.relative(root, file)).toEqual(b);
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
