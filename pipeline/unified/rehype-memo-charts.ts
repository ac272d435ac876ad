/**
 * A ```` ```chart ```` block (a Vega-Lite spec in JSON or YAML) becomes
 * `<figure class="chart" id="fig-…" role="group">` holding the chart as an inline SVG and
 * a `<figcaption>` with its title: drawn at build time, vector in the HTML
 * and the PDF, with no JavaScript in either.
 *
 * - The spec must have a `title` and a `description` (the chart's alt text:
 *   the SVG's `aria-label` and `<desc>`, a Figure with that Alt in the PDF).
 * - Data comes inline or from CSV/TSV/JSON files in the memo's folder
 *   (chart-data.ts); those files are dependencies of the output.
 * - The figure is made here, after the writer's HTML is sanitized (like the
 *   memo's own elements, rehype-memo-elements.ts), so the sanitize schema
 *   still allows no SVG from writer HTML. Only a block fenced in the Markdown
 *   is drawn: raw HTML `<pre><code class="language-chart">` stays code.
 *   The SVG Vega made must still pass the SVG allow-list (svg-check.ts) before
 *   it is inserted: a chart is inert (no script, no foreignObject, no
 *   reference outside itself).
 * - Ids inside the SVG (clip paths) are renamed after the figure, so the
 *   output is the same at every build and two charts never share an id.
 * - Vega is imported only when the memo has a chart (chart-render.ts), and so are the
 *   HTML parser that reads its SVG and the SVG check.
 */
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import { z } from 'zod';
import type { VFile } from 'vfile';
import { fail, warn } from '../messages.js';
import { resolveChartData } from './chart-data.js';
import { blockPoint, chartWords, parseSpec } from './chart-spec.js';
import type { ChartBlock, ParsedSpec } from './chart-spec.js';
import { COMPOSITION_KEYS, MARKS, inUtc, markType, withSecondCues } from './chart-style.js';
import { RESERVED_IDS } from './rehype-heading-ids.js';

/** The opening fence of a chart block, as typed: the info string may carry `{#fig-id}`. */
const FENCE = /^(?:`{3,}|~{3,})[ \t]*chart(?:[ \t]+(.*))?$/;
const ID = /^[A-Za-z][\w-]*$/;
const SpecRecord = z.record(z.string(), z.unknown());
const ID_IN_INFO = /\{#([A-Za-z][\w-]*)\}/;

interface Found {
  readonly pre: Element;
  readonly parent: Root | Element;
  readonly block: ChartBlock;
  /** The info string after `chart`. */
  readonly info: string;
}

function isChartCode(node: ElementContent | undefined): node is Element {
  if (node?.type !== 'element' || node.tagName !== 'code') return false;
  const className = node.properties['className'];
  return Array.isArray(className) && className.includes('language-chart');
}

function findCharts(tree: Root, source: string): Found[] {
  const found: Found[] = [];
  visit(tree, 'element', (pre, _index, parent) => {
    if (pre.tagName !== 'pre' || parent === undefined) return;
    const code = pre.children.find((child) => child.type === 'element');
    const start = pre.position?.start;
    if (!isChartCode(code) || start?.offset === undefined) return;
    const lineEnd = source.indexOf('\n', start.offset);
    const fence = FENCE.exec(
      source.slice(start.offset, lineEnd === -1 ? undefined : lineEnd).trimEnd(),
    );
    if (fence === null) return; // raw HTML, not a fenced block
    found.push({
      pre,
      parent,
      info: fence[1] ?? '',
      block: {
        text: toString(code),
        start: { line: start.line, column: start.column },
        firstLine: start.line + 1,
        indent: start.column - 1,
      },
    });
  });
  return found;
}

/** The figure's id as written: `{#fig-x}` after `chart`, else the spec's `name`. */
function writtenId(file: VFile, found: Found, name: string | undefined): string | undefined {
  const fromInfo = ID_IN_INFO.exec(found.info)?.[1];
  if (fromInfo !== undefined) return fromInfo;
  if (name === undefined) return undefined;
  if (ID.test(name)) return name;
  warn(
    file,
    `the chart's \`name\` “${name}” cannot be its id (a link target): use letters, digits and dashes, as in \`"name": "fig-arrests"\``,
    found.block.start,
    'chart-spec',
  );
  return undefined;
}

/** The figure's id, unless the memo's sections or an earlier chart have it (ids → fence line). */
function figureId(file: VFile, found: Found, name: string | undefined, ids: Map<string, number>) {
  const id = writtenId(file, found, name);
  if (id === undefined) return undefined;
  const earlier = ids.get(id);
  const reserved = (RESERVED_IDS as readonly string[]).includes(id);
  if (earlier === undefined && !reserved) {
    ids.set(id, found.block.start.line);
    return id;
  }
  fail(
    file,
    reserved
      ? `the chart's id \`${id}\` is the id of a part of every memo; give the chart another, as in \`fig-${id}\``
      : `the chart's id \`${id}\` is already the id of the chart at line ${earlier ?? '?'}; give each chart its own`,
    found.block.start,
    'chart-spec',
  );
  return undefined;
}

/** The words a reader gets for the chart; undefined (with the errors) when one is missing. */
function requireWords(file: VFile, block: ChartBlock, parsed: ParsedSpec) {
  const words = chartWords(parsed.spec);
  const place = (key: string) =>
    parsed.offsetOf([key]) === undefined ? block.start : blockPoint(block, parsed.offsetOf([key]));
  if (words.title === undefined)
    fail(
      file,
      'the chart has no `title`: add one line saying what it shows, as in `"title": "Arrests per year, 2015–2023"`; it becomes the figure\'s caption',
      place('title'),
      'chart-text',
    );
  if (words.description === undefined)
    fail(
      file,
      'the chart has no `description`: add a sentence or two saying what the chart shows and what to read from it, as in `"description": "Arrests fell by half from 2015 to 2023"`; it is what readers who cannot see the chart get (its alt text)',
      place('description'),
      'chart-text',
    );
  if (words.title === undefined || words.description === undefined) return undefined;
  return { title: words.title, description: words.description, name: words.name };
}

function checkMark(file: VFile, block: ChartBlock, parsed: ParsedSpec): boolean {
  const spec = parsed.spec;
  if (!COMPOSITION_KEYS.some((key) => key in spec)) {
    fail(
      file,
      'the chart has no `mark`, so it draws nothing: add one, as in `"mark": "bar"` or `"mark": "line"`',
      block.start,
      'chart-spec',
    );
    return false;
  }
  const type = markType(spec);
  if (type === undefined || ('mark' in spec && (MARKS as readonly string[]).includes(type)))
    return true;
  if (!('mark' in spec)) return true;
  const offset = parsed.offsetOf(['mark', 'type']) ?? parsed.offsetOf(['mark']);
  fail(
    file,
    `the chart's \`mark\` “${type}” is not one Vega-Lite draws: use one of ${MARKS.join(', ')}`,
    blockPoint(block, offset),
    'chart-spec',
  );
  return false;
}

/** Rename every id in the drawing after `prefix`, and every reference to it. */
function renameIds(svg: Element, prefix: string): void {
  const ids = new Map<string, string>();
  visit(svg, 'element', (node) => {
    const id = node.properties['id'];
    if (typeof id !== 'string') return;
    const renamed = `${prefix}-${ids.size + 1}`;
    ids.set(id, renamed);
    node.properties['id'] = renamed;
  });
  if (ids.size === 0) return;
  const rewrite = (value: string) =>
    value
      .replace(/url\(#([^)]+)\)/g, (whole, id: string) => {
        const renamed = ids.get(id);
        return renamed === undefined ? whole : `url(#${renamed})`;
      })
      .replace(/^#(.+)$/, (whole, id: string) => {
        const renamed = ids.get(id);
        return renamed === undefined ? whole : `#${renamed}`;
      });
  visit(svg, 'element', (node) => {
    for (const [key, value] of Object.entries(node.properties)) {
      if (typeof value === 'string' && key !== 'id') node.properties[key] = rewrite(value);
    }
  });
}

/** Vega's own roles and labels inside the drawing: the figure has one label, its description. */
function plainDrawing(svg: Element): void {
  visit(svg, 'element', (node) => {
    if (node === svg) return;
    for (const key of Object.keys(node.properties))
      if (key === 'role' || key === 'className' || key.startsWith('aria'))
        delete node.properties[key];
  });
}

type FromHtml = typeof import('hast-util-from-html').fromHtml;

function figure(
  fromHtml: FromHtml,
  svgText: string,
  words: { title: string; description: string },
  id: string | undefined,
  index: number,
): Element | undefined {
  const svg = fromHtml(svgText, { fragment: true }).children.find(
    (node): node is Element => node.type === 'element' && node.tagName === 'svg',
  );
  if (svg === undefined) return undefined;
  plainDrawing(svg);
  renameIds(svg, `${id ?? `chart-${index}`}-clip`);
  svg.properties['role'] = 'img';
  svg.properties['ariaLabel'] = words.description;
  svg.properties['className'] = ['chart-drawing'];
  svg.children.unshift(h('title', words.title), h('desc', words.description));
  // role=group: Chromium tags a bare <figure> as a Figure of its own, without
  // alt text, around the drawing's Figure; as a group it is a Div holding the
  // drawing's Figure (with its alt text) and the Caption (PDF/UA, memo audit).
  return h('figure', { className: ['chart'], id, role: 'group' }, [
    svg,
    h('figcaption', words.title),
  ]);
}

interface Renderer {
  readonly renderChart: (typeof import('./chart-render.js'))['renderChart'];
  readonly fromHtml: FromHtml;
  readonly svgActiveContent: (typeof import('./svg-check.js'))['svgActiveContent'];
}

interface Run {
  readonly folder: string;
  readonly load: () => Promise<Renderer>;
  /** Figure ids given so far, each with its chart's line. */
  readonly ids: Map<string, number>;
}

async function drawOne(file: VFile, found: Found, index: number, run: Run) {
  const { folder, load, ids } = run;
  const { block } = found;
  const parsed = parseSpec(block.text);
  if (!parsed.ok) {
    fail(file, parsed.reason, blockPoint(block, parsed.offset), 'chart-spec');
    return;
  }
  const words = requireWords(file, block, parsed.value);
  const drawable = checkMark(file, block, parsed.value);
  const data = resolveChartData(parsed.value.spec, folder);
  for (const problem of data.problems)
    fail(
      file,
      problem.reason,
      blockPoint(block, parsed.value.offsetOf(problem.at)),
      problem.ruleId,
    );
  (file.data.dependencies ??= []).push(...data.files);
  if (words === undefined || !drawable || data.problems.length > 0) return;
  const id = figureId(file, found, words.name, ids);
  // The figcaption shows the title: Vega does not draw it a second time.
  const untitled = Object.fromEntries(Object.entries(data.spec).filter(([key]) => key !== 'title'));
  const drawn = SpecRecord.safeParse(inUtc(withSecondCues(untitled)));
  const { renderChart, fromHtml, svgActiveContent } = await load();
  const rendered = await renderChart(drawn.success ? drawn.data : untitled);
  if (!rendered.ok) {
    fail(file, rendered.reason, block.start, 'chart-spec');
    return;
  }
  for (const warning of rendered.warnings)
    warn(file, `Vega-Lite warns about this chart: ${warning}`, block.start, 'chart-spec');
  const active = svgActiveContent(new TextEncoder().encode(rendered.svg));
  const made = active === undefined ? figure(fromHtml, rendered.svg, words, id, index) : undefined;
  if (made === undefined) {
    fail(
      file,
      `the chart could not be drawn as a plain picture${active === undefined ? '' : ` (it would hold ${active})`}`,
      block.start,
      'chart-spec',
    );
    return;
  }
  const at = found.parent.children.indexOf(found.pre);
  if (at !== -1) found.parent.children.splice(at, 1, made);
}

export default function rehypeMemoCharts() {
  return async (tree: Root, file: VFile): Promise<undefined> => {
    const charts = findCharts(tree, String(file.value));
    if (charts.length === 0) return;
    const folder = path.resolve(file.cwd, file.dirname ?? '.');
    let renderer: Promise<Renderer> | undefined;
    const load = () =>
      (renderer ??= Promise.all([
        import('./chart-render.js'),
        import('hast-util-from-html'),
        import('./svg-check.js'),
      ]).then(([render, html, svg]) => ({
        renderChart: render.renderChart,
        fromHtml: html.fromHtml,
        svgActiveContent: svg.svgActiveContent,
      })));
    const run: Run = { folder, load, ids: new Map() };
    for (const [index, found] of charts.entries()) await drawOne(file, found, index + 1, run);
  };
}
