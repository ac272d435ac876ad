/**
 * How charts look, and what a chart's spec must name: the memo's sans-serif
 * face, a palette whose colours stay apart in greyscale print, and a second
 * cue for each series of lines (dashes) and points (shapes). Kept apart from
 * chart-render.ts so that checking a spec never loads Vega.
 */
import { z } from 'zod';
import type { Spec } from './chart-spec.js';

/** The face the templates use for headings and tables (render/fonts.ts SANS_FAMILY). */
export const CHART_FONT = "'Source Sans 3', sans-serif";

/**
 * Five colours, in order of use, whose lightness (CIE L*) is 17, 71, 51, 85
 * and 36: any two differ by 14 or more, so series stay apart when printed in
 * grey. Past five, series are told apart by dashes and shapes.
 */
export const CHART_PALETTE = ['#1b2a4a', '#e69f00', '#4f7cac', '#b8dbe8', '#8c3b2a'] as const;

/** Top-level keys of a Vega-Lite spec that draws something. */
export const COMPOSITION_KEYS = [
  'mark',
  'layer',
  'facet',
  'repeat',
  'concat',
  'hconcat',
  'vconcat',
] as const;

export const MARKS = [
  'arc',
  'area',
  'bar',
  'boxplot',
  'circle',
  'errorband',
  'errorbar',
  'geoshape',
  'line',
  'point',
  'rect',
  'rule',
  'square',
  'text',
  'tick',
  'trail',
] as const;

const Mark = z.union([z.string(), z.object({ type: z.string() }).loose()]);
const Channel = z.object({ field: z.string() }).loose();
const Encoding = z.record(z.string(), z.unknown());

/** The mark type a (unit) spec names, if it names one. */
export function markType(spec: Spec): string | undefined {
  const mark = Mark.safeParse(spec['mark']);
  if (!mark.success) return undefined;
  return typeof mark.data === 'string' ? mark.data : mark.data.type;
}

/** The second cue each mark gets for its colour's series. */
const SECOND_CUE: Record<string, string> = {
  line: 'strokeDash',
  trail: 'strokeDash',
  point: 'shape',
};

/**
 * The spec, with a dash pattern (lines) or a shape (points) following the
 * colour's field wherever the writer coloured by a field and set neither:
 * colour alone may not survive greyscale print. Layers are handled too.
 */
export function withSecondCues(spec: Spec): Spec {
  const layers = spec['layer'];
  const out: Spec = Array.isArray(layers)
    ? {
        ...spec,
        layer: layers.map((layer) => {
          const parsed = z.record(z.string(), z.unknown()).safeParse(layer);
          return parsed.success ? withSecondCues(parsed.data) : layer;
        }),
      }
    : { ...spec };
  const type = markType(spec);
  const cue = type === undefined ? undefined : SECOND_CUE[type];
  const encoding = Encoding.safeParse(spec['encoding']);
  if (cue === undefined || !encoding.success || cue in encoding.data) return out;
  const color = Channel.safeParse(encoding.data['color']);
  if (!color.success) return out;
  const { field, type: fieldType } = color.data;
  out['encoding'] = {
    ...encoding.data,
    [cue]: { field, ...(fieldType === undefined ? {} : { type: fieldType }) },
  };
  return out;
}

const Unit = z.object({ unit: z.string() }).loose();
const SpecObject = z.record(z.string(), z.unknown());

/** `yearmonth` → `utcyearmonth`: a time unit read in UTC, whatever the machine's time zone. */
function utcUnit(unit: unknown): unknown {
  if (typeof unit === 'string') return unit.startsWith('utc') ? unit : `utc${unit}`;
  const parsed = Unit.safeParse(unit);
  return parsed.success ? { ...parsed.data, unit: utcUnit(parsed.data.unit) } : unit;
}

/**
 * The spec with every date read and shown in UTC (time units `utc…`, temporal
 * scales `utc`): a date such as `2021-03-01` is midnight UTC, and shown in the
 * machine's time zone it would be the day before west of Greenwich. So a
 * chart is the same on every machine. Inline rows are left as they are.
 */
export function inUtc(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inUtc);
  const parsed = SpecObject.safeParse(value);
  if (!parsed.success) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(parsed.data)) {
    if (key === 'values' || key === 'datasets') out[key] = item;
    else if (key === 'timeUnit') out[key] = utcUnit(item);
    else out[key] = inUtc(item);
  }
  if (out['type'] === 'temporal') {
    const scale = SpecObject.safeParse(out['scale'] ?? {});
    if (scale.success && scale.data['type'] === undefined)
      out['scale'] = { ...scale.data, type: 'utc' };
  }
  return out;
}
