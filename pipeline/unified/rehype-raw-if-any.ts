/**
 * rehype-raw, run only on a memo that has raw HTML in it. hast-util-raw puts the
 * whole tree through parse5 even when there is nothing to parse, and parse5 is
 * the largest module a plain build would otherwise load. Without raw HTML the
 * one thing the round trip changes is a `true` on an attribute that is not a
 * boolean one (`data-footnote-ref`), which it writes as an empty string: done
 * here too, so the HTML is the same either way (tests/raw-html.test.ts
 * compares the two on every sample and fixture).
 */
import type { Nodes, Root } from 'hast';
import { find, html } from 'property-information';
import type { VFile } from 'vfile';

function hasRaw(node: Nodes): boolean {
  if (node.type === 'raw') return true;
  return 'children' in node && node.children.some((child) => hasRaw(child));
}

/** What the parse5 round trip does to properties: `true` stays only on boolean attributes. */
function asParsed(node: Nodes): void {
  if (node.type === 'element') {
    for (const [name, value] of Object.entries(node.properties)) {
      if (value !== true) continue;
      const info = find(html, name);
      if (!info.boolean && !info.overloadedBoolean) node.properties[name] = '';
    }
  }
  if ('children' in node) for (const child of node.children) asParsed(child);
}

export default function rehypeRawIfAny() {
  return async (tree: Root, file: VFile): Promise<Root> => {
    if (hasRaw(tree)) {
      const { default: rehypeRaw } = await import('rehype-raw');
      return rehypeRaw()(tree, file);
    }
    asParsed(tree);
    return tree;
  };
}
