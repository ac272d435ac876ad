/**
 * Headings the output would get wrong: one with no text (`##` alone: an empty
 * entry in the outline and the PDF bookmarks), and a line that was meant as a
 * heading but has no space after its `#` marks (`##Background` prints as text).
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';
import { textOf } from './remark-lint-link-text.js';

const NO_SPACE = /^(#{1,6})(\p{L}.*)$/u;

export default function remarkCheckHeadings() {
  return (tree: Root, file: VFile): undefined => {
    const source = String(file.value);
    visit(tree, (node) => {
      if (node.type === 'heading') {
        const hasImage = node.children.some((child) => child.type === 'image');
        if (textOf(node) !== '' || hasImage) return;
        const marks = '#'.repeat(node.depth);
        fail(
          file,
          `heading with no text: write the section's title after \`${marks} \`, or remove the line`,
          node.position?.start,
          'heading-empty',
        );
        return;
      }
      if (node.type !== 'paragraph') return;
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const match = NO_SPACE.exec(source.slice(start, end));
      if (match === null) return;
      const [, marks = '', rest = ''] = match;
      fail(
        file,
        `\`${marks}${rest.split(/\s/)[0] ?? ''}\` prints as text, not a heading: put a space after the \`#\` marks, as in \`${marks} ${rest}\``,
        node.position?.start,
        'heading-no-space',
      );
    });
  };
}
