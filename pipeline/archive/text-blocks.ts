/**
 * The text of a published memo as a reader sees it, cut into blocks
 * (headings, paragraphs, list items, table rows, notes), read from the
 * version's own memo.html.
 *
 * Why the rendered text and not the Markdown: the redline then shows what
 * readers of the two versions read (typographic quotes, "Recommendation 2:
 * <title>" for `:rec{#id title}`, numbered notes), with no markup noise (`**`,
 * link URLs, reflowed lines), and it is exactly what was published and
 * hashed, whatever the tool version that rendered it. The front matter parts
 * (title block, lead, distribution, recommendations) are compared from the
 * manifests instead, so only the body and its notes are read here.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';

export type BlockKind =
  'heading' | 'paragraph' | 'item' | 'quote' | 'row' | 'code' | 'term' | 'definition' | 'caption';

export interface TextBlock {
  readonly kind: BlockKind;
  /** 2–6 for headings, else 0. */
  readonly level: number;
  readonly text: string;
}

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

function hasClass(node: Element, name: string): boolean {
  const value = node.properties['className'];
  return Array.isArray(value) && value.includes(name);
}

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
  const out: TextBlock[] = [];
  for (const region of regions) collect(region, false, out);
  return out;
}
