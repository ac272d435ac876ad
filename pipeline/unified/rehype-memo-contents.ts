/**
 * The contents block (`toc` in the front matter): the body's headings to `toc_depth` levels, each
 * a link to its heading. The PDF shows dot leaders and page numbers (filled in from the printed
 * PDF, render/page-numbers.ts); the HTML shows the links only. Left empty when `toc: false`.
 */
import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import type { VFile } from 'vfile';

/** The contents block for `headings`, or null when there is nothing to list. */
export function contentsBlock(
  headings: readonly { depth: number; id: string; text: string }[],
  depth: number,
): Element | null {
  const top = Math.min(...headings.map((heading) => heading.depth));
  const listed = headings.filter((heading) => heading.depth - top < depth);
  if (listed.length === 0) return null;
  return h('nav.memo-contents#contents', { ariaLabelledby: 'contents-title' }, [
    h('p.contents-heading#contents-title', 'Contents'),
    h(
      'ol.contents-list',
      listed.map((heading) =>
        h(`li.contents-entry.contents-level-${heading.depth - top + 1}`, [
          h('a', { href: `#${heading.id}` }, [
            h('span.contents-text', heading.text),
            h('span.contents-leader', { ariaHidden: 'true' }),
            h('span.contents-page', { dataMemoPageOf: heading.id }),
          ]),
        ]),
      ),
    ),
  ]);
}

export default function rehypeMemoContents() {
  return (_tree: Root, file: VFile): undefined => {
    const frontMatter = file.data.frontMatter;
    if (frontMatter === undefined || frontMatter.toc === 'false') return;
    // Not the Notes heading: the notes are at the page foot in the PDF, after the appendix otherwise.
    const headings = (file.data.headings ?? []).filter(({ id }) => id !== 'footnote-label');
    const block = contentsBlock(headings, Number(frontMatter.toc_depth));
    if (block !== null) file.data.contents = { type: 'root', children: [block] };
  };
}
