/**
 * Vega is large: a memo without charts must not load it. In the bundle the
 * CLI runs (dist/bin, scripts/ensure.mjs), the chart renderer and Vega sit in
 * a chunk that nothing imports at start-up; only the chart stage reaches it,
 * through `import()`, when a memo has a chart.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.join(import.meta.dirname, '..', '..', 'dist', 'bin');

const STATIC = /(?:\bfrom\s*|\bimport\s*)"(\.\/[\w-]+\.js)"/g;
const DYNAMIC = /\bimport\(\s*"(\.\/[\w-]+\.js)"\s*\)/g;

async function chunks(): Promise<Map<string, string>> {
  const names = (await readdir(bin)).filter((name) => name.endsWith('.js'));
  return new Map(
    await Promise.all(
      names.map(async (name) => [name, await readFile(path.join(bin, name), 'utf8')] as const),
    ),
  );
}

/** The files loaded, without any `import()`, when `start` is. */
function staticClosure(files: Map<string, string>, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const match of (files.get(name) ?? '').matchAll(STATIC))
      queue.push(path.basename(match[1] ?? ''));
  }
  return seen;
}

describe('a memo without charts does not load Vega', () => {
  it('keeps Vega in a chunk reached only through import()', async () => {
    const files = await chunks();
    const vega = [...files].filter(([, text]) =>
      text.includes('// node_modules/vega-lite/build/index.js'),
    );
    expect(vega.map(([name]) => name)).toHaveLength(1);
    const [vegaChunk = ''] = vega.map(([name]) => name);
    expect(files.get(vegaChunk)).toContain('// dist/unified/chart-render.js');

    const atStart = staticClosure(files, 'main.js');
    expect(atStart.size).toBeGreaterThan(1);
    expect(atStart).not.toContain(vegaChunk);
    for (const name of atStart) expect(files.get(name)).not.toContain('node_modules/vega');
    // …and the chart stage is what imports it, on demand.
    const importers = [...files.keys()].filter((name) =>
      [...(files.get(name) ?? '').matchAll(DYNAMIC)].some((match) => match[1] === `./${vegaChunk}`),
    );
    expect(importers).toHaveLength(1);
    const stage = importers[0] ?? '';
    expect(files.get(stage)).toContain('// dist/unified/rehype-memo-charts.js');
    // Building any memo loads the stage; what the stage loads with it holds no Vega.
    const withStage = staticClosure(files, stage);
    expect(withStage).not.toContain(vegaChunk);
    for (const name of withStage) expect(files.get(name)).not.toContain('// node_modules/vega');
  });
});
