/**
 * Warn about what the sanitizer (sanitize-schema.ts) is about to remove, so a
 * writer's raw HTML never vanishes silently: an element that is not allowed
 * (`<script>`, `<iframe>`, `<form>`…), an event handler (`onclick`), and a
 * link address that is not a web, e-mail or in-page one (`../annex.pdf`,
 * `javascript:`). Each element is put through the same schema on its own, so
 * the warnings follow the schema. Runs between rehype-raw and rehype-sanitize.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import rehypeSanitize from 'rehype-sanitize';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';
import { createSanitizeSchema } from './sanitize-schema.js';

export default function rehypeRemovedHtml() {
  const schema = createSanitizeSchema();
  const sanitizer = unified().use(rehypeSanitize, schema).freeze();
  const strip = new Set(schema.strip ?? []);
  const contextual = new Set(Object.keys(schema.ancestors ?? {}));

  /**
   * The element as the sanitizer leaves it on its own, or undefined when it removes it;
   * the same tag and properties always give the same answer, so each is asked once a memo.
   */
  const probe = (node: Element, probed: Map<string, Element | undefined>): Element | undefined => {
    const key = `${node.tagName} ${JSON.stringify(node.properties)}`;
    if (probed.has(key)) return probed.get(key);
    const root: Root = {
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: node.tagName,
          properties: { ...node.properties },
          children: [],
        },
      ],
    };
    const [kept] = sanitizer.runSync(root).children;
    const element = kept?.type === 'element' && kept.tagName === node.tagName ? kept : undefined;
    probed.set(key, element);
    return element;
  };

  return (tree: Root, file: VFile): undefined => {
    const probed = new Map<string, Element | undefined>();
    visit(tree, 'element', (node) => {
      if (contextual.has(node.tagName)) return;
      const place = node.position?.start;
      const kept = probe(node, probed);
      if (kept === undefined) {
        const content = strip.has(node.tagName) ? ', with everything inside it' : '';
        warn(
          file,
          `the HTML element \`<${node.tagName}>\` is removed${content}: a memo keeps only plain formatting (no scripts, styles, frames, forms or embedded content)`,
          place,
          'html-removed',
        );
        return;
      }
      for (const name of Object.keys(node.properties)) {
        if (!/^on[A-Z]/.test(name) || kept.properties[name] !== undefined) continue;
        warn(
          file,
          `the \`${name.toLowerCase()}\` attribute of \`<${node.tagName}>\` is removed: a memo runs no scripts`,
          place,
          'html-removed',
        );
      }
      const href = node.properties['href'];
      if (typeof href === 'string' && href.trim() !== '' && kept.properties['href'] === undefined) {
        warn(
          file,
          `the link “${toString(node).trim()}” to \`${href}\` is removed (its text stays): a memo links only to web pages (https://…), e-mail (mailto:) and its own sections (#…)`,
          place,
          'link-removed',
        );
      }
    });
  };
}
