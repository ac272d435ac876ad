/**
 * Chromium's PDF, amended by an incremental update (ISO 32000-1, 7.5.6)
 * instead of being parsed and written out again.
 *
 * Chromium's file is kept byte for byte; after it come new versions of the
 * few objects memo-press changes, a cross-reference section for them and a
 * trailer pointing back (/Prev) to Chromium's. Only the cross-reference
 * table, the catalog, the page tree and the link annotations are parsed: a
 * tagged PDF's thousands of structure objects, its fonts and content streams
 * are never touched: the full rewrite (pdf-lib load + save) is slow on a long
 * memo, on the critical path of every build (docs/performance.md).
 *
 * What the update holds (the same as the full rewrite, pdf-metadata.ts):
 * - a new document information dictionary (title, author, subject, keywords,
 *   creator, producer, the memo's own dates). Chromium's, with the clock's
 *   dates, is blanked in place (same length, so no offset moves): equal
 *   inputs give byte-identical files;
 * - the catalog with the memo's /Lang, /DisplayDocTitle and, when there are
 *   bookmarks, /PageMode /UseOutlines;
 * - each bookmark whose title Chromium garbled, with its heading's text
 *   (pdf-outline.ts);
 * - each link annotation with an unsafe action, without it (pdf-entries.ts);
 * - each link annotation, with its link's text as /Contents, and the XMP
 *   stream, sRGB OutputIntent and structure RoleMap (pdf-archival.ts);
 * - each table's caption tagged /Caption (pdf-captions.ts);
 * - structure ids renumbered in document order, in place, and the IDTree (pdf-struct-ids.ts);
 * - a content-derived /ID.
 *
 * Returns undefined when the file is not laid out as expected (a
 * cross-reference stream, an earlier update, XMP metadata, inline
 * annotations, an OutputIntent…): the caller then falls back to the full rewrite.
 */
import { appendPdfUpdate } from './pdf-update.js';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import {
  infoDict,
  patchContentId,
  placeholderId,
  unsafeEntries,
  updateCatalog,
} from './pdf-entries.js';
import { addArchival, describeLink, linkDescriber, srgbProfile } from './pdf-archival.js';
import type { PrintedLink } from './pdf-archival.js';
import { tablesByOffset, tagTableCaptions } from './pdf-captions.js';
import { indexPdf } from './pdf-file.js';
import { renumberStructIdsInPlace } from './pdf-struct-ids.js';
import { bytesOf } from './pdf-search.js';
import type { IndexedPdf, Resolve } from './pdf-file.js';
import type { PdfMeta } from './pdf-options.js';
import { retitleOutline } from './pdf-outline.js';

/**
 * The finished file, or undefined to fall back to the full rewrite.
 * `headings`: the text of every h1–h6 printed, in document order (the bookmarks' titles);
 * `links`: every link of the printed page, in document order (the annotations' /Contents).
 */
export function amendPdf(
  pdf: Uint8Array,
  meta: PdfMeta,
  headings: readonly string[] = [],
  links: readonly PrintedLink[] = [],
): Uint8Array | undefined {
  const file = indexPdf(pdf);
  return file === undefined ? undefined : amendIndexed(file, meta, headings, links);
}

/**
 * `amendPdf` for a file already indexed (pdf-file.ts), whose objects may already have been
 * read: the update changes them in place, so nothing may read the file after this.
 */
export function amendIndexed(
  file: IndexedPdf,
  meta: PdfMeta,
  headings: readonly string[],
  links: readonly PrintedLink[],
): Uint8Array | undefined {
  const { pdf, resolve } = file;
  const changed = new Map<PDFRef, PDFObject>();

  const rootRef = file.trailer.get(PDFName.of('Root'));
  const catalog = resolve(rootRef);
  if (!(rootRef instanceof PDFRef) || !(catalog instanceof PDFDict)) return undefined;
  if (catalog.has(PDFName.of('Metadata')) || catalog.has(PDFName.of('OutputIntents')))
    return undefined;
  updateCatalog(catalog, meta, resolve, file.context);
  changed.set(rootRef, catalog);
  // Chromium's versions stay in the file, superseded: a title is no secret.
  for (const { ref, item } of retitleOutline(catalog, headings, resolve)) changed.set(ref, item);

  const size = file.trailer.get(PDFName.of('Size'));
  if (!(size instanceof PDFNumber)) return undefined;
  let nextNumber = size.asNumber();
  const store = {
    register: (value: PDFObject) => {
      const ref = PDFRef.of(nextNumber);
      nextNumber += 1;
      changed.set(ref, value);
      return ref;
    },
    replace: (ref: PDFRef, value: PDFObject) => changed.set(ref, value),
  };
  addArchival(catalog, meta, srgbProfile(), resolve, file.context, store);
  tagTableCaptions(tablesByOffset(pdf, file.entries), resolve, file.context, store);

  const out = Uint8Array.from(pdf);
  const blank = (ref: PDFRef): boolean => blankObject(file, ref, out);
  if (!renumberStructIdsInPlace(file, catalog, out, store, blank)) return undefined;
  const pages = catalog.get(PDFName.of('Pages'));
  const describe = linkDescriber(links);
  if (!amendLinks(file, pages, resolve, changed, blank, describe)) return undefined;

  // The information dictionary: a new version of Chromium's object, whose
  // old bytes (the clock's dates, Chromium's user agent) are blanked.
  const oldInfo = file.trailer.get(PDFName.of('Info'));
  let infoRef: PDFRef;
  if (oldInfo instanceof PDFRef) {
    if (!blank(oldInfo)) return undefined;
    infoRef = oldInfo;
  } else {
    infoRef = PDFRef.of(nextNumber);
    nextNumber += 1;
  }
  changed.set(infoRef, infoDict(file.context, meta));

  return withUpdate(file, out, changed, {
    Size: PDFNumber.of(nextNumber),
    Root: rootRef,
    Info: infoRef,
  });
}

/** Overwrite an object's value with an empty dictionary and spaces, keeping every offset. */
function blankObject(file: IndexedPdf, ref: PDFRef, out: Uint8Array): boolean {
  const found = file.read(ref);
  if (found === undefined) return false;
  const end = bytesOf(out).indexOf('endobj', found.start, 'latin1');
  if (end < 0 || end - found.start < 4) return false;
  out.fill(0x20, found.start, end); // spaces
  out.set([0x3c, 0x3c, 0x3e, 0x3e], found.start); // <<>>
  return true;
}

/**
 * Queue a new version of every link annotation that gains /Contents or loses
 * an unsafe action; for the latter, blank Chromium's version (and an action
 * that was an object of its own), so that the action is not left in the file
 * even as superseded bytes. False: unexpected layout.
 */
function amendLinks(
  file: IndexedPdf,
  pages: PDFObject | undefined,
  resolve: Resolve,
  changed: Map<PDFRef, PDFObject>,
  blank: (ref: PDFRef) => boolean,
  describe: (target: string | undefined) => string | undefined,
): boolean {
  const visited = new Set<number>();
  const pending: Array<PDFObject | undefined> = [pages];
  while (pending.length > 0) {
    const item = pending.pop();
    if (!(item instanceof PDFRef) || visited.has(item.objectNumber)) return false;
    visited.add(item.objectNumber);
    const node = resolve(item);
    if (!(node instanceof PDFDict)) return false;
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) {
      pending.push(...kids.asArray());
      continue;
    }
    const annots = resolve(node.get(PDFName.of('Annots')));
    if (annots === undefined) continue;
    if (!(annots instanceof PDFArray)) return false;
    for (const ref of annots.asArray()) {
      const annot = resolve(ref);
      if (!(ref instanceof PDFRef) || !(annot instanceof PDFDict)) return false;
      // Described before an unsafe action goes: the description names its target.
      const described = describeLink(annot, resolve, describe);
      const unsafe = unsafeEntries(annot, resolve);
      for (const key of unsafe) {
        const value = annot.get(PDFName.of(key));
        if (value instanceof PDFRef && !blank(value)) return false;
        annot.delete(PDFName.of(key));
      }
      if (unsafe.length > 0 && !blank(ref)) return false;
      if (described || unsafe.length > 0) changed.set(ref, annot);
    }
  }
  return true;
}

/** `out` (Chromium's file) followed by the update: objects, cross-references, trailer. */
function withUpdate(
  file: IndexedPdf,
  out: Uint8Array,
  changed: ReadonlyMap<PDFRef, PDFObject>,
  trailer: Record<string, PDFObject>,
): Uint8Array | undefined {
  const objects = [...changed.entries()].sort(([a], [b]) => a.objectNumber - b.objectNumber);
  const dict = file.context.obj({});
  for (const [key, value] of Object.entries(trailer)) dict.set(PDFName.of(key), value);
  dict.set(PDFName.of('Prev'), PDFNumber.of(file.xrefOffset));
  const id = placeholderId();
  dict.set(PDFName.of('ID'), file.context.obj([id, id]));
  const result = appendPdfUpdate(out, objects, dict);
  return patchContentId(result) ? result : undefined;
}
