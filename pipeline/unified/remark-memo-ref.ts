/**
 * `:ref{#id}` → a cross-reference to a heading, table or figure of the memo. Here it only becomes
 * a link marked `a.memo-ref` to `#id`; its text and its check against the memo's ids come once the
 * headings and captions have their ids (rehype-memo-refs.ts). Runs before remark-memo-directives,
 * which reports every other inline directive.
 */
import type { Link, Root, Text } from 'mdast';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';
import { markMemoElement } from './rehype-memo-elements.js';
import { textOf } from './remark-lint-link-text.js';

export default function remarkMemoRef() {
  return (tree: Root, file: VFile): undefined => {
    visit(tree, 'textDirective', (node, index, parent) => {
      if (node.name !== 'ref' || parent === undefined || index === undefined) return undefined;
      const attributes = node.attributes ?? {};
      const id = attributes.id ?? '';
      const others = Object.keys(attributes).filter((key) => key !== 'id');
      const label = textOf({ type: 'paragraph', children: node.children }).trim();
      let problem: string | undefined;
      if (id === '' && others.length === 1 && attributes[others[0] ?? ''] === '')
        problem = `write the id with \`#\`: \`:ref{#${others[0] ?? ''}}\``;
      else if (label !== '')
        problem = `\`:ref\` writes its own text (the section's title, or “Table N”) and would drop “${label}”: write \`:ref{#${id || label}}\``;
      else if (id === '')
        problem =
          '`:ref` needs the id of a heading, table or figure, as in `:ref{#funding-gaps}` or `:ref{#tbl-apprehensions}`';
      else if (others.length > 0)
        problem = `\`:ref\` takes only an id, not \`${others[0] ?? ''}\`: write \`:ref{#${id}}\``;
      if (problem !== undefined) {
        fail(file, problem, node.position?.start, 'ref-form');
        const start = node.position?.start.offset;
        const end = node.position?.end.offset;
        const text: Text = {
          type: 'text',
          value:
            start === undefined || end === undefined
              ? ':ref'
              : String(file.value).slice(start, end),
        };
        parent.children.splice(index, 1, text);
        return SKIP;
      }
      const link: Link = {
        type: 'link',
        url: `#${id}`,
        children: [{ type: 'text', value: id }],
        ...(node.position === undefined ? {} : { position: node.position }),
      };
      markMemoElement(file, link, { neutral: 'a', tagName: 'a', className: ['memo-ref'] });
      parent.children.splice(index, 1, link);
      return SKIP;
    });
  };
}
