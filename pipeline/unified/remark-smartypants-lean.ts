/**
 * remark-smartypants 3.0.3's plugin, with one change, kept because it measured: its second
 * pass (dashes, ellipses, backticks) parses every text node on its own, and is skipped here
 * for a node that has none of them (the parse alone was about a third of the plugin's time).
 */
import type { Nodes, Root } from 'mdast';
import { retext } from 'retext';
import smartypants from 'retext-smartypants';
import type { Options } from 'retext-smartypants';
import { visit } from 'unist-util-visit';

/** What the second pass can change: a dash of hyphens, dots of an ellipsis, a backtick, `''`. */
const SECOND_PASS = /--|\.\s*\.|`|''/u;

/** Blocks whose text starts fresh: a quote at their start is an opening quote. */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);
const VISITED = new Set(['text', 'inlineCode', 'paragraph', 'heading', 'tableCell']);

type Literal = Extract<Nodes, { value: string }>;
const isLiteral = (node: Nodes): node is Literal =>
  'value' in node && typeof node.value === 'string';

export default function remarkSmartypantsLean(options: Options = {}) {
  // Quotes over the whole text at once, so that they pair across links and emphasis.
  const quotes = retext().use(smartypants, {
    ...options,
    ellipses: false,
    dashes: false,
    backticks: false,
  });
  const rest = retext().use(smartypants, { ...options, quotes: false });
  return (tree: Root): undefined => {
    let all = '';
    const nodes: Nodes[] = [];
    visit(tree, (node, _index, parent) => {
      if (parent === undefined || !VISITED.has(node.type)) return;
      if (isLiteral(node)) all += node.type === 'text' ? node.value : 'A'.repeat(node.value.length);
      else if (BLOCKS.has(node.type)) all += ' ';
      else return;
      nodes.push(node);
    });
    all = quotes.processSync(all).toString();
    let start = 0;
    for (const node of nodes) {
      if (isLiteral(node)) {
        const end = start + node.value.length;
        if (node.type === 'text') {
          const text = all.slice(start, end);
          node.value = SECOND_PASS.test(text) ? rest.processSync(text).toString() : text;
        }
        start = end;
      } else start += 1;
    }
  };
}
