/**
 * Post-processing of the PDF Chromium prints: document metadata, catalog
 * entries for accessibility, bookmark titles, inert links, and reproducibility.
 *
 * Chromium (Skia) writes an Info dictionary with the clock's CreationDate and
 * ModDate, its user agent as Creator and "Skia/PDF mNNN" as Producer, and no
 * trailer /ID. Two launches printing the same HTML differ only in those two
 * dates (docs/performance.md). Everything else (font subset tags, object
 * numbers, compressed streams) is already stable, so replacing the Info
 * dictionary's contents and deriving /ID from the content is enough for
 * byte-identical output.
 *
 * The work is done by an incremental update (pdf-amend.ts); this module's
 * full rewrite with pdf-lib is the fallback for a file laid out otherwise.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { amendIndexed } from './pdf-amend.js';
import { addArchival, describeLink, linkDescriber, srgbProfile } from './pdf-archival.js';
import type { PrintedLink } from './pdf-archival.js';
import {
  infoDict,
  patchContentId,
  placeholderId,
  unsafeEntries,
  updateCatalog,
} from './pdf-entries.js';
import { tablesIn, tagTableCaptions } from './pdf-captions.js';
import { indexPdf } from './pdf-file.js';
import { renumberStructIds } from './pdf-struct-ids.js';
import type { PrintedPdf } from './pdf-file.js';
import type { PdfMeta } from './pdf-options.js';
import { retitleOutline } from './pdf-outline.js';

/**
 * Options for every save. `addDefaultPage: false`: an (impossible) empty
 * document must not silently gain a page. `updateFieldAppearances: false`:
 * memos have no forms, and pdf-lib would otherwise build an AcroForm.
 * Object streams (pdf-lib's default) keep the structure tree intact (checked
 * by tests/pdf-render.test.ts), are deterministic, and make the file smaller.
 */
const SAVE_OPTIONS = {
  useObjectStreams: true,
  addDefaultPage: false,
  updateFieldAppearances: false,
} as const;

/**
 * Set the metadata, catalog entries, bookmark titles (`headings`: the text of
 * every h1–h6 printed, in document order) and a content-derived /ID;
 * deterministic in (pdf, meta, headings). `pdf`: Chromium's bytes, or the file
 * already parsed after printing (pdf-file.ts), finished without a second parse;
 * nothing may read that parse afterwards.
 */
export async function finalizePdf(
  pdf: Uint8Array | PrintedPdf,
  meta: PdfMeta,
  headings: readonly string[] = [],
  links: readonly PrintedLink[] = [],
): Promise<Uint8Array> {
  const bytes = pdf instanceof Uint8Array ? pdf : pdf.bytes;
  const indexed = pdf instanceof Uint8Array ? indexPdf(pdf) : pdf.indexed;
  const amended = indexed === undefined ? undefined : amendIndexed(indexed, meta, headings, links);
  const loaded = pdf instanceof Uint8Array ? undefined : pdf.document;
  return amended ?? rewritePdf(bytes, meta, headings, links, loaded);
}

/**
 * The fallback: load the whole file with pdf-lib (unless `loaded`, its unchanged
 * load, is given), change it, save it anew.
 */
export async function rewritePdf(
  pdf: Uint8Array,
  meta: PdfMeta,
  headings: readonly string[] = [],
  links: readonly PrintedLink[] = [],
  loaded?: PDFDocument,
): Promise<Uint8Array> {
  // updateMetadata: false, or pdf-lib stamps its own Producer and the clock.
  const doc = loaded ?? (await PDFDocument.load(pdf, { updateMetadata: false }));
  const { context, catalog } = doc;

  const resolve = (value: PDFObject | undefined) =>
    value instanceof PDFRef ? context.lookup(value) : value;
  // Chromium's Info dictionary is refilled in place rather than replaced:
  // pdf-lib writes every object it parsed, referenced or not, so a replaced
  // dictionary would still end up in the file with the clock's dates.
  const fresh = infoDict(context, meta);
  const info = resolve(context.trailerInfo.Info);
  if (info instanceof PDFDict) {
    for (const key of info.keys()) info.delete(key);
    for (const [key, value] of fresh.entries()) info.set(key, value);
  } else {
    context.trailerInfo.Info = context.register(fresh);
  }
  updateCatalog(catalog, meta, resolve, context);
  retitleOutline(catalog, headings, resolve); // changes the items in place
  neutralizeLinks(doc, resolve, linkDescriber(links));
  // An XMP packet (Chromium writes none today) would repeat the old
  // producer and dates and contradict the Info dictionary: replace it.
  removeEntry(doc, catalog, 'Metadata');
  removeEntry(doc, catalog, 'OutputIntents');
  const store = {
    register: (value: PDFObject) => context.register(value),
    replace: (ref: PDFRef, value: PDFObject) => context.assign(ref, value),
  };
  addArchival(catalog, meta, srgbProfile(), resolve, context, store);
  renumberStructIds(catalog, resolve, context);
  tagTableCaptions(tablesIn(context), resolve, context, store);

  const id = placeholderId();
  context.trailerInfo.ID = context.obj([id, id]);
  const bytes = await doc.save(SAVE_OPTIONS);
  if (!patchContentId(bytes)) throw new Error('pdf-lib wrote no /ID placeholder to replace');
  return bytes;
}

/** Remove `key` from `dict`, and the object it points to (pdf-lib would keep writing an orphan). */
function removeEntry(doc: PDFDocument, dict: PDFDict, key: string): void {
  const name = PDFName.of(key);
  const value = dict.get(name);
  if (value === undefined) return;
  dict.delete(name);
  if (value instanceof PDFRef) doc.context.delete(value);
}

/**
 * Link annotations get their link's text as /Contents; those whose action is
 * unsafe (pdf-entries.ts) lose it. The annotation itself stays, so the
 * structure tree's references to it hold.
 */
function neutralizeLinks(
  doc: PDFDocument,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
  describe: (target: string | undefined) => string | undefined,
): void {
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref);
      if (!(annot instanceof PDFDict)) continue;
      describeLink(annot, resolve, describe);
      for (const key of unsafeEntries(annot, resolve)) removeEntry(doc, annot, key);
    }
  }
}
