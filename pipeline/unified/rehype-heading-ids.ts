/**
 * Give every body heading a stable id (GitHub-style slug of its text), never
 * one the memo's own sections use, and record the outline in `file.data`.
 */
import GithubSlugger from 'github-slugger';
import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { HeadingEntry } from './data.js';

/** Ids the templates use: a heading called "Distribution" becomes `distribution-1`. */
export const RESERVED_IDS = [
  'recommendations',
  'recommendations-title',
  'distribution',
  'distribution-title',
  'footnote-label',
  'notes',
  'memo',
  'main',
  'top',
  'contents',
  'contents-title',
] as const;

const HEADING = /^h([2-6])$/;

export default function rehypeHeadingIds() {
  return (tree: Root, file: VFile): undefined => {
    const slugger = new GithubSlugger();
    for (const id of RESERVED_IDS) slugger.slug(id);
    const headings: HeadingEntry[] = [];
    visit(tree, 'element', (node) => {
      const match = HEADING.exec(node.tagName);
      if (!match) return;
      const text = toString(node).trim();
      const existing = node.properties['id'];
      const id =
        typeof existing === 'string' && existing !== ''
          ? existing
          : slugger.slug(text || 'section');
      node.properties['id'] = id;
      headings.push({ depth: Number(match[1]), id, text });
    });
    file.data.headings = headings;
  };
}
