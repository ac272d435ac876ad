/**
 * Post-processing of the PDF Chromium prints: document metadata, catalog
 * entries for accessibility, and reproducibility.
 *
 * Chromium (Skia) writes an Info dictionary with the clock's CreationDate and
 * ModDate, its user agent as Creator and "Skia/PDF mNNN" as Producer, and no
 * trailer /ID. Measured on Chromium 156: two launches printing the same HTML
 * differ only in those two dates. Everything else (font subset tags, object
 * numbers, compressed streams) is already stable, so replacing the Info
 * dictionary's contents and deriving /ID from the content is enough for
 * byte-identical output.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PdfMeta } from './pdf.js';

const PRODUCER = 'memo-press';
/** Link targets a memo's PDF may open; anything else (file:, javascript:, data:, smb:…) is made inert. */
const SAFE_URI = /^(?:https?:\/\/|mailto:)/i;

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

  // /ID: the first 16 bytes of a SHA-256 over the finished file saved with an
  // all-zero /ID. That file depends only on (pdf, meta) once the dates are
  // ours, so equal inputs give equal IDs, and any change of content changes
  // the ID. Both array entries are equal: this is an original, not an update.
  // The digest is written over the zeros in place (same length, so no offset
  // moves) rather than by saving a second time, which cost as much again.
  const zeros = PDFHexString.of('0'.repeat(ID_HEX_LENGTH));
  context.trailerInfo.ID = context.obj([zeros, zeros]);
  const bytes = await doc.save(SAVE_OPTIONS);
  const digest = createHash('sha256')
    .update(bytes)
    .digest()
    .subarray(0, ID_HEX_LENGTH / 2)
    .toString('hex')
    .toUpperCase();
  if (patchId(bytes, digest)) return bytes;
  // pdf-lib wrote the trailer some other way: set the ID and save again.
  const id = PDFHexString.of(digest);
  context.trailerInfo.ID = context.obj([id, id]);
  return doc.save(SAVE_OPTIONS);
}

const ID_HEX_LENGTH = 32;

/** Overwrite the last `/ID [ <0…0> <0…0> ]` (the trailer's) with `hex`; false if there is none. */
function patchId(bytes: Uint8Array, hex: string): boolean {
  const zero = '0'.repeat(ID_HEX_LENGTH);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buffer.lastIndexOf(`/ID [ <${zero}> <${zero}> ]`, undefined, 'latin1');
  if (at < 0) return false;
  buffer.write(`/ID [ <${hex}> <${hex}> ]`, at, 'latin1');
  return true;
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
 * Chromium turns every `<a href>` into a link annotation, whatever its scheme.
 * The sanitizer only lets http(s), mailto and #fragments into a memo, but the
 * PDF is what officials open: here too, an annotation whose action is not a
 * GoTo (internal) or a URI action to http(s)/mailto loses its action. The
 * annotation itself stays, so the structure tree's references to it hold.
 */
function neutralizeLinks(doc: PDFDocument): void {
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref);
      if (!(annot instanceof PDFDict)) continue;
      removeEntry(doc, annot, 'AA'); // additional actions (on focus, on open…): never ours
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
      if (action === undefined) continue;
      const kind = action.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText();
      const uri = action.lookup(PDFName.of('URI'));
      const target =
        uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
      const safe = kind === 'GoTo' || (kind === 'URI' && SAFE_URI.test(target));
      if (!safe || action.has(PDFName.of('Next'))) removeEntry(doc, annot, 'A');
    }
  }
}
