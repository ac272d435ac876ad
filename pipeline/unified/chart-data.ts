/**
 * A chart's data files, read before Vega sees the spec: every `data` with a
 * `url` (at the top, in a layer, in a lookup…) must name a CSV, TSV or JSON
 * file in the memo's folder or below it, read with the bounded reader and
 * handed to Vega inline (`values` and `format`). A URL, an absolute path, a
 * `../` way out or a symbolic link leading out is an error, and so is any
 * other reference Vega would follow (an `href` link, an `image` mark's `url`):
 * Vega's loader refuses everything, so the chart is drawn offline from what
 * was read here.
 */
import path from 'node:path';
import { z } from 'zod';
import { readBoundedSync } from '../io/read-bounded.js';
import type { Spec } from './chart-spec.js';
import { resolveInside } from './rehype-memo-images.js';

const MB = 1024 * 1024;
/** One data file: far more rows than a chart can show. */
export const MAX_DATA_BYTES = 5 * MB;

const TYPES: Record<string, string> = { '.csv': 'csv', '.tsv': 'tsv', '.json': 'json' };

export type SpecPath = readonly (string | number)[];

export interface DataProblem {
  readonly reason: string;
  /** Where in the spec (a path to the value at fault). */
  readonly at: SpecPath;
  readonly ruleId: 'chart-data' | 'chart-spec';
}

export interface DataResult {
  /** The spec with every data file inlined (a copy; the writer's spec is untouched). */
  readonly spec: Spec;
  /** The files read, absolute. */
  readonly files: readonly string[];
  readonly problems: readonly DataProblem[];
}

const Record_ = z.record(z.string(), z.unknown());
const Format = z.object({ type: z.string().optional() }).loose();

function shown(url: string): string {
  return url.length <= 80 ? url : `${url.slice(0, 79)}…`;
}

function urlProblem(url: string): string | undefined {
  const name = `chart data \`${shown(url)}\``;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//'))
    return `${name} is not a file beside the memo: a memo is built offline, so save the data as a CSV or JSON file in the memo's folder and give its name, as in \`"url": "arrests.csv"\``;
  return undefined;
}

interface Reader {
  readonly folder: string;
  readonly files: string[];
  readonly problems: DataProblem[];
}

function readData(reader: Reader, url: string, at: SpecPath): string | undefined {
  const name = `chart data \`${shown(url)}\``;
  const problem = (reason: string) => {
    reader.problems.push({ reason, at, ruleId: 'chart-data' });
    return undefined;
  };
  const scheme = urlProblem(url);
  if (scheme !== undefined) return problem(scheme);
  const target = resolveInside(reader.folder, url);
  if (target === undefined)
    return problem(
      `${name} is outside the memo's folder: a chart's data must be a file in the folder of the memo or below it`,
    );
  const read = readBoundedSync(target, MAX_DATA_BYTES);
  if (!read.ok) {
    if (read.problem === 'missing') return problem(`${name} was not found in the memo's folder`);
    if (read.problem === 'too-large')
      return problem(
        `${name} is larger than ${MAX_DATA_BYTES / MB} MB; keep only the rows the chart shows`,
      );
    if (read.problem === 'not-a-file')
      return problem(`${name} is not a regular file (it is a folder, a device or a pipe)`);
    return problem(`${name} could not be read: check that you are allowed to open it`);
  }
  reader.files.push(target);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    return problem(`${name} is not UTF-8 text: save it again as "CSV UTF-8"`);
  }
}

/** `data` with its `url` replaced by the file's text, or undefined (with the problem recorded). */
function inlineData(reader: Reader, data: Record<string, unknown>, at: SpecPath) {
  const url = data['url'];
  if (typeof url !== 'string' || url.trim() === '') {
    reader.problems.push({
      reason:
        'a chart\'s `data.url` must be the name of a data file beside the memo, as in `"url": "arrests.csv"`',
      at: [...at, 'url'],
      ruleId: 'chart-data',
    });
    return undefined;
  }
  const parsedFormat = Format.safeParse(data['format'] ?? {});
  const format = parsedFormat.success ? parsedFormat.data : {};
  const type = format.type ?? TYPES[path.extname(url.split(/[?#]/)[0] ?? '').toLowerCase()];
  if (type === undefined) {
    reader.problems.push({
      reason: `chart data \`${shown(url)}\` is not a .csv, .tsv or .json file: save the data as CSV, or give its \`format\`, as in \`"format": {"type": "csv"}\``,
      at: [...at, 'url'],
      ruleId: 'chart-data',
    });
    return undefined;
  }
  const text = readData(reader, url, [...at, 'url']);
  if (text === undefined) return undefined;
  const rest = Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'url'));
  return { ...rest, values: text, format: { ...format, type } };
}

/** Keys that make Vega fetch or link to something; refused wherever they are left. */
const REFERENCES = new Set(['url', 'href']);
/** Inline rows (`data.values`, named `datasets`): data, never followed. */
const INLINE = new Set(['values', 'datasets']);

function walk(reader: Reader, value: unknown, at: SpecPath): unknown {
  if (Array.isArray(value)) return value.map((item, index) => walk(reader, item, [...at, index]));
  const object = Record_.safeParse(value);
  if (!object.success) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object.data)) {
    const data = key === 'data' ? Record_.safeParse(item) : undefined;
    if (data?.success === true && 'url' in data.data) {
      out[key] = inlineData(reader, data.data, [...at, key]);
      continue;
    }
    if (INLINE.has(key)) {
      out[key] = item; // rows, not spec: a column may well be called `url`
      continue;
    }
    if (REFERENCES.has(key)) {
      reader.problems.push({
        reason: `a chart cannot hold \`${key}\` here: a chart is a drawing, made offline from data files beside the memo, without links or pictures from elsewhere; remove \`${key}\``,
        at: [...at, key],
        ruleId: 'chart-spec',
      });
      continue;
    }
    out[key] = walk(reader, item, [...at, key]);
  }
  return out;
}

/** Read every data file `spec` names from `folder`; the spec to draw, with its data inline. */
export function resolveChartData(spec: Spec, folder: string): DataResult {
  const reader: Reader = { folder, files: [], problems: [] };
  const walked = Record_.safeParse(walk(reader, spec, []));
  return {
    spec: walked.success ? walked.data : {},
    files: reader.files,
    problems: reader.problems,
  };
}
