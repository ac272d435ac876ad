/**
 * The memo's own elements (`aside.next-steps`, `p.next-steps-label`,
 * `a.rec-ref`) are made here, after the writer's raw HTML is sanitized, so the
 * sanitize schema allows none of them and a new directive needs no schema edit.
 *
 * A directive's Markdown node is marked with `markMemoElement`: it goes
 * through remark-rehype, rehype-raw and rehype-sanitize as a neutral element
 * (`div`, `p`, `a`), and its source start point is recorded in
 * `file.data.memoElements`. Writer HTML cannot forge a mark: its elements start
 * inside the raw HTML, never where a directive (`:::next-steps`, `:rec`) starts.
 */
import type { Element, Root } from 'hast';
import type { Node } from 'mdast';
import type { Point } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { MemoElementMark } from './data.js';

export interface MemoElement {
  /** The element the node goes through sanitizing as: `div`, `p`, `a`… */
  readonly neutral: string;
  /** What it becomes after sanitizing. */
  readonly tagName: string;
  readonly className: readonly string[];
}

function key(tagName: string, point: Point): string {
  return `${tagName}@${point.line}:${point.column}:${point.offset ?? ''}`;
}

/**
 * Make `node` one of the memo's own elements. A node without a source position
 * is placed at `at` (a point of the directive it belongs to, such as its start)
 * with no width; without either it stays the neutral element.
 */
export function markMemoElement(
  file: VFile,
  node: Node,
  element: MemoElement,
  at?: Point | undefined,
): void {
  if (node.position === undefined && at !== undefined) {
    node.position = { start: { ...at }, end: { ...at } };
  }
  node.data = { ...node.data, hName: element.neutral };
  const start = node.position?.start;
  if (start === undefined) return;
  (file.data.memoElements ??= []).push({
    start: { line: start.line, column: start.column, offset: start.offset },
    neutral: element.neutral,
    tagName: element.tagName,
    className: [...element.className],
  });
}

export default function rehypeMemoElements() {
  return (tree: Root, file: VFile): undefined => {
    const marks = new Map<string, MemoElementMark>();
    for (const mark of file.data.memoElements ?? []) marks.set(key(mark.neutral, mark.start), mark);
    if (marks.size === 0) return;
    visit(tree, 'element', (node: Element) => {
      const start = node.position?.start;
      const mark = start === undefined ? undefined : marks.get(key(node.tagName, start));
      if (mark === undefined) return;
      node.tagName = mark.tagName;
      node.properties['className'] = [...mark.className];
    });
  };
}
