/**
 * Lint (`memo check`): link text that says nothing about where the link goes
 * ("here", "click here", "this link", "link", "read more"). Readers who scan
 * the links, and screen readers that list them, see only that text; in print
 * the URL is gone too.
 */
import type { Nodes, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';

export const RULE = 'link-text';

const VAGUE = new Set(['here', 'click here', 'this link', 'link', 'read more', 'more']);

/** The plain text of an mdast node (text, inline code and the like). */
export function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  if (!('children' in node)) return '';
  return node.children
    .map((child: Nodes) => textOf(child))
    .join('')
    .trim();
}

export default function remarkLintLinkText() {
  return (tree: Root, file: VFile): undefined => {
    visit(tree, ['link', 'linkReference'], (node) => {
      if (node.type !== 'link' && node.type !== 'linkReference') return;
      const text = textOf(node);
      const normalized = text
        .toLowerCase()
        .replace(/[\s.:!,;]+$/, '')
        .replace(/\s+/g, ' ');
      if (!VAGUE.has(normalized)) return;
      warn(
        file,
        `link text “${text}” does not say where the link goes; name the target instead, as in “the 2025 budget request”`,
        node.position?.start,
        RULE,
      );
    });
  };
}
