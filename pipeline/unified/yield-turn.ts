/**
 * A stage that does nothing but let the event loop turn once (`setImmediate`) before the
 * next stage runs. Compiling a memo is synchronous work of a hundred milliseconds or more;
 * meanwhile the browser answers the DevTools messages that open a page or stream a PDF,
 * and each answer needs a turn of the loop to be read. Without turns those exchanges wait
 * for the whole compile to finish (docs/performance.md).
 *
 * A new plugin per call: unified uses a given plugin only once per processor.
 */
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { Plugin } from 'unified';

const turn = (): Promise<undefined> => new Promise((resolve) => setImmediate(resolve, undefined));

/** On the Markdown side (mdast). */
export function yieldTurnMarkdown(): Plugin<[], MdastRoot> {
  return () => turn;
}

/** On the HTML side (hast). */
export function yieldTurnHtml(): Plugin<[], HastRoot> {
  return () => turn;
}
