/**
 * A PDF's structure tree as a screen reader meets it, read with pdf.js: each element's tag
 * (/S) and the text of the marked content it holds, page by page.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface TaggedNode {
  readonly role: string;
  /** The element kids, in order (marked content is folded into `text`). */
  readonly kids: readonly TaggedNode[];
  /** The text of all its marked content, runs joined, white space collapsed. */
  readonly text: string;
}

interface RawNode {
  role?: string;
  type?: string;
  id?: string;
  children?: RawNode[];
}

/** Every page's structure tree (the elements with content on that page). */
export async function taggedPages(bytes: Uint8Array): Promise<TaggedNode[]> {
  const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    const pages: TaggedNode[] = [];
    for (let number = 1; number <= doc.numPages; number += 1) {
      const page = await doc.getPage(number);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const texts = new Map<string, string>();
      const open: string[] = [];
      for (const item of content.items) {
        if ('str' in item) {
          for (const id of open)
            texts.set(id, `${texts.get(id) ?? ''}${item.str}${item.hasEOL ? ' ' : ''}`);
        } else if (item.type === 'beginMarkedContentProps' && typeof item.id === 'string') {
          open.push(item.id);
        } else if (item.type === 'beginMarkedContent') {
          open.push('');
        } else if (item.type === 'endMarkedContent') {
          open.pop();
        }
      }
      const convert = (node: RawNode): TaggedNode => {
        const kids: TaggedNode[] = [];
        let text = '';
        for (const child of node.children ?? []) {
          if (child.type === 'content') text += ` ${texts.get(child.id ?? '') ?? ''}`;
          else if (child.role !== undefined || child.children !== undefined) {
            const kid = convert(child);
            kids.push(kid);
            text += ` ${kid.text}`;
          }
        }
        return { role: node.role ?? '', kids, text: text.replace(/\s+/g, ' ').trim() };
      };
      const tree = (await page.getStructTree()) as RawNode | null;
      pages.push(convert(tree ?? {}));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** Every element tagged `role`, in document order, across `pages`. */
export function elementsTagged(pages: readonly TaggedNode[], role: string): TaggedNode[] {
  const found: TaggedNode[] = [];
  const visit = (node: TaggedNode): void => {
    if (node.role === role) found.push(node);
    node.kids.forEach(visit);
  };
  pages.forEach(visit);
  return found;
}
