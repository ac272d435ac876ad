/**
 * citeproc's HTML (a citation or a bibliography entry) as Markdown phrasing
 * nodes: text, emphasis and strong only. Whatever else the formatted text
 * holds (small caps, links, a `<script>` in a title) is kept as plain text,
 * so a bibliography file can never add markup to a memo.
 */
import type { ElementContent, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { PhrasingContent } from 'mdast';

function convert(
  nodes: readonly (ElementContent | HastRoot['children'][number])[],
): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const last = out.at(-1);
      if (last?.type === 'text') last.value += node.value;
      else out.push({ type: 'text', value: node.value });
    } else if (node.type === 'element') {
      const children = convert(node.children);
      const style = node.properties['style'];
      const italic =
        node.tagName === 'i' ||
        node.tagName === 'em' ||
        (typeof style === 'string' && /font-style:\s*italic/.test(style));
      if (italic) out.push({ type: 'emphasis', children });
      else if (node.tagName === 'b' || node.tagName === 'strong')
        out.push({ type: 'strong', children });
      else {
        for (const child of children) {
          const last = out.at(-1);
          if (child.type === 'text' && last?.type === 'text') last.value += child.value;
          else out.push(child);
        }
      }
    }
  }
  return out;
}

export function cslHtmlToPhrasing(html: string): PhrasingContent[] {
  const tree = fromHtml(html.trim(), { fragment: true });
  return convert(tree.children);
}
