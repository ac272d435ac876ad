/**
 * The text blocks of a version published before its manifest stored them
 * (`memo.blocks`, from the pipeline's rehype-memo-blocks.ts): read back from
 * its memo.html, whose body and notes the built-in templates mark with the
 * `memo-body` and `footnotes` classes (else the whole `<main>`).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { TextBlock } from '../unified/data.js';
import { textBlocksOf } from '../unified/rehype-memo-blocks.js';

function hasClass(node: Element, name: string): boolean {
  const value = node.properties['className'];
  return Array.isArray(value) && value.includes(name);
}

function findAll(
  node: Element | Root,
  test: (element: Element) => boolean,
  out: Element[] = [],
): Element[] {
  for (const child of node.children as (ElementContent | RootContent)[]) {
    if (child.type !== 'element') continue;
    if (test(child)) out.push(child);
    else findAll(child, test, out);
  }
  return out;
}

/** The body and notes of a memo page as text blocks, in reading order. */
export function textBlocks(html: string): TextBlock[] {
  const tree = fromHtml(html);
  let regions = findAll(
    tree,
    (node) =>
      hasClass(node, 'memo-body') || (node.tagName === 'section' && hasClass(node, 'footnotes')),
  );
  if (regions.length === 0) regions = findAll(tree, (node) => node.tagName === 'main');
  return textBlocksOf(regions);
}
