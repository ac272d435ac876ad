/**
 * What the pipeline stages hand on to each other through `file.data`.
 */
import type { Root as HastRoot } from 'hast';
import type { KeyPlaces } from '../frontmatter/key-places.js';
import type { FrontMatter } from '../frontmatter/schema.js';
import type { Point } from 'unist';

export interface HeadingEntry {
  readonly depth: number;
  readonly id: string;
  readonly text: string;
}

/** A numbered table or figure with an id (rehype-memo-captions.ts): `:ref` targets. */
export interface CaptionEntry {
  readonly id: string;
  /** "Table 1", "Figure 2". */
  readonly label: string;
}

/** One of the memo's own elements, made after sanitizing (rehype-memo-elements.ts). */
export interface MemoElementMark {
  /** Where the directive's element starts in the source. */
  readonly start: Point;
  /** The element it is until then (`div`, `p`, `a`). */
  readonly neutral: string;
  readonly tagName: string;
  readonly className: readonly string[];
}

export const BLOCK_KINDS = [
  'heading',
  'paragraph',
  'item',
  'quote',
  'row',
  'code',
  'term',
  'definition',
  'caption',
] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** A block of the memo's text as a reader sees it (rehype-memo-blocks.ts). */
export interface TextBlock {
  readonly kind: BlockKind;
  /** 1–6 for headings, else 0. */
  readonly level: number;
  readonly text: string;
}

declare module 'vfile' {
  interface DataMap {
    /** Validated front matter; absent when it had errors. */
    frontMatter: FrontMatter;
    /**
     * The recommendation ids (in order) that the front matter lists, read from
     * the YAML even when the front matter has errors, so the body's `:rec`
     * references are still checked. Absent when the YAML did not parse.
     */
    recommendationIds: string[];
    /** Line and column of each front matter key (`recommendations.1.id`), when the YAML parsed. */
    frontMatterPlaces: KeyPlaces;
    /** The sanitized body without its notes (rehype-memo-parts), for formats that render from the tree. */
    body: HastRoot;
    /** The GFM footnotes section, moved out of the body by rehype-memo-parts. */
    notes: HastRoot;
    /** Whether the printed PDF has the contents block (set by the session; `toc: auto` decides by pages). */
    printedContents: boolean;
    /** Captioned tables and figures that have an id, in order (rehype-memo-captions.ts). */
    captions: CaptionEntry[];
    /** The contents block (rehype-memo-contents.ts); absent with `toc: false` or no headings. */
    contents: HastRoot;
    /** The body and notes as text blocks, in reading order (what `memo diff` compares). */
    blocks: TextBlock[];
    /** Body headings after id assignment (h2–h6), in order. */
    headings: HeadingEntry[];
    /** Files besides the source that the output depends on (inlined images), absolute. */
    dependencies: string[];
    /** The memo's own elements the directives made, shaped after sanitizing. */
    memoElements: MemoElementMark[];
    /** The bibliography the citations were formatted from, as read (remark-citations.ts). */
    bibliography: { readonly file: string; readonly bytes: Uint8Array };
    /** Ids of recommendations the body references with `:rec`. */
    referencedRecommendations: string[];
  }
}

export {};
