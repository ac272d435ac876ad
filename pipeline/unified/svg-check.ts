/**
 * An SVG image is inlined into the HTML as a `data:` URL inside `<img>`, where
 * browsers show it as a static picture: no script runs and nothing is
 * fetched. But a reader can save it and open it on its own, where scripts,
 * event handlers and references to other files or sites are live. So an SVG
 * must be a plain drawing: this finds the first thing that would make it
 * active, or returns undefined.
 *
 * The file is read with the HTML parser's SVG rules, which is close to but not
 * the XML parser a browser uses on a standalone file; what the two read
 * differently (entity declarations, stylesheet processing instructions) is
 * refused outright.
 */
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';

const ACTIVE_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'iframe',
  'object',
  'embed',
  'handler',
]);
const URL_PROPERTIES = new Set(['href', 'xlinkhref', 'src']);
const SAFE_REFERENCE = /^\s*(?:#|data:image\/(?:png|jpeg|gif|webp)[;,])/i;
const LINK = /^\s*(?:https?:\/\/|mailto:)/i;
const SCRIPT_URL = /(?:java|vb)script\s*:/i;
/** `url(…)`, `image-set(…)` and `@import` that point anywhere but the drawing itself or embedded image data. */
const CSS_FETCH = /@import|(?:url|image-set)\(\s*(?!['"]?\s*(?:#|data:image\/))/i;

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 60 ? flat : `${flat.slice(0, 59)}…`;
}

function checkElement(node: Element): string | undefined {
  const name = node.tagName.toLowerCase();
  if (ACTIVE_ELEMENTS.has(name)) return `a <${node.tagName}> element`;
  if (name === 'style' && CSS_FETCH.test(toString(node))) {
    return 'a stylesheet that loads another file or site';
  }
  for (const [key, value] of Object.entries(node.properties)) {
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    const lower = key.toLowerCase();
    if (lower.startsWith('on')) return `an event handler (\`${lower}\`)`;
    if (SCRIPT_URL.test(text)) return `a script URL (\`${short(text)}\`)`;
    if (lower === 'style' && CSS_FETCH.test(text))
      return `a style that loads another file or site (\`${short(text)}\`)`;
    if (!URL_PROPERTIES.has(lower) || SAFE_REFERENCE.test(text)) continue;
    if (name === 'a' && LINK.test(text)) continue;
    return `a reference to another file or site (\`${short(text)}\`)`;
  }
  return undefined;
}

function walk(nodes: readonly RootContent[]): string | undefined {
  for (const node of nodes) {
    if (node.type !== 'element') continue;
    const found = checkElement(node) ?? walk(node.children);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What makes this SVG active (for the error message), or undefined for a plain drawing. */
export function svgActiveContent(text: string): string | undefined {
  if (/<!ENTITY/i.test(text)) return 'an XML entity declaration';
  if (/<\?xml-stylesheet/i.test(text)) return 'an xml-stylesheet instruction';
  const tree: Root = fromHtml(text, { fragment: true });
  return walk(tree.children);
}
