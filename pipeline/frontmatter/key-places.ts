/**
 * Where each key of a parsed YAML (or JSON) document is: a map from the key's
 * dotted path (`title`, `recommendations.1.id`, `distributionLists.nsc`) to the
 * line and column of the key (of the item, for list items), as the editor
 * shows them. Later stages use it to put a message on a front matter field
 * (`file.data.frontMatterPlaces`); the project config uses it for its errors.
 */
import type { Point } from 'unist';
import { isMap, isScalar, isSeq } from 'yaml';
import type { LineCounter } from 'yaml';

export type KeyPlaces = Record<string, Point>;

/** `['recommendations', 1, 'id']` → `recommendations.1.id`. */
export function placeKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function pointOf(lines: LineCounter, offset: number, firstLine: number): Point {
  const { line, col } = lines.linePos(offset);
  return { line: line + firstLine - 1, column: col };
}

function walk(
  node: unknown,
  prefix: string,
  lines: LineCounter,
  firstLine: number,
  into: KeyPlaces,
): void {
  const join = (key: string) => (prefix === '' ? key : `${prefix}.${key}`);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || pair.key.range === undefined || pair.key.range === null) continue;
      const path = join(String(pair.key.value));
      into[path] ??= pointOf(lines, pair.key.range[0], firstLine);
      walk(pair.value, path, lines, firstLine, into);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const path = join(String(index));
      const range = isMap(item) || isSeq(item) || isScalar(item) ? item.range : undefined;
      if (range !== undefined && range !== null) into[path] = pointOf(lines, range[0], firstLine);
      walk(item, path, lines, firstLine, into);
    });
  }
}

/**
 * The places of every key under `root` (a parsed document's `contents`).
 * `firstLine` is the file line of the text's first line (2 for front matter
 * after its `---` line, 1 for a config file).
 */
export function keyPlaces(root: unknown, lines: LineCounter, firstLine: number): KeyPlaces {
  const places: KeyPlaces = {};
  walk(root, '', lines, firstLine, places);
  return places;
}
