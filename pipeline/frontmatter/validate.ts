/**
 * Parse the YAML front matter as data only and validate it against the schema.
 * Every YAML error and every schema issue becomes a message at the line and
 * column of the key (or value) the writer sees in the editor: one message per
 * cause (yaml-syntax.ts explains the first syntax error; a schema issue that
 * follows from a problem already reported is left out).
 */
import type { VFile } from 'vfile';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import type { core as zodCore } from 'zod';
import { fail, warn } from '../messages.js';
import { FRONT_MATTER_KEYS, RECOMMENDATION_KEYS, frontMatterSchema } from './schema.js';
import type { FrontMatter, FrontMatterSchema } from './schema.js';
import { describeIssue, fieldName } from './describe-issue.js';
import { applyInherited } from './inherit.js';
import type { Inherited } from './inherit.js';
import { keyPlaces, placeKey } from './key-places.js';
import type { KeyPlaces } from './key-places.js';
import { readRecommendationIds } from './recommendation-ids.js';
import { didYouMean, suggest } from './suggest.js';
import { explainYamlErrors } from './yaml-syntax.js';
import { treeProblems } from './yaml-tree.js';

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

interface Reporting {
  readonly file: VFile;
  readonly located: Located;
  readonly data: unknown;
  readonly places: KeyPlaces;
  readonly inherited: { readonly keys: ReadonlySet<string>; readonly source: string };
  /** Values a message already covers: issues at or under them follow from it. */
  readonly covered: readonly (readonly PropertyKey[])[];
  /** Fields an unknown key most likely meant (`auther` → `author`): not also "missing". */
  readonly meant: ReadonlySet<string>;
}

const startsWith = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean =>
  prefix.every((segment, index) => path[index] === segment);

/** The field(s) a "missing" issue is about, as dotted paths. */
function missingFields(issue: zodCore.$ZodIssue): string[] {
  if (issue.code === 'custom' && issue.message === 'author-missing') return ['author', 'authors'];
  return [placeKey(issue.path)];
}

function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  return path.includes('recommendations') ? RECOMMENDATION_KEYS : FRONT_MATTER_KEYS;
}

/** The fields that unknown keys most likely stand for. */
function meantFields(issues: readonly zodCore.$ZodIssue[]): Set<string> {
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) {
      const best = didYouMean(key, knownKeys(issue.path));
      if (best !== undefined) meant.add(placeKey([...issue.path, best]));
    }
  }
  return meant;
}

function reportIssue(reporting: Reporting, issue: zodCore.$ZodIssue): void {
  const { file, located, places } = reporting;
  const path = issue.path;
  if (reporting.covered.some((prefix) => startsWith(path, prefix))) return;
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      fail(
        file,
        `unknown field \`${key}\`; ${suggest(key, knownKeys(path))}`,
        placeOf(located, [...path, key], true),
        'frontmatter-unknown-field',
      );
    }
    return;
  }
  const atKey = issue.code === 'custom' && issue.message === 'author-both';
  const described = describeIssue(issue, reporting.data);
  if (described.ruleId === 'frontmatter-required') {
    const fields = missingFields(issue);
    if (fields.some((field) => reporting.meant.has(field))) return;
    const written = fields.find((field) => places[field] !== undefined);
    if (written !== undefined) {
      // `title:` with nothing after it: point at the key the writer sees.
      fail(
        file,
        `${fieldName(written.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)))} has no value; write it after the \`:\``,
        places[written],
        'frontmatter-empty',
      );
      return;
    }
  }
  const top = described.path[0];
  const from =
    typeof top === 'string' && reporting.inherited.keys.has(top)
      ? ` (inherited from ${reporting.inherited.source})`
      : '';
  fail(
    file,
    `${described.reason}${from}`,
    placeOf(located, described.path, atKey),
    described.ruleId,
  );
}

/** One message for the first cause of the YAML syntax errors. */
function reportSyntax(file: VFile, located: Located, yaml: string): void {
  const { doc } = located;
  const problem = explainYamlErrors(yaml, doc.errors, located.yamlLine);
  if (problem !== undefined) {
    fail(file, problem.reason, pointOf(located, problem.offset), problem.ruleId);
    return;
  }
  const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0];
  const reason = first?.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
  fail(
    file,
    `the front matter cannot be read here (${reason ?? 'syntax error'}); check this line against the others: \`name: value\`, lists as \`- item\` lines indented under their field`,
    pointOf(located, first?.pos[0] ?? 0),
    'frontmatter-yaml',
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
    // An unknown tag (`!!js/function`) stays text; the yaml package would also warn on stderr.
    logLevel: 'error',
  });
  const located: Located = { doc, lines, yamlLine };
  const ids = readRecommendationIds(doc);
  if (ids !== undefined) file.data.recommendationIds = ids;
  if (doc.errors.length > 0) {
    reportSyntax(file, located, yaml);
    return undefined;
  }
  const problems = treeProblems(doc.contents, yaml);
  for (const problem of problems) {
    const report = problem.fatal ? fail : warn;
    report(file, problem.reason, pointOf(located, problem.offset), problem.ruleId);
  }
  const data = toData(doc.contents);
  if (data === undefined) {
    fail(
      file,
      'the front matter is empty: write the fields `title`, `author`, `organization` and `date` between the `---` lines, one `name: value` per line',
      { line: yamlLine, column: 1 },
      'frontmatter-shape',
    );
    return undefined;
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail(
      file,
      'front matter must be fields, one `name: value` per line, such as `title: …`',
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
  const fatal = problems.filter((problem) => problem.fatal);
  if (result.success) return fatal.length === 0 ? result.data : undefined;
  const reporting: Reporting = {
    file,
    located,
    data: applied.data,
    places,
    inherited: { keys: applied.inheritedKeys, source: options.inherited?.source ?? '' },
    covered: fatal.map((problem) => problem.path),
    meant: meantFields(result.error.issues),
  };
  for (const issue of result.error.issues) reportIssue(reporting, issue);
  return undefined;
}
