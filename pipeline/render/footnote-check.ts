/**
 * The guard on page-bottom notes, read from the printed PDF alone: each note (a named
 * destination, its element id) must be on the page of the first link to it (its reference).
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import type { PlacedNote } from './footnote-layout.js';

function textOf(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  if (value instanceof PDFName) return value.decodeText();
  return undefined;
}

/** Why a note is not on its reference's page, or undefined when every note is. */
export async function misplacedNote(
  pdf: Uint8Array,
  notes: readonly PlacedNote[],
): Promise<string | undefined> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const { context, catalog } = doc;
  const look = (value: PDFObject | undefined): PDFObject | undefined =>
    value instanceof PDFRef ? context.lookup(value) : value;
  const pages = doc.getPages();
  const pageOf = new Map(pages.map((page, index) => [page.ref.toString(), index + 1]));

  const dests = new Map<string, PDFObject | undefined>();
  const old = look(catalog.get(PDFName.of('Dests')));
  if (old instanceof PDFDict)
    for (const [key, value] of old.entries()) dests.set(key.decodeText(), look(value));
  const walk = (node: PDFObject | undefined, depth: number): void => {
    const dict = look(node);
    if (!(dict instanceof PDFDict) || depth > 32) return;
    const names = look(dict.get(PDFName.of('Names')));
    if (names instanceof PDFArray) {
      for (let i = 0; i + 1 < names.size(); i += 2) {
        const name = textOf(look(names.get(i)));
        if (name !== undefined) dests.set(name, look(names.get(i + 1)));
      }
    }
    const kids = look(dict.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) walk(kid, depth + 1);
  };
  const names = look(catalog.get(PDFName.of('Names')));
  if (names instanceof PDFDict) walk(names.get(PDFName.of('Dests')), 0);

  const targetPage = (dest: PDFObject | undefined): number | undefined => {
    let value = look(dest);
    if (value instanceof PDFDict) value = look(value.get(PDFName.of('D')));
    if (value instanceof PDFArray) return pageOf.get(String(value.get(0)));
    return undefined;
  };

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

  for (const note of notes) {
    const notePage = targetPage(dests.get(note.id));
    const refPage = firstLink.get(note.id);
    if (notePage === undefined || refPage === undefined)
      return `note ${note.label} could not be found in the printed PDF`;
    if (notePage !== refPage)
      return `note ${note.label} would print on page ${notePage}, its reference on page ${refPage}`;
  }
  return undefined;
}
