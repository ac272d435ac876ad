/**
 * Lint (`memo check`): a `:rec` reference whose number differs from the one
 * the text right next to it says: "Recommendation 3: :rec{#trade}" or
 * ":rec{#trade} (Rec. 3)" when `trade` is the second recommendation of the
 * front matter (so the link reads "Recommendation 2"). Only "Recommendation N"
 * and "Rec. N" immediately before or after the directive count.
 * Runs before remark-memo-directives, on the directives as written.
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';

export const RULE = 'rec-number';

const BEFORE = /\b(?:Recommendation|Rec\.)\s*(\d+)[\s:,(–—-]*$/i;
const AFTER = /^[\s:,(–—-]*(?:Recommendation|Rec\.)\s*(\d+)\b/i;

function said(sibling: unknown, pattern: RegExp): number | undefined {
  if (sibling === null || typeof sibling !== 'object') return undefined;
  const value: unknown = Reflect.get(sibling, 'value');
  if (Reflect.get(sibling, 'type') !== 'text' || typeof value !== 'string') return undefined;
  const digits = pattern.exec(value)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

export default function remarkLintRecNumber() {
  return (tree: Root, file: VFile): undefined => {
    const recommendations = file.data.frontMatter?.recommendations;
    if (recommendations === undefined) return;
    visit(tree, 'textDirective', (node, index, parent) => {
      if (node.name !== 'rec' || parent === undefined || index === undefined) return;
      const id = node.attributes?.id ?? '';
      const position = recommendations.findIndex((item) => item.id === id);
      if (position === -1) return; // remark-memo-directives reports unknown ids
      const actual = position + 1;
      for (const stated of [
        said(parent.children[index - 1], BEFORE),
        said(parent.children[index + 1], AFTER),
      ]) {
        if (stated === undefined || stated === actual) continue;
        warn(
          file,
          `the text says Recommendation ${stated}, but \`:rec{#${id}}\` is Recommendation ${actual} (its place in the front matter list); fix the number or the id`,
          node.position?.start,
          RULE,
        );
      }
    });
  };
}
