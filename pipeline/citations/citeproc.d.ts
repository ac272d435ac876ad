/** The part of citeproc-js (the `citeproc` package, which ships no types) that memo-press uses. */
declare module 'citeproc' {
  export interface CslSys {
    retrieveLocale(lang: string): string;
    retrieveItem(id: string): object | undefined;
  }
  export interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
    prefix?: string;
    suffix?: string;
    'suppress-author'?: boolean;
  }
  export interface Citation {
    citationID?: string;
    citationItems: CitationItem[];
    properties: { noteIndex: number };
  }
  export class Engine {
    constructor(sys: CslSys, style: string, lang?: string, forceLang?: boolean);
    opt: { development_extensions: { wrap_url_and_doi: boolean } };
    updateItems(ids: readonly string[]): void;
    /** [citationID, noteIndex, formatted] for each citation, in order. */
    rebuildProcessorState(
      citations: readonly Citation[],
      format: 'html' | 'text',
    ): [string, number, string][];
    /** [meta, formatted entries], or false when the style has no bibliography. */
    makeBibliography(): [unknown, string[]] | false;
  }
  /** A node of a style parsed to JSON (citeproc's own form). */
  export interface XmlJsonNode {
    name: string;
    attrs: Record<string, string>;
    children: (XmlJsonNode | string)[];
  }
  export type GetNodesByName = (
    this: unknown,
    node: XmlJsonNode,
    name: string,
    nameAttribute?: string,
    found?: XmlJsonNode[],
  ) => XmlJsonNode[];
  const CSL: {
    Engine: typeof Engine;
    XmlJSON: { prototype: { getNodesByName: GetNodesByName } };
  };
  export default CSL;
}
