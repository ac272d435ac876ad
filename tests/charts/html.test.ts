/**
 * A chart is an inline SVG in a `<figure>`: its title as the caption, its
 * description as the drawing's accessible name and `<desc>`, nothing live in
 * it, the memo's font and the same bytes at every build.
 */
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { SANS_FAMILY } from '../../pipeline/render/fonts.js';
import { CHART_FONT, CHART_PALETTE } from '../../pipeline/unified/chart-style.js';
import { compileFile } from '../helpers/compile-fixture.js';

const folder = path.join(import.meta.dirname, '..', 'fixtures', 'charts', 'good');
const source = path.join(folder, 'charts.md');

async function body(): Promise<{ html: string; tree: Root }> {
  const { view, report } = await compileFile(source);
  expect(report).toBe('');
  const html = view?.bodyHtml ?? '';
  return { html, tree: fromHtml(html, { fragment: true }) };
}

function only(tree: Root | Element, selector: string): Element {
  const found = select(selector, tree);
  if (found === undefined) throw new Error(`nothing matches ${selector}`);
  return found;
}

describe('a chart block becomes an inline SVG figure', () => {
  it('has the title as caption and the description as alt text', async () => {
    const { tree } = await body();
    const figures = selectAll('figure.chart', tree);
    expect(figures.map((figure) => figure.properties['id'])).toEqual(['fig-arrests', 'fig-2022']);
    const first = only(tree, 'figure#fig-arrests');
    const svg = only(first, 'svg');
    expect(svg.properties['role']).toBe('img');
    expect(svg.properties['ariaLabel']).toBe(
      'Arrests fell in both regions from 2019 to 2022, faster in the North.',
    );
    expect(toString(only(svg, 'title'))).toBe('Arrests per year by region');
    expect(toString(only(svg, 'desc'))).toBe(
      'Arrests fell in both regions from 2019 to 2022, faster in the North.',
    );
    // Numbered with the memo's other figures (rehype-memo-captions.ts).
    expect(toString(only(first, 'figcaption'))).toBe('Figure 1. Arrests per year by region');
    // The caption carries the title: the drawing does not repeat it.
    const drawnText = selectAll('text', svg).map((text) => toString(text));
    expect(drawnText).not.toContain('Arrests per year by region');
    // The axes and legend, read from arrests.csv.
    expect(drawnText).toEqual(expect.arrayContaining(['2019', '2022', 'Year', 'North', 'South']));
    expect(toString(only(tree, 'figure#fig-2022 figcaption'))).toBe('Figure 2. Arrests in 2022');
  });

  it('is a plain drawing: no script, no foreign content, no reference outside itself', async () => {
    const { tree } = await body();
    for (const svg of selectAll('figure.chart svg', tree)) {
      expect(selectAll('script, foreignObject, image, a, style', svg)).toEqual([]);
      const ids = new Set(selectAll('[id]', svg).map((node) => node.properties['id']));
      for (const node of selectAll('*', svg)) {
        for (const [key, value] of Object.entries(node.properties)) {
          expect(key).not.toMatch(/^on/);
          if (key.startsWith('xmlns')) continue;
          for (const ref of String(value).matchAll(/url\(#([^)]+)\)/g))
            expect(ids).toContain(ref[1]);
          expect(String(value)).not.toMatch(/(?:https?|file|javascript):/i);
        }
      }
      // Vega's per-mark roles are gone: the drawing is one image with one name.
      expect(selectAll('[role], [aria-label]', svg).filter((node) => node !== svg)).toEqual([]);
    }
  });

  it('uses the memo’s sans-serif face and a palette that stays apart in greyscale', async () => {
    const { tree } = await body();
    const fonts = new Set(
      selectAll('figure.chart text', tree).map((node) => String(node.properties['fontFamily'])),
    );
    expect([...fonts]).toEqual([CHART_FONT]);
    expect(CHART_FONT).toContain(`'${SANS_FAMILY}'`);
    const lightness = CHART_PALETTE.map((hex) => {
      const linear = [1, 3, 5]
        .map((at) => parseInt(hex.slice(at, at + 2), 16) / 255)
        .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      const y = 0.2126 * (linear[0] ?? 0) + 0.7152 * (linear[1] ?? 0) + 0.0722 * (linear[2] ?? 0);
      return 116 * Math.cbrt(y) - 16;
    });
    for (const [i, a] of lightness.entries())
      for (const b of lightness.slice(i + 1)) expect(Math.abs(a - b)).toBeGreaterThanOrEqual(14);
    // Two series of lines: the second is dashed, so the lines differ without colour.
    const { html } = await body();
    const lines = html.slice(html.indexOf('id="fig-arrests"'), html.indexOf('id="fig-2022"'));
    const dashes = new Set(
      [
        ...lines.matchAll(
          /<path d="[^"]*" stroke="[^"]*" stroke-width="2" stroke-dasharray="([^"]*)"/g,
        ),
      ].map((match) => match[1]),
    );
    expect(dashes.size).toBe(2);
  });

  it('is the same, byte for byte, at every build, and no two charts share an id', async () => {
    const first = await body();
    const second = await body();
    expect(second.html).toBe(first.html);
    const ids = selectAll('[id]', first.tree).map((node) => String(node.properties['id']));
    expect(ids.filter((id) => id.startsWith('fig-arrests-clip')).length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws only blocks fenced in the Markdown: raw HTML can neither forge a chart nor bring SVG in', async () => {
    const { view, report } = await compileFile(path.join(folder, '..', 'raw-html.md'));
    expect(report).not.toMatch(/error|chart-/); // the removed <svg> is a warning of its own
    const tree = fromHtml(view?.bodyHtml ?? '', { fragment: true });
    expect(selectAll('figure, svg, script', tree)).toEqual([]);
    expect(toString(only(tree, 'pre code'))).toContain('"mark": "bar"');
  });

  it('makes the data file a dependency of the output', async () => {
    const { file } = await compileFile(source);
    expect(file.data.dependencies).toContain(path.join(folder, 'arrests.csv'));
  });
});
