/**
 * Vega is large: a memo without charts must not load it. In the bundle the
 * CLI runs (dist/bin, scripts/ensure.mjs), the chart renderer and Vega sit in
 * a chunk that nothing imports at start-up; only the chart stage reaches it,
 * through `import()`, when a memo has a chart (the bundle's map:
 * tests/helpers/bundle.ts).
 */
import { describe, expect, it } from 'vitest';
import { readBundleMap } from '../helpers/bundle.js';
import type { BundleMap } from '../helpers/bundle.js';

/** The chunks loaded, without any `import()`, when `start` is. */
function staticClosure(map: BundleMap, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...map.imports(name, 'static'));
  }
  return seen;
}

describe('a memo without charts does not load Vega', () => {
  it('keeps Vega in a chunk reached only through import()', async () => {
    const map = await readBundleMap();
    const vega = map.chunks.filter((name) =>
      map.holds(name, 'node_modules/vega-lite/build/index.js'),
    );
    expect(vega).toHaveLength(1);
    const [vegaChunk = ''] = vega;
    expect(map.modulesOf(vegaChunk)).toContain('dist/unified/chart-render.js');

    const atStart = staticClosure(map, 'main.js');
    expect(atStart.size).toBeGreaterThan(1);
    expect(atStart).not.toContain(vegaChunk);
    for (const name of atStart) expect(map.holds(name, 'node_modules/vega')).toBe(false);
    // …and the chart stage is what imports it, on demand.
    const importers = map.chunks.filter((name) => map.imports(name, 'dynamic').includes(vegaChunk));
    expect(importers).toHaveLength(1);
    const stage = importers[0] ?? '';
    expect(map.modulesOf(stage)).toContain('dist/unified/rehype-memo-charts.js');
    // Building any memo loads the stage; what the stage loads with it holds no Vega.
    const withStage = staticClosure(map, stage);
    expect(withStage).not.toContain(vegaChunk);
    for (const name of withStage) expect(map.holds(name, 'node_modules/vega')).toBe(false);
  });
});
