/**
 * Post-processing of the PDF Chromium prints: document metadata, catalog
 * entries for accessibility, inert links, and reproducibility.
 *
 * Chromium (Skia) writes an Info dictionary with the clock's CreationDate and
 * ModDate, its user agent as Creator and "Skia/PDF mNNN" as Producer, and no
 * trailer /ID. Measured on Chromium 156: two launches printing the same HTML
 * differ only in those two dates. Everything else (font subset tags, object
 * numbers, compressed streams) is already stable, so replacing the Info
 * dictionary's contents and deriving /ID from the content is enough for
 * byte-identical output.
 *
 * The work is done by an incremental update (pdf-amend.ts); this module's
 * full rewrite with pdf-lib is the fallback for a file laid out otherwise.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { PRODUCER, amendPdf } from './pdf-amend.js';
import { patchContentId, placeholderId, unsafeEntries } from './pdf-links.js';
import type { PdfMeta } from './pdf.js';

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

/** Set the metadata, catalog entries and a content-derived /ID; deterministic in (pdf, meta). */
export async function finalizePdf(pdf: Uint8Array, meta: PdfMeta): Promise<Uint8Array> {
  return amendPdf(pdf, meta) ?? rewritePdf(pdf, meta);
}

/** The fallback: load the whole file with pdf-lib, change it, save it anew. */
export async function rewritePdf(pdf: Uint8Array, meta: PdfMeta): Promise<Uint8Array> {
  // updateMetadata: false, or pdf-lib stamps its own Producer and the clock.
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const { context, catalog } = doc;

  // Empty Chromium's Info dictionary in place rather than registering a new
  // one: pdf-lib writes every object it parsed, referenced or not, so a
  // replaced dictionary would still end up in the file with the clock's dates.
  const info = context.lookup(context.trailerInfo.Info);
  if (info instanceof PDFDict) {
    for (const key of info.keys()) info.delete(key);
  }
  // showInWindowTitleBar sets /ViewerPreferences << /DisplayDocTitle true >>
  // (PDF/UA: viewers show the title, not the file name).
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  // pdf-lib joins keywords with spaces, which makes "public health, housing"
  // read as three keywords; a comma-separated single string stays unambiguous.
  if (meta.keywords.length > 0) doc.setKeywords([meta.keywords.join(', ')]);
  doc.setCreator(meta.creator);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  doc.setLanguage(meta.lang);

  neutralizeLinks(doc);

  // An XMP packet (Chromium writes none today) would repeat the old
  // producer and dates and contradict the Info dictionary: drop it.
  removeEntry(doc, catalog, 'Metadata');

  // Open the bookmarks pane when there is an outline (WCAG/PDF/UA navigation).
  const outlines = catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  if (outlines?.has(PDFName.of('First')) === true) {
    catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }

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

/** Annotations whose action is unsafe (pdf-links.ts) lose it; the annotation itself stays, so the structure tree's references to it hold. */
function neutralizeLinks(doc: PDFDocument): void {
  const resolve = (value: PDFObject | undefined) =>
    value instanceof PDFRef ? doc.context.lookup(value) : value;
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref);
      if (!(annot instanceof PDFDict)) continue;
      for (const key of unsafeEntries(annot, resolve)) removeEntry(doc, annot, key);
    }
  }
}
