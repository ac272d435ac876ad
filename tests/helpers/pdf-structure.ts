/**
 * A PDF's structure tree as a screen reader meets it, read with pdf.js: each element's tag
 * (/S) and the text of the marked content it holds, page by page.
 */
import { OPS, getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

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

/** A piece of marked content as printed: its text, its font, and whether a rule is drawn under it. */
export interface MarkedRun {
  readonly page: number;
  readonly text: string;
  /** pdf.js's name for the font of its text (the same name is the same embedded font). */
  readonly font: string | undefined;
  /** A line is drawn under it: a thin filled rectangle, or a row of dots (how Chromium draws solid and dotted underlines). */
  readonly underlined: boolean;
}

/** Every piece of marked content of every page, in painting order, read from the drawing operators. */
export async function markedRuns(bytes: Uint8Array): Promise<MarkedRun[]> {
  const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    const runs: MarkedRun[] = [];
    for (let number = 1; number <= doc.numPages; number += 1) {
      const page = await doc.getPage(number);
      const { fnArray, argsArray } = await page.getOperatorList();
      let current: { text: string; font: string | undefined; underlined: boolean } | undefined;
      let font: string | undefined;
      let shape: 'thin' | 'dot' | undefined;
      let dots = 0;
      fnArray.forEach((op, index) => {
        const args: unknown = argsArray[index];
        if (op === OPS.beginMarkedContentProps || op === OPS.beginMarkedContent) {
          current = { text: '', font: undefined, underlined: false };
          dots = 0;
        } else if (op === OPS.endMarkedContent) {
          if (current !== undefined) runs.push({ page: number, ...current });
          current = undefined;
        } else if (op === OPS.setFont && Array.isArray(args)) {
          font = typeof args[0] === 'string' ? args[0] : undefined;
        } else if (op === OPS.showText && Array.isArray(args) && Array.isArray(args[0])) {
          if (current === undefined) return;
          for (const glyph of args[0] as unknown[]) {
            if (typeof glyph === 'object' && glyph !== null && 'unicode' in glyph)
              current.text += String(glyph.unicode);
            else if (typeof glyph === 'number' && glyph < -200) current.text += ' ';
          }
          current.font ??= font;
        } else if (op === OPS.constructPath && Array.isArray(args)) {
          // [operators, coordinates, [minX, minY, maxX, maxY]]
          const box = args[2] as number[] | undefined;
          const [minX = 0, minY = 0, maxX = 0, maxY = 0] = box ?? [];
          const [width, height] = [maxX - minX, maxY - minY];
          if (height <= 3 && width > 3 * height) shape = 'thin';
          else if (height <= 3 && width <= 3) shape = 'dot';
          else shape = undefined;
        } else if (op === OPS.fill || op === OPS.eoFill || op === OPS.stroke) {
          if (shape === 'dot') dots += 1;
          if (current !== undefined && (shape === 'thin' || dots >= 3)) current.underlined = true;
          shape = undefined;
        }
      });
    }
    return runs;
  } finally {
    await doc.destroy();
  }
}
