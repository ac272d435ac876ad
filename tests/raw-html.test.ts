/**
 * unified/rehype-raw-if-any.ts: rehype-raw is skipped on a memo without raw
 * HTML. Every sample memo and fixture compiles to the same body, notes and
 * messages as with rehype-raw always on (the processor's own stages, with that
 * one swapped).
 */
import rehypeRaw from 'rehype-raw';
import { describe, expect, it } from 'vitest';
import { createProcessor } from '../pipeline/unified/processor.js';
import rehypeRawIfAny from '../pipeline/unified/rehype-raw-if-any.js';
import {
  compiledWith,
  everyMemoSource,
  fromRoot,
  samePlugin,
  swapStage,
} from './helpers/stage-swap.js';

const ifAny = createProcessor();
const always = swapStage(rehypeRawIfAny, rehypeRaw);

describe('raw HTML stage', () => {
  it('the processor has the conditional stage, and the swap took', () => {
    expect(ifAny.attachers.some(([plugin]) => samePlugin(plugin, rehypeRawIfAny))).toBe(true);
    expect(always.attachers.some(([plugin]) => samePlugin(plugin, rehypeRaw))).toBe(true);
    expect(always.attachers.some(([plugin]) => samePlugin(plugin, rehypeRawIfAny))).toBe(false);
  });

  it('gives the same HTML and messages with or without rehype-raw, on every sample and fixture', async () => {
    const files = await everyMemoSource();
    expect(files.length).toBeGreaterThan(50);
    let withNotes = 0;
    for (const file of files) {
      const [a, b] = await Promise.all([compiledWith(file, ifAny), compiledWith(file, always)]);
      expect(a, fromRoot(file)).toEqual(b);
      if (a.body?.includes('data-footnote-ref') === true) withNotes += 1;
    }
    // The round trip's one visible change (a `true` attribute written as ="") is covered.
    expect(withNotes).toBeGreaterThan(5);
  });
});
