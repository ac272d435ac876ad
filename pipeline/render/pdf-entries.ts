/**
 * What memo-press puts into every PDF after Chromium has printed it: the
 * document information, catalog entries, inert links and a content-derived
 * /ID. Shared by the incremental update (pdf-amend.ts) and the full rewrite
 * it falls back to (pdf-metadata.ts), so both write the same entries.
 */
import { PDFBool, PDFDict, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { sha256Hex } from '../util/hash.js';
import { metaText, PRODUCER } from './pdf-archival.js';
import type { PdfMeta } from './pdf-options.js';

/** Link targets a memo's PDF may open; anything else (file:, javascript:, data:, smb:…) is made inert. */
const SAFE_URI = /^(?:https?:\/\/|mailto:)/i;

/**
 * Chromium turns every `<a href>` into a link annotation, whatever its scheme.
 * The sanitizer only lets http(s), mailto and #fragments into a memo, but the
 * PDF is what officials open: here too, only a GoTo (internal) action or a URI
 * action to http(s)/mailto is kept, and never a chained /Next action.
 * `resolve` turns an indirect reference into its object.
 */
export function isSafeAction(
  action: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): boolean {
  const kind = resolve(action.get(PDFName.of('S')));
  const name = kind instanceof PDFName ? kind.decodeText() : '';
  const uri = resolve(action.get(PDFName.of('URI')));
  const target = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
  const safe = name === 'GoTo' || (name === 'URI' && SAFE_URI.test(target));
  return safe && !action.has(PDFName.of('Next'));
}

/** The entries an annotation must lose: /AA (additional actions: never ours) and an unsafe /A. */
export function unsafeEntries(
  annot: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): string[] {
  const entries = annot.has(PDFName.of('AA')) ? ['AA'] : [];
  const action = resolve(annot.get(PDFName.of('A')));
  if (action instanceof PDFDict && !isSafeAction(action, resolve)) entries.push('A');
  return entries;
}

const ID_HEX_LENGTH = 32;

/** The /ID both entries start as: all zeros, replaced by `patchContentId`. */
export function placeholderId(): PDFHexString {
  return PDFHexString.of('0'.repeat(ID_HEX_LENGTH));
}

/**
 * /ID: the first 16 bytes of a SHA-256 over the finished file as saved with
 * the all-zero placeholder /ID. That file depends only on (pdf, meta), so equal
 * inputs give equal IDs, and any change of content changes the ID. Both array
 * entries are equal: this is an original, not a revision of another file.
 * The digest is written over the zeros in place (same length, so no offset
 * moves). False when there is no placeholder (then nothing was changed).
 */
export function patchContentId(bytes: Uint8Array): boolean {
  const zero = '0'.repeat(ID_HEX_LENGTH);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buffer.lastIndexOf(`/ID [ <${zero}> <${zero}> ]`, undefined, 'latin1');
  if (at < 0) return false;
  const hex = sha256Hex(bytes).slice(0, ID_HEX_LENGTH).toUpperCase();
  buffer.write(`/ID [ <${hex}> <${hex}> ]`, at, 'latin1');
  return true;
}

/**
 * The catalog entries memo-press sets: the memo's /Lang, /DisplayDocTitle
 * (PDF/UA: viewers show the title, not the file name) and, when there are
 * bookmarks, /PageMode /UseOutlines (the bookmarks pane opens with the file).
 */
export function updateCatalog(
  catalog: PDFDict,
  meta: PdfMeta,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
  context: PDFContext,
): void {
  catalog.set(PDFName.of('Lang'), PDFString.of(meta.lang));
  const prefs = resolve(catalog.get(PDFName.of('ViewerPreferences')));
  const viewer = prefs instanceof PDFDict ? prefs.clone() : context.obj({});
  viewer.set(PDFName.of('DisplayDocTitle'), PDFBool.True);
  catalog.set(PDFName.of('ViewerPreferences'), viewer);
  const outlines = resolve(catalog.get(PDFName.of('Outlines')));
  if (outlines instanceof PDFDict && outlines.has(PDFName.of('First'))) {
    catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
}

/** The document information dictionary: the memo's metadata, its own dates, never the clock; the XMP (pdf-archival.ts) says the same. */
export function infoDict(context: PDFContext, meta: PdfMeta): PDFDict {
  const info = context.obj({});
  const set = (key: string, value: PDFObject) => info.set(PDFName.of(key), value);
  // Control and bidi characters never reach a viewer's title bar (front matter refuses them too).
  const text = (value: string) => PDFHexString.fromText(metaText(value));
  set('Title', text(meta.title));
  set('Author', text(meta.author));
  set('Subject', text(meta.subject));
  // One comma-separated string: "public health, housing" must not read as three keywords.
  if (meta.keywords.length > 0) set('Keywords', text(meta.keywords.join(', ')));
  set('Creator', text(meta.creator));
  set('Producer', PDFHexString.fromText(PRODUCER));
  set('CreationDate', PDFString.fromDate(meta.date));
  set('ModDate', PDFString.fromDate(meta.date));
  return info;
}
