/**
 * The memo title is the document's only h1, so body headings start at h2.
 * A writer who starts the body at `#` gets every heading moved one level down
 * (capped at h6); one who starts at `##` sees no change.
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';

const DEEPER = { 1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 6 } as const;

export default function remarkHeadingOffset() {
  return (tree: Root): undefined => {
    let top = 6;
    visit(tree, 'heading', (node) => {
      top = Math.min(top, node.depth);
    });
    if (top >= 2) return;
    visit(tree, 'heading', (node) => {
      node.depth = DEEPER[node.depth];
    });
  };
}
