/**
 * Where things are in a printed PDF, read from the file alone: the page of each named destination
 * (an element id Chromium kept as a link target) and of the first link to it, and the page count.
 * One parse (pdf-file.ts) serves the footnote placement check (footnote-check.ts), the page numbers
 * of the contents and `:ref` (page-numbers.ts), `toc: auto` and then the finish (pdf-metadata.ts).
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { openPrintedPdf } from './pdf-file.js';
import type { PrintedPdf } from './pdf-file.js';

export { openPrintedPdf } from './pdf-file.js';
export type { PrintedPdf } from './pdf-file.js';

export interface PdfLinks {
  readonly pageCount: number;
  /** Named destination → its 1-based page. */
  readonly destinations: ReadonlyMap<string, number>;
  /** Named destination → the 1-based page of the first link to it. */
  readonly firstLink: ReadonlyMap<string, number>;
}

function textOf(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  if (value instanceof PDFName) return value.decodeText();
  return undefined;
}

/** `pdfLinks` for PDF bytes. */
export async function readPdfLinks(pdf: Uint8Array): Promise<PdfLinks> {
  return pdfLinks(await openPrintedPdf(pdf));
}

/** Where things are in the parsed file (which is only read). */
export function pdfLinks({ catalog, pages, resolve: look }: PrintedPdf): PdfLinks {
  const pageOf = new Map(pages.map((page, index) => [page.ref.toString(), index + 1]));
  const targetPage = (dest: PDFObject | undefined): number | undefined => {
    let value = look(dest);
    if (value instanceof PDFDict) value = look(value.get(PDFName.of('D')));
    if (value instanceof PDFArray) return pageOf.get(String(value.get(0)));
    return undefined;
  };

  const destinations = new Map<string, number>();
  const add = (name: string | undefined, dest: PDFObject | undefined): void => {
    const page = targetPage(dest);
    if (name !== undefined && page !== undefined) destinations.set(name, page);
  };
  const old = look(catalog.get(PDFName.of('Dests')));
  if (old instanceof PDFDict)
    for (const [key, value] of old.entries()) add(key.decodeText(), value);
  const walk = (node: PDFObject | undefined, depth: number): void => {
    const dict = look(node);
    if (!(dict instanceof PDFDict) || depth > 32) return;
    const names = look(dict.get(PDFName.of('Names')));
    if (names instanceof PDFArray) {
      for (let i = 0; i + 1 < names.size(); i += 2)
        add(textOf(look(names.get(i))), names.get(i + 1));
    }
    const kids = look(dict.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) walk(kid, depth + 1);
  };
  const names = look(catalog.get(PDFName.of('Names')));
  if (names instanceof PDFDict) walk(names.get(PDFName.of('Dests')), 0);

  const firstLink = new Map<string, number>();
  pages.forEach((page, index) => {
    const annots = look(page.node.get(PDFName.of('Annots')));
    if (!(annots instanceof PDFArray)) return;
    for (const item of annots.asArray()) {
      const annot = look(item);
      if (!(annot instanceof PDFDict)) continue;
      let dest = look(annot.get(PDFName.of('Dest')));
      const action = look(annot.get(PDFName.of('A')));
      if (dest === undefined && action instanceof PDFDict) dest = look(action.get(PDFName.of('D')));
      const name = textOf(dest);
      if (name !== undefined && !firstLink.has(name)) firstLink.set(name, index + 1);
    }
  });
  return { pageCount: pages.length, destinations, firstLink };
}
