/**
 * Lint (`memo check`): an image without alt text (`![](chart.png)`, or raw
 * `<img>` without `alt`). A screen reader, the tagged PDF and a reader whose
 * mail client blocks images get nothing; a memo's images carry content, so
 * each needs a description. Runs before rehype-memo-images, while `src` is
 * still the file name the writer typed.
 */
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';

export const RULE = 'image-alt';

export default function rehypeLintImageAlt() {
  return (tree: Root, file: VFile): undefined => {
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'img') return;
      const alt = node.properties['alt'];
      if (typeof alt === 'string' && alt.trim() !== '') return;
      const src = node.properties['src'];
      const name = typeof src === 'string' && src !== '' ? `image \`${src}\`` : 'an image';
      warn(
        file,
        `${name} has no alt text: describe what it shows between the brackets, as in \`![Map of the four ports](ports.png)\``,
        node.position?.start,
        RULE,
      );
    });
  };
}
