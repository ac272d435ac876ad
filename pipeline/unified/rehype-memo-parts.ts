/**
 * Move the GFM footnotes section out of the body into `file.data.notes`, so
 * templates place the numbered Notes where they belong (after the body,
 * before the distribution list and the appendix).
 */
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';

function isFootnotes(node: Root['children'][number]): node is Element {
  return (
    node.type === 'element' && node.tagName === 'section' && 'dataFootnotes' in node.properties
  );
}

export default function rehypeMemoParts() {
  return (tree: Root, file: VFile): undefined => {
    const notes = tree.children.filter(isFootnotes);
    tree.children = tree.children.filter((node) => !isFootnotes(node));
    file.data.notes = { type: 'root', children: notes };
    file.data.body = tree;
  };
}
