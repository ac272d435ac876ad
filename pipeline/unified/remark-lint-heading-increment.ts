/**
 * Lint (`memo check`): heading levels go down one at a time. A skipped level
 * (`##` then `####`) breaks the outline screen readers and the PDF bookmarks
 * follow. The body's first heading is `##` (or `#`, which moves everything
 * down one level, see remark-heading-offset): `###` first skips a level too.
 * Runs on the levels as written, before remark-heading-offset.
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';

export const RULE = 'heading-increment';

const marks = (depth: number) => '#'.repeat(depth);

export default function remarkLintHeadingIncrement() {
  return (tree: Root, file: VFile): undefined => {
    let previous: number | undefined;
    visit(tree, 'heading', (node) => {
      const depth = node.depth;
      if (previous === undefined && depth > 2) {
        warn(
          file,
          `the first heading is \`${marks(depth)}\`, which skips a level: start the sections at \`##\` (the title is the \`#\` level)`,
          node.position?.start,
          RULE,
        );
      } else if (previous !== undefined && depth > previous + 1) {
        warn(
          file,
          `heading level skipped: \`${marks(depth)}\` follows \`${marks(previous)}\`; use \`${marks(previous + 1)}\` (the outline and the PDF bookmarks follow the levels)`,
          node.position?.start,
          RULE,
        );
      }
      previous = depth;
    });
  };
}
