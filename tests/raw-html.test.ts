/**
 * unified/rehype-raw-if-any.ts: rehype-raw is skipped on a memo without raw
 * HTML. Every sample memo and fixture compiles to the same body, notes and
 * messages as with rehype-raw always on (the processor's own stages, with that
 * one swapped).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import rehypeRaw from 'rehype-raw';
import { unified } from 'unified';
import type { PluggableList } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { compileMemo } from '../pipeline/compile.js';
import { createProcessor } from '../pipeline/unified/processor.js';
import type { MemoProcessor } from '../pipeline/unified/processor.js';
import rehypeRawIfAny from '../pipeline/unified/rehype-raw-if-any.js';

const root = path.join(import.meta.dirname, '..');
const ifAny = createProcessor();
const same = (a: unknown, b: unknown): boolean => a === b;
const plugins: PluggableList = ifAny.attachers.map(([plugin, ...options]) =>
  same(plugin, rehypeRawIfAny) ? [rehypeRaw] : [plugin, ...options],
);
// createProcessor's own stages, so its types (unified cannot infer them from a list).
const always = unified().use(plugins).freeze() as unknown as MemoProcessor;

async function compile(file: string, processor: MemoProcessor) {
  const vfile = new VFile({ path: file, value: await readFile(file) });
  const view = await compileMemo(vfile, { processor, generator: 'memo-press test' });
  return {
    body: view?.bodyHtml,
    notes: view?.notesHtml,
    messages: vfile.messages.map(
      (m) => `${m.line ?? ''}:${m.column ?? ''} ${m.ruleId ?? ''} ${m.reason}`,
    ),
  };
}

describe('raw HTML stage', () => {
  it('the processor has the conditional stage, and the swap took', () => {
    expect(ifAny.attachers.some(([plugin]) => same(plugin, rehypeRawIfAny))).toBe(true);
    expect(always.attachers.some(([plugin]) => same(plugin, rehypeRaw))).toBe(true);
    expect(always.attachers.some(([plugin]) => same(plugin, rehypeRawIfAny))).toBe(false);
  });

  it('gives the same HTML and messages with or without rehype-raw, on every sample and fixture', async () => {
    const files: string[] = [];
    for (const folder of ['sources', path.join('tests', 'fixtures')])
      for (const name of await readdir(path.join(root, folder), { recursive: true }))
        if (name.endsWith('.md')) files.push(path.join(root, folder, name));
    expect(files.length).toBeGreaterThan(50);
    let withNotes = 0;
    for (const file of files.sort()) {
      const [a, b] = await Promise.all([compile(file, ifAny), compile(file, always)]);
      expect(a, path.relative(root, file)).toEqual(b);
      if (a.body?.includes('data-footnote-ref') === true) withNotes += 1;
    }
    // The round trip's one visible change (a `true` attribute written as ="") is covered.
    expect(withNotes).toBeGreaterThan(5);
  });
});
