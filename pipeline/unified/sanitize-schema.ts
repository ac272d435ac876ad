/**
 * What survives of a source's raw HTML (rehype-sanitize's GitHub-like default
 * schema, tightened):
 *
 * - links only to `http:`, `https:`, `mailto:` and in-page `#fragments`; a
 *   relative `href` (`../secret.txt`, `//host/x`) is removed too: opened from
 *   a file, it would point into the reader's disk or at another host;
 * - image sources only as relative paths, http(s), `file:` or `data:`; the
 *   last three survive only so that rehype-memo-images can name them in its
 *   error (it inlines relative paths from the memo's folder and rejects every
 *   URL with a scheme, and a memo with an error produces no output);
 * - no `<source srcset>` (`<picture>` keeps its `<img>`): a srcset URL is
 *   fetched by the reader's browser and never checked by rehype-memo-images;
 * - no script, style, iframe, object, embed, form, base, meta, link (not in
 *   the allow list, so removed; script and style with their content);
 * - ids are not prefixed (`clobber: []`), but a writer's raw HTML may only use
 *   ids starting `user-content-`, so they can't collide with the memo's own;
 * - no class of the memo's own elements (`aside.next-steps`, `a.rec-ref`):
 *   those are made after sanitizing (rehype-memo-elements.ts), so writer HTML
 *   cannot forge them.
 *
 * Note: an empty protocol list would mean "allow all" in hast-util-sanitize,
 * so every list here is non-empty.
 */
import { defaultSchema } from 'rehype-sanitize';
import type { Options as Schema } from 'rehype-sanitize';

type Attributes = NonNullable<Schema['attributes']>;
type Definition = NonNullable<Attributes[string]>[number];

const baseAttributes: Attributes = defaultSchema.attributes ?? {};

function without(list: readonly Definition[] | undefined, names: readonly string[]): Definition[] {
  return (list ?? []).filter((item) => !names.includes(typeof item === 'string' ? item : item[0]));
}

export function createSanitizeSchema(): Schema {
  return {
    ...defaultSchema,
    clobber: [],
    clobberPrefix: '',
    // Removed with their content: a pasted <style> block would otherwise
    // print its CSS as text.
    strip: [...(defaultSchema.strip ?? []), 'style'],
    tagNames: (defaultSchema.tagNames ?? []).filter((name) => name !== 'source'),
    attributes: {
      ...baseAttributes,
      '*': [
        ...without(baseAttributes['*'], ['id', 'name']),
        ['id', /^user-content-/, 'footnote-label'],
      ],
      a: [
        ...without(baseAttributes['a'], ['className', 'href']),
        ['className', 'data-footnote-backref'],
        ['href', /^(?:https?:\/\/|mailto:|#)/],
      ],
      source: [],
    },
    protocols: {
      href: ['http', 'https', 'mailto'],
      src: ['http', 'https', 'file', 'data'],
      cite: ['http', 'https'],
      longDesc: ['http', 'https'],
    },
  };
}
