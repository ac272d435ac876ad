/**
 * The citation styles a memo may choose with `csl:`, read from the CSL files
 * shipped in styles/csl/ (never fetched), and one citeproc engine per style
 * for a whole run: building an engine parses the style, which takes about a
 * second, so the engines are kept by the caller and reused for every memo.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import CSL from 'citeproc';
import type { Engine, XmlJsonNode } from 'citeproc';
import { projectRoot } from '../paths.js';

import type { CslStyle } from './style-names.js';

export interface StyledEngine {
  readonly engine: Engine;
  /** The CSL items the engine formats; replaced for each memo. */
  items: ReadonlyMap<string, object>;
}

function cslFile(name: string): string {
  return readFileSync(path.join(projectRoot(), 'styles', 'csl', name), 'utf8');
}

/**
 * Build an engine with citeproc's macro lookup indexed. citeproc finds each
 * macro by walking the whole style, once per use (XmlJSON.getNodesByName from
 * expandMacro): with Chicago's 240 KB style that is most of the seconds an
 * engine takes to build (docs/citations.md). Macros are found once here, by
 * the same walk, and looked up by name; the lookup is replaced only while the
 * engine is built (synchronously) and restored after.
 */
function withIndexedMacros<T>(build: () => T): T {
  const prototype = CSL.XmlJSON.prototype;
  const original = prototype.getNodesByName;
  const indexes = new WeakMap<XmlJsonNode, Map<string, XmlJsonNode[]>>();
  prototype.getNodesByName = function (node, name, nameAttribute, found) {
    if (name !== 'macro' || nameAttribute === undefined || found !== undefined)
      return original.call(this, node, name, nameAttribute, found);
    let index = indexes.get(node);
    if (index === undefined) {
      index = new Map();
      for (const macro of original.call(this, node, 'macro')) {
        const key = macro.attrs['name'] ?? '';
        index.set(key, [...(index.get(key) ?? []), macro]);
      }
      indexes.set(node, index);
    }
    return [...(index.get(nameAttribute) ?? [])];
  };
  try {
    return build();
  } finally {
    prototype.getNodesByName = original;
  }
}

export function createEngine(style: CslStyle): StyledEngine {
  const locale = cslFile('locales-en-US.xml');
  const holder: { items: ReadonlyMap<string, object> } = { items: new Map() };
  const styleText = cslFile(`${style}.csl`);
  const engine = withIndexedMacros(
    () =>
      new CSL.Engine(
        {
          retrieveLocale: () => locale,
          retrieveItem: (id: string) => holder.items.get(id),
        },
        styleText,
        'en-US',
        true,
      ),
  );
  // URLs and DOIs stay text: the sanitizer and the PDF decide what a link is.
  engine.opt.development_extensions.wrap_url_and_doi = false;
  return Object.assign(holder, { engine });
}

/** One engine per style, made when a memo first asks for it. */
export class EngineCache {
  readonly #engines = new Map<CslStyle, StyledEngine>();

  get(style: CslStyle): StyledEngine {
    let found = this.#engines.get(style);
    if (found === undefined) {
      found = createEngine(style);
      this.#engines.set(style, found);
    }
    return found;
  }
}
