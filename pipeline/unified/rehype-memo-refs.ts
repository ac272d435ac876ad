/**
 * The text of each `:ref` (remark-memo-ref.ts), now that headings and captions have their ids:
 * the heading's title, or "Table N" / "Figure N", then a slot for " (page N)" that only the PDF
 * shows (filled from the printed PDF, render/page-numbers.ts). An id that names nothing in the
 * memo is an error at the `:ref`, with the nearest id.
 */
import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { didYouMean } from '../frontmatter/suggest.js';
import { fail } from '../messages.js';

const SHOWN_IDS = 8;

function isRef(node: Element): boolean {
  const className = node.properties['className'];
  return node.tagName === 'a' && Array.isArray(className) && className.includes('memo-ref');
}

export default function rehypeMemoRefs() {
  return (tree: Root, file: VFile): undefined => {
    const titles = new Map<string, string>();
    for (const heading of file.data.headings ?? []) titles.set(heading.id, heading.text);
    for (const caption of file.data.captions ?? []) titles.set(caption.id, caption.label);
    visit(tree, 'element', (node, index, parent) => {
      if (!isRef(node) || parent === undefined || index === undefined) return undefined;
      const href = node.properties['href'];
      const id = typeof href === 'string' ? decodeURIComponent(href.slice(1)) : '';
      const title = titles.get(id);
      if (title === undefined) {
        const known = [...titles.keys()];
        const best = didYouMean(id, known);
        const hint =
          known.length === 0
            ? 'the memo has no headings, captioned tables or figures to refer to'
            : best !== undefined
              ? `did you mean \`${best}\`?`
              : `known ids: ${known.slice(0, SHOWN_IDS).join(', ')}${known.length > SHOWN_IDS ? ', …' : ''}`;
        fail(
          file,
          `\`:ref{#${id}}\` names no heading, table or figure of this memo; ${hint}`,
          node.position?.start,
          'ref-unknown-id',
        );
        return SKIP;
      }
      node.children = [{ type: 'text', value: title }];
      parent.children.splice(index + 1, 0, h('span.memo-ref-page', { dataMemoPageOf: id }));
      return [SKIP, index + 2];
    });
  };
}
