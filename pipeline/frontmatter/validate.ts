/**
 * Parse the YAML front matter as data only and validate it against the schema.
 * Every YAML error and every schema issue becomes a message at the line and
 * column of the key (or value) the writer sees in the editor.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { VFile } from 'vfile';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { core as zodCore } from 'zod';
import { fail } from '../messages.js';
import { FRONT_MATTER_KEYS, RECOMMENDATION_KEYS, frontMatterSchema } from './schema.js';
import type { FrontMatter, FrontMatterSchema } from './schema.js';
import { describeIssue } from './describe-issue.js';
import { applyInherited } from './inherit.js';
import type { Inherited } from './inherit.js';
import { keyPlaces } from './key-places.js';

export interface FrontMatterOptions {
  /** Default: the built-in templates only (see `createFrontMatterSchema`). */
  readonly schema?: FrontMatterSchema;
  /** Defaults and distribution lists from the project config. */
  readonly inherited?: Inherited;
}

type PathKey = PropertyKey;

interface Located {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly yamlLine: number;
}

/** Convert the YAML tree to plain data; empty values (`subtitle:`) count as absent. */
function toData(node: unknown): unknown {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const value = toData(pair.value);
      // defineProperty, not `out[key] =`: a `__proto__:` key must be an own
      // field (reported as unknown), not the object's prototype (whose fields
      // would slip past the unknown-field check).
      if (value !== undefined)
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toData(item) ?? '');
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === '') return undefined;
    return String(value);
  }
  return undefined;
}

/** The YAML node at `path`, and whether to point at its key. */
function locate(doc: Document, path: readonly PathKey[], atKey: boolean): YamlNode | undefined {
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return isMap(node) ? (node as YamlNode) : undefined;
      keyNode = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return node as YamlNode;
      node = item;
    } else {
      break;
    }
  }
  const chosen = atKey && keyNode !== undefined ? keyNode : node;
  return chosen !== null && typeof chosen === 'object' && 'range' in chosen
    ? (chosen as YamlNode)
    : undefined;
}

function pointOf(located: Located, offset: number) {
  const { line, col } = located.lines.linePos(offset);
  return { line: line + located.yamlLine - 1, column: col };
}

function placeOf(located: Located, path: readonly PathKey[], atKey: boolean) {
  const node = locate(located.doc, path, atKey);
  const offset = node?.range?.[0];
  return pointOf(located, offset ?? 0);
}

/** "did you mean `author`?" when a known name is close, else the list of known names. */
export function suggest(key: string, known: readonly string[]): string {
  const best = closest(key, [...known]);
  if (distance(key, best) <= Math.max(1, Math.floor(best.length / 3)))
    return `did you mean \`${best}\`?`;
  return `expected one of: ${known.join(', ')}`;
}

function reportIssue(
  file: VFile,
  located: Located,
  issue: zodCore.$ZodIssue,
  data: unknown,
  inherited: { readonly keys: ReadonlySet<string>; readonly source: string },
): void {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = path.includes('recommendations') ? RECOMMENDATION_KEYS : FRONT_MATTER_KEYS;
    for (const key of issue.keys) {
      fail(
        file,
        `unknown field \`${key}\`; ${suggest(key, known)}`,
        placeOf(located, [...path, key], true),
        'frontmatter-unknown-field',
      );
    }
    return;
  }
  const atKey = issue.code === 'custom' && issue.message === 'author-both';
  const described = describeIssue(issue, data);
  const top = described.path[0];
  const from =
    typeof top === 'string' && inherited.keys.has(top)
      ? ` (inherited from ${inherited.source})`
      : '';
  fail(
    file,
    `${described.reason}${from}`,
    placeOf(located, described.path, atKey),
    described.ruleId,
  );
}

export function validateFrontMatter(
  file: VFile,
  yaml: string,
  yamlLine: number,
  options: FrontMatterOptions = {},
): FrontMatter | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, {
    schema: 'failsafe',
    // Explicit tags (`!!binary`, `!!timestamp`, `!!set`…) would otherwise still be
    // resolved to bytes, dates and sets: every value stays the text written.
    resolveKnownTags: false,
    lineCounter: lines,
    uniqueKeys: true,
  });
  const located: Located = { doc, lines, yamlLine };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
      fail(
        file,
        `invalid YAML in front matter: ${reason ?? 'syntax error'}`,
        pointOf(located, error.pos[0]),
        'frontmatter-yaml',
      );
    }
    return undefined;
  }
  const data = toData(doc.contents);
  if (data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    fail(
      file,
      'front matter must be YAML fields (`key: value` lines), such as `title: …`',
      { line: yamlLine, column: 1 },
      'frontmatter-shape',
    );
    return undefined;
  }
  const places = keyPlaces(doc.contents, lines, yamlLine);
  file.data.frontMatterPlaces = places;
  const applied =
    options.inherited === undefined
      ? { data, inheritedKeys: new Set<string>() }
      : applyInherited(file, { ...data }, options.inherited, places);
  const result = (options.schema ?? frontMatterSchema).safeParse(applied.data);
  if (result.success) return result.data;
  const inherited = { keys: applied.inheritedKeys, source: options.inherited?.source ?? '' };
  for (const issue of result.error.issues)
    reportIssue(file, located, issue, applied.data, inherited);
  return undefined;
}
