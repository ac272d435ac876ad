/**
 * The text of a ```` ```chart ```` block read as a Vega-Lite spec: JSON when
 * it starts with `{`, YAML otherwise. Every problem is placed at its line and
 * column in the memo, inside the block.
 */
import { isMap, isNode, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { Point } from 'unist';
import { z } from 'zod';
import { pointAt } from '../messages.js';
import { explainYamlErrors } from '../frontmatter/yaml-syntax.js';

/** Where a chart block sits in the memo. */
export interface ChartBlock {
  /** The spec as the writer typed it (the block's content). */
  readonly text: string;
  /** The fence line (```` ```chart ````): where problems of the whole chart are reported. */
  readonly start: Point;
  /** Line in the memo of the content's first line. */
  readonly firstLine: number;
  /** Columns before the content in the memo (a block inside a list item is indented). */
  readonly indent: number;
}

export type Spec = Record<string, unknown>;

export interface ParsedSpec {
  readonly spec: Spec;
  /** Offset in the block's text of the value at `path`, when known. */
  readonly offsetOf: (path: readonly (string | number)[]) => number | undefined;
}

export type Parsed =
  | { readonly ok: true; readonly value: ParsedSpec }
  | { readonly ok: false; readonly reason: string; readonly offset: number };

/** The memo point of an offset in the block's text. */
export function blockPoint(block: ChartBlock, offset: number | undefined): Point {
  if (offset === undefined) return block.start;
  const inner = pointAt(block.text, offset);
  return { line: block.firstLine + inner.line - 1, column: inner.column + block.indent };
}

const JSON_DETAIL = /\s+in JSON at position \d+(?:\s*\(line \d+ column \d+\))?$/;

function jsonProblem(text: string, error: unknown): { reason: string; offset: number } {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  const end = text.trimEnd().length;
  const offset = at?.[1] !== undefined ? Number(at[1]) : /end of JSON/i.test(message) ? end : 0;
  const what = /end of JSON/i.test(message)
    ? 'the JSON ends too early'
    : message.replace(JSON_DETAIL, '').replace(/, ".*" is not valid JSON$/s, '');
  const said = what.charAt(0).toLowerCase() + what.slice(1);
  return {
    reason: `the chart is not valid JSON here (${said}): check for a missing or extra comma, quote or brace, or write the chart in YAML`,
    offset: Math.min(offset, end),
  };
}

function offsetsIn(document: Document | undefined) {
  return (path: readonly (string | number)[]): number | undefined => {
    if (document === undefined) return undefined;
    const node = path.length === 0 ? document.contents : document.getIn(path, true);
    return isNode(node) ? node.range?.[0] : undefined;
  };
}

function asSpec(value: unknown): Spec | undefined {
  const parsed = z.record(z.string(), z.unknown()).safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const NOT_A_SPEC =
  'a chart block holds a Vega-Lite spec: fields such as `title`, `description`, `data`, `mark` and `encoding` (see docs/charts.md)';

/** Parse the block's text; on failure, the plain reason and where in the text. */
export function parseSpec(text: string): Parsed {
  if (text.trim() === '')
    return { ok: false, reason: `the chart block is empty; ${NOT_A_SPEC}`, offset: 0 };
  if (text.trimStart().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, ...jsonProblem(text, error) };
    }
    const spec = asSpec(value);
    if (spec === undefined) return { ok: false, reason: NOT_A_SPEC, offset: 0 };
    // JSON is YAML: its tree gives the places (when it reads as YAML; else the block's line).
    const document = parseDocument(text, { uniqueKeys: false });
    const placed = document.errors.length === 0 ? document : undefined;
    return { ok: true, value: { spec, offsetOf: offsetsIn(placed) } };
  }
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const problem = explainYamlErrors(text, document.errors, 1);
    const first = document.errors[0];
    return {
      ok: false,
      reason: `the chart's YAML is not valid: ${(problem?.reason ?? first?.message ?? 'it could not be read').replaceAll('the front matter', 'the chart')}`,
      offset: problem?.offset ?? first?.pos[0] ?? 0,
    };
  }
  const spec = isMap(document.contents) ? asSpec(document.toJS()) : undefined;
  if (spec === undefined) return { ok: false, reason: NOT_A_SPEC, offset: 0 };
  return { ok: true, value: { spec, offsetOf: offsetsIn(document) } };
}

const TextOrLines = z.union([z.string(), z.array(z.string())]);
const Words = z.object({
  title: z.union([TextOrLines, z.object({ text: TextOrLines }).loose()]).optional(),
  description: z.string().optional(),
  name: z.string().optional(),
});

export interface ChartWords {
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly name: string | undefined;
}

function joined(value: string | readonly string[] | undefined): string | undefined {
  const text = (typeof value === 'string' ? value : value?.join(' '))?.replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

/** The chart's title, description and name, each undefined when missing, blank or not text. */
export function chartWords(spec: Spec): ChartWords {
  const parsed = Words.safeParse({
    title: spec['title'],
    description: spec['description'],
    name: spec['name'],
  });
  if (!parsed.success) {
    const valid = (key: 'title' | 'description' | 'name') =>
      Words.shape[key].safeParse(spec[key]).success ? spec[key] : undefined;
    return chartWords({
      title: valid('title'),
      description: valid('description'),
      name: valid('name'),
    });
  }
  const { title, description, name } = parsed.data;
  return {
    title: joined(typeof title === 'object' && !Array.isArray(title) ? title.text : title),
    description: joined(description),
    name: joined(name),
  };
}
