/**
 * The memo's text as a reader sees it, cut into blocks (headings, paragraphs,
 * list items, table rows, notes), in `file.data.blocks`: what `memo diff`
 * compares between published versions (stored in each version's manifest).
 *
 * Made from the rendered body and its notes (after rehype-memo-parts), so the
 * redline shows what readers of the two versions read (typographic quotes,
 * "Recommendation 2: <title>" for `:rec{#id title}`, numbered notes), with no
 * markup noise (`**`, link URLs, reflowed lines).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import type { BlockKind, TextBlock } from './data.js';

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const LEAF_BLOCKS: Record<string, BlockKind> = {
  p: 'paragraph',
  li: 'item',
  pre: 'code',
  dt: 'term',
  dd: 'definition',
  figcaption: 'caption',
  caption: 'caption',
};
/** Elements whose content never reads as text. */
const SKIPPED = new Set(['script', 'style', 'template', 'noscript']);
/** Containers: their blocks are collected, they add no text of their own. */
const CONTAINERS = new Set([
  'ul',
  'ol',
  'dl',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'blockquote',
  'div',
  'section',
  'aside',
  'figure',
  'article',
  'details',
  'summary',
  'hr',
]);

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

function isBlock(node: Element): boolean {
  return (
    node.tagName in HEADINGS ||
    node.tagName in LEAF_BLOCKS ||
    CONTAINERS.has(node.tagName) ||
    node.tagName === 'tr'
  );
}

/** Inline text of `node`; nested blocks are handed to `nested` instead. */
function inlineText(node: Element | Root, nested: Element[]): string {
  let text = '';
  for (const child of node.children as (ElementContent | RootContent)[]) {
    if (child.type === 'text') text += child.value;
    if (child.type !== 'element' || SKIPPED.has(child.tagName)) continue;
    if ('dataFootnoteBackref' in child.properties) continue;
    if (isBlock(child)) nested.push(child);
    else if (child.tagName === 'br') text += ' ';
    else if (child.tagName === 'img')
      text +=
        typeof child.properties['alt'] === 'string' && child.properties['alt'] !== ''
          ? ` [image: ${child.properties['alt']}] `
          : '';
    else if ('dataFootnoteRef' in child.properties) text += `[${normalize(inlineText(child, []))}]`;
    else text += inlineText(child, nested);
  }
  return text;
}

function collect(node: Element, inQuote: boolean, out: TextBlock[]): void {
  if (SKIPPED.has(node.tagName)) return;
  const nested: Element[] = [];
  const level = HEADINGS[node.tagName];
  if (node.tagName === 'tr') {
    const cells = node.children.filter((cell): cell is Element => cell.type === 'element');
    const text = cells.map((cell) => normalize(inlineText(cell, []))).join(' | ');
    if (normalize(text.replaceAll('|', '')) !== '') out.push({ kind: 'row', level: 0, text });
    return;
  }
  const kind = level !== undefined ? 'heading' : LEAF_BLOCKS[node.tagName];
  if (kind === undefined) {
    inlineText(node, nested);
  } else {
    const text = normalize(inlineText(node, nested));
    if (text !== '')
      out.push({ kind: kind === 'paragraph' && inQuote ? 'quote' : kind, level: level ?? 0, text });
  }
  for (const child of nested) collect(child, inQuote || node.tagName === 'blockquote', out);
}

/** The text blocks of `regions` (a body, its notes…), in reading order. */
export function textBlocksOf(regions: readonly (Element | Root)[]): TextBlock[] {
  const out: TextBlock[] = [];
  for (const region of regions) {
    const element: Element =
      region.type === 'element'
        ? region
        : { type: 'element', tagName: 'div', properties: {}, children: elementContent(region) };
    collect(element, false, out);
  }
  return out;
}

function elementContent(root: Root): ElementContent[] {
  return root.children.filter((child): child is ElementContent => child.type !== 'doctype');
}

export default function rehypeMemoBlocks() {
  return (tree: Root, file: VFile): undefined => {
    const notes = file.data.notes;
    file.data.blocks = textBlocksOf(notes === undefined ? [tree] : [tree, notes]);
  };
}
