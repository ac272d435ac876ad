/**
 * Typographic punctuation: curly quotes and apostrophes, en and em dashes
 * (`--`, `---`), ellipses (`...`), in the memo's text (never in code).
 *
 * The typography itself is retext-smartypants'. The way it is applied to the
 * Markdown tree is remark-smartypants' (3.0.3, MIT), which this plugin
 * replaces, with two shortcuts that give the same output for less work:
 *
 * 1. Quotes are educated on all of the memo's text at once (so that a quote
 *    before a link or bold text pairs with the one after it), which means
 *    parsing the whole text into sentences and words. That parse is skipped
 *    when the text has no straight quote at all.
 * 2. Dashes, ellipses and double backticks are then educated node by node,
 *    each a parse of its own; a node without `--`, `..`, `. .`, two backticks
 *    or two straight single quotes is left alone instead of parsed.
 *
 * Measured on a generated 143-page memo: remark-smartypants took about half
 * of the Markdown work (0.5 s of 1.1 s), most of it in the per-node parses.
 */
import type { Node, Parent, Root } from 'mdast';
import { retext } from 'retext';
import smartypants from 'retext-smartypants';
import type { Options } from 'retext-smartypants';
import { visit } from 'unist-util-visit';

/** Nodes whose text is educated; inline code counts for context, but is never changed. */
const VISITED = new Set(['text', 'inlineCode', 'paragraph', 'heading', 'tableCell']);
/**
 * Blocks whose text starts fresh: they get a space in the concatenated text,
 * so that a quote at their start is an opening one. Inline parents (emphasis,
 * strong, link) are not, so quotes pair across them.
 */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);
/** What the node-by-node pass (dashes, ellipses, backticks) can change; without it, it changes nothing. */
const NODE_PASS_NEEDED = /--|–-|\.\.|\. \.|``|''/;
const HAS_QUOTE = /["']/;

interface Literal extends Node {
  type: 'text' | 'inlineCode';
  value: string;
}

function isLiteral(node: Node): node is Literal {
  return node.type === 'text' || node.type === 'inlineCode';
}

export default function remarkTypography(options: Options = {}) {
  // Quotes only: the other replacements change the text's length, and the
  // concatenated text must map back onto the nodes character for character.
  const quotes = retext().use(smartypants, {
    ...options,
    ellipses: false,
    dashes: false,
    backticks: false,
  });
  const rest = retext().use(smartypants, { ...options, quotes: false });

  return (tree: Root): undefined => {
    const nodes: Node[] = [];
    let all = '';
    visit(tree, (node: Node, _index: number | undefined, parent: Parent | undefined) => {
      if (parent === undefined || !VISITED.has(node.type)) return;
      if (isLiteral(node)) {
        all += node.type === 'text' ? node.value : 'A'.repeat(node.value.length);
      } else if (BLOCKS.has(node.type)) {
        all += ' ';
      }
      nodes.push(node);
    });
    if (HAS_QUOTE.test(all)) all = quotes.processSync(all).toString();
    let start = 0;
    for (const node of nodes) {
      if (!isLiteral(node)) {
        start += 1; // the space added for a block
        continue;
      }
      const end = start + node.value.length;
      if (node.type === 'text') {
        const educated = all.slice(start, end);
        node.value = NODE_PASS_NEEDED.test(educated)
          ? rest.processSync(educated).toString()
          : educated;
      }
      start = end;
    }
  };
}
