/**
 * Vega-Lite → Vega → static SVG, in Node. Imported only with `import()` by
 * rehype-memo-charts.ts when a memo has a chart: Vega is large (about 0.7 s to
 * load), and a memo without charts never pays for it.
 *
 * Nothing here reads a file or the network: the data is already inline
 * (chart-data.ts), Vega's loader refuses every request, and the spec's
 * expressions are run by vega-interpreter (an interpreter of Vega's
 * expression language), never compiled into JavaScript functions.
 */
import { View, parse } from 'vega';
import type { Loader } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile } from 'vega-lite';
import type { Config, TopLevelSpec } from 'vega-lite';
import type { Spec } from './chart-spec.js';
import { CHART_FONT, CHART_PALETTE, COMPOSITION_KEYS } from './chart-style.js';

export type Rendered =
  | { readonly ok: true; readonly svg: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Fonts of the memo, a palette readable in greyscale, no background (the page's). */
const CONFIG: Config = {
  background: 'transparent',
  aria: false,
  font: CHART_FONT,
  padding: 4,
  view: { continuousWidth: 440, continuousHeight: 220, discreteWidth: 440, stroke: null },
  range: { category: [...CHART_PALETTE] },
  mark: { color: CHART_PALETTE[0] },
  axis: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    labelColor: '#222',
    titleColor: '#222',
    gridColor: '#e4e4e4',
    domainColor: '#666',
    tickColor: '#666',
  },
  axisX: { labelAngle: 0 },
  scale: { bandPaddingInner: 0.3 },
  legend: { labelLimit: 0, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600 },
  title: { fontSize: 13, fontWeight: 600, anchor: 'start' },
  line: { strokeWidth: 2 },
  point: { size: 40, filled: true },
};

/** Vega's and Vega-Lite's log, kept (warnings) instead of printed: library code never prints. */
function collector(warnings: string[]) {
  const logger = {
    level: () => logger,
    error: (...items: unknown[]) => {
      warnings.push(items.map(String).join(' '));
      return logger;
    },
    warn: (...items: unknown[]) => {
      warnings.push(items.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

function refused(): Promise<never> {
  return Promise.reject(new Error('a chart may not load anything'));
}

/** A loader that loads nothing: every byte a chart shows was read before (chart-data.ts). */
const OFFLINE: Loader = {
  load: refused,
  sanitize: refused,
  http: refused,
  file: refused,
};

/** A spec Vega-Lite can be asked to compile: an object that draws something. */
function isTopLevelSpec(spec: Spec): spec is Spec & TopLevelSpec {
  return COMPOSITION_KEYS.some((key) => key in spec);
}

/** Vega-Lite's reasons can quote the whole spec: cut short in a message. */
const MAX_SAID = 240;

function plain(error: unknown): string {
  if (error instanceof TypeError || error instanceof RangeError || !(error instanceof Error))
    return "Vega-Lite could not read this chart: check the mark type, and each encoding's `field` and `type` (see docs/charts.md)";
  const said = error.message
    .replace(
      /^Invalid specification \{.*\}\.\s*/s,
      'a part of the chart (a layer or a panel) is incomplete. ',
    )
    .replace(/\s+/g, ' ')
    .trim();
  return `Vega-Lite could not draw this chart: ${said.length > MAX_SAID ? `${said.slice(0, MAX_SAID - 1)}…` : said}`;
}

export async function renderChart(spec: Spec): Promise<Rendered> {
  if (!isTopLevelSpec(spec))
    return {
      ok: false,
      reason:
        'the chart has no `mark` (such as `"mark": "bar"` or `"mark": "line"`), so it draws nothing',
    };
  const warnings: string[] = [];
  const logger = collector(warnings);
  let view: View | undefined;
  try {
    const vega = compile(spec, { config: CONFIG, logger }).spec;
    view = new View(parse(vega, undefined, { ast: true }), {
      renderer: 'none',
      loader: OFFLINE,
      expr: expressionInterpreter,
      logger,
      logLevel: 2, // warnings
    });
    const svg = await view.toSVG();
    return { ok: true, svg, warnings: [...new Set(warnings)] };
  } catch (error) {
    return { ok: false, reason: plain(error) };
  } finally {
    view?.finalize();
  }
}
