/**
 * The citation styles a memo may choose with `csl:`, read from the CSL files
 * shipped in styles/csl/ (never fetched), and one citeproc engine per style
 * for a whole run: building an engine parses the style, which takes about a
 * second, so the engines are kept by the caller and reused for every memo.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import CSL from 'citeproc';
import type { Engine } from 'citeproc';
import { projectRoot } from '../paths.js';

/** The styles shipped in styles/csl/, the first the default. */
export const CSL_STYLES = ['chicago-notes-bibliography', 'apa'] as const;
export type CslStyle = (typeof CSL_STYLES)[number];

/** Notes styles turn each citation into a note; the others cite in the text. */
export const NOTE_STYLES: ReadonlySet<CslStyle> = new Set(['chicago-notes-bibliography']);

export interface StyledEngine {
  readonly engine: Engine;
  /** The CSL items the engine formats; replaced for each memo. */
  items: ReadonlyMap<string, object>;
}

function cslFile(name: string): string {
  return readFileSync(path.join(projectRoot(), 'styles', 'csl', name), 'utf8');
}

export function createEngine(style: CslStyle): StyledEngine {
  const locale = cslFile('locales-en-US.xml');
  const holder: { items: ReadonlyMap<string, object> } = { items: new Map() };
  const engine = new CSL.Engine(
    {
      retrieveLocale: () => locale,
      retrieveItem: (id: string) => holder.items.get(id),
    },
    cslFile(`${style}.csl`),
    'en-US',
    true,
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
