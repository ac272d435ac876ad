/**
 * Lint (`memo check`): a section with nothing in it, that is a heading
 * followed directly by a heading of the same or a higher level, or by the
 * end of the memo. (A heading followed by a deeper one opens subsections.)
 * Footnote and link definitions and HTML comments are not content.
 */
import type { Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';
import { textOf } from './remark-lint-link-text.js';

export const RULE = 'empty-section';

function isContent(node: RootContent): boolean {
  if (node.type === 'definition' || node.type === 'footnoteDefinition') return false;
  if (node.type === 'html') return !/^\s*(<!--[\s\S]*?-->\s*)+$/.test(node.value);
  return true;
}

export default function remarkLintEmptySection() {
  return (tree: Root, file: VFile): undefined => {
    const blocks = tree.children.filter(isContent);
    blocks.forEach((node, index) => {
      if (node.type !== 'heading') return;
      const next = blocks[index + 1];
      let follows: string;
      if (next === undefined) follows = 'nothing follows it';
      else if (next.type === 'heading' && next.depth <= node.depth) {
        follows = `the next heading, “${textOf(next)}”, follows it directly`;
      } else return;
      warn(
        file,
        `section “${textOf(node)}” is empty: ${follows}; write its text or remove the heading`,
        node.position?.start,
        RULE,
      );
    });
  };
}
