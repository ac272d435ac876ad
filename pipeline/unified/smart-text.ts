/**
 * The body's typography for the plain text of the front matter (subtitle, recommendation titles
 * and summaries, distribution note): curly quotes, `--` an en dash, `---` an em dash, `...` an
 * ellipsis, with the same plugin and options as the Markdown body (processor.ts).
 */
import type { Root } from 'mdast';
import remarkSmartypants from './remark-smartypants-lean.js';
import { unified } from 'unified';

/** The same options as the body's remark-smartypants. */
export const SMARTYPANTS_OPTIONS = { dashes: 'oldschool' } as const;

/**
 * What the plugin may change: a quote or backtick, a dash of two or three
 * hyphens, periods that make an ellipsis (`...`, `. . .`). Other text is
 * returned as it is, without a natural-language parse.
 */
const EDUCATED = /["'`]|--|\.\s*\./;

/** `educate(text)` for one memo's fields; the text is never read as Markdown. */
export function createSmartText(): (text: string) => string {
  const processor = unified().use(remarkSmartypants, SMARTYPANTS_OPTIONS);
  return (text) => {
    if (!EDUCATED.test(text)) return text;
    const tree: Root = {
      type: 'root',
      children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }],
    };
    processor.runSync(tree); // educates the text nodes in place
    const [paragraph] = tree.children;
    if (paragraph?.type !== 'paragraph') return text;
    return paragraph.children.map((node) => (node.type === 'text' ? node.value : '')).join('');
  };
}
