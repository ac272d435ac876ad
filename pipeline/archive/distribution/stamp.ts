/**
 * A numbered copy of a published memo.pdf: every page gets "Copy NN of MM —
 * Name, Office" in its bottom margin, as real text inside an `/Artifact`
 * marked-content sequence (so the structure tree, the outline and the
 * classification marking stay as they were), and the document information
 * dictionary gets the copy's identity (COPY_KEYS).
 *
 * The published file is kept byte for byte: after it comes an incremental
 * update (ISO 32000-1, 7.5.6) holding only the objects the stamp changed (each
 * page, its resources, the font, the stamp streams, the information
 * dictionary), found by comparing every object's serialization before and
 * after. Nothing depends on the clock or on chance, so the same version and
 * recipient always give the same bytes.
 *
 * The stamp is written in an embedded subset of Source Sans 3 (stamp-font.ts)
 * with a ToUnicode map, and the marked content carries the line as
 * /ActualText, so the copy stays PDF/A-2u and `pdftotext` reads the stamp. A
 * name the face cannot write is refused before anything is written
 * (`unstampable`). When the published file has XMP metadata, the copy's XMP
 * says what its Info says, the copy's identity included (pdf-archival.ts).
 */
import { appendPdfUpdate, serializePdfObject } from '../../render/pdf-update.js';
import { createHash } from 'node:crypto';
import {
  CustomFontSubsetEmbedder,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFFont,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  PDFRef,
  PDFString,
  beginText,
  endMarkedContent,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setFillingGrayscaleColor,
  setFontAndSize,
  showText,
  moveText,
} from 'pdf-lib';
import { copyMetadata } from '../../render/pdf-archival.js';
import { COPY_KEYS } from './copy-keys.js';
import { loadStampFaces, missingFrom, runsOf, subsetName } from './stamp-font.js';
import type { StampFace } from './stamp-font.js';

export { COPY_KEYS } from './copy-keys.js';

export interface CopyIdentity {
  readonly memo: string;
  readonly version: number;
  readonly copy: number;
  readonly of: number;
  readonly recipient: string;
  readonly name: string;
  readonly office: string;
}

const FONT_SIZE = 7.5;
/** The page's property list (Resources /Properties) holding the stamp's /ActualText. */
const STAMP_TEXT = PDFName.of('MemoPressStamp');
/** Points above the bottom edge: inside the page margin, below Chromium's footer. */
const BASELINE = 14;

/** `03` for 3 of 12, `003` for 3 of 120. */
export function copyNumber(copy: number, of: number): string {
  return String(copy).padStart(Math.max(2, String(of).length), '0');
}

/** The line stamped on every page of a copy. */
export function stampText(identity: CopyIdentity): string {
  return `Copy ${copyNumber(identity.copy, identity.of)} of ${copyNumber(identity.of, identity.of)} \u2014 ${identity.name}, ${identity.office}`;
}

/** Characters the stamp's faces (Source Sans 3, latin and latin-ext) cannot write, or [] when they can write all. */
export function unstampable(
  text: string,
  faces: readonly StampFace[] = loadStampFaces(),
): string[] {
  return missingFrom(faces, text);
}

const latin1 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** Where the last cross-reference section starts, and whether it is a classic table. */
function lastXref(pdf: Uint8Array): { offset: number; table: boolean } | undefined {
  const tail = latin1(pdf.subarray(Math.max(0, pdf.length - 64)));
  const found = /startxref\s+(\d+)\s+%%EOF\s*$/u.exec(tail);
  if (found?.[1] === undefined) return undefined;
  const offset = Number(found[1]);
  return { offset, table: latin1(pdf.subarray(offset, offset + 4)) === 'xref' };
}

function snapshot(doc: PDFDocument): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const [ref, value] of doc.context.enumerateIndirectObjects())
    hashes.set(ref.tag, createHash('sha256').update(serializePdfObject(value)).digest('hex'));
  return hashes;
}

/** A run of the stamp: the page's font key, the glyphs. */
interface EncodedRun {
  readonly key: PDFName;
  readonly encoded: PDFHexString;
}

function stampOperators(
  box: { x: number; y: number; width: number },
  runs: readonly EncodedRun[],
  width: number,
) {
  return [
    pushGraphicsState(),
    PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
      PDFName.of('Artifact'),
      STAMP_TEXT,
    ]),
    beginText(),
    setFillingGrayscaleColor(0.25),
    moveText(box.x + (box.width - width) / 2, box.y + BASELINE),
    ...runs.flatMap((run) => [setFontAndSize(run.key, FONT_SIZE), showText(run.encoded)]),
    endText(),
    endMarkedContent(),
    popGraphicsState(),
  ];
}

function infoDict(doc: PDFDocument): PDFDict {
  const trailer = doc.context.trailerInfo;
  const existing = trailer.Info === undefined ? undefined : doc.context.lookup(trailer.Info);
  if (existing instanceof PDFDict) return existing;
  const dict = doc.context.obj({});
  trailer.Info = doc.context.register(dict);
  return dict;
}

/** Makes the copies of one published file: `stamp(identity)` gives a copy's bytes. */
export interface Stamper {
  stamp(identity: CopyIdentity): Promise<Uint8Array>;
}

/**
 * Parse `source` once and prepare what every copy shares (each page's extra
 * content stream and resources); each copy then gets its own font subset
 * (the glyphs of its line), stamp streams and identity. Every copy starts
 * from the same objects and object numbers, so the bytes of a copy depend
 * only on `source` and its identity, not on the copies made before it.
 */
export async function createStamper(
  source: Uint8Array,
  faces: readonly StampFace[] = loadStampFaces(),
): Promise<Stamper> {
  const doc = await PDFDocument.load(source, { updateMetadata: false });
  const before = snapshot(doc);
  const fontRef = doc.context.nextRef();
  const actualRef = doc.context.nextRef();
  const pages = doc.getPages().map((page) => {
    const box = page.getMediaBox();
    page.node.normalize();
    // The first face's font is in every copy; the others only in the copies whose line needs them.
    const keys = faces.map((_, index) =>
      index === 0
        ? page.node.newFontDictionary('MemoPressStamp', fontRef)
        : page.node.newFontDictionaryKey('MemoPressStamp'),
    );
    propertyLists(doc, page.node.Resources()).set(STAMP_TEXT, actualRef);
    const ref = doc.context.register(doc.context.contentStream([]));
    page.node.addContentStream(ref);
    return { box, keys, fonts: page.node.normalizedEntries().Font, ref };
  });
  const info = infoDict(doc);
  const metadata = metadataRef(doc);
  const xref = lastXref(source);
  const shared = doc.context.largestObjectNumber;
  let sharedChanged: PDFRef[] | undefined;
  return {
    async stamp(identity) {
      for (const [ref] of doc.context.enumerateIndirectObjects())
        if (ref.objectNumber > shared) doc.context.delete(ref);
      doc.context.largestObjectNumber = shared;
      const text = stampText(identity);
      const runs = runsOf(faces, text);
      const fonts = new Map<number, PDFFont>();
      for (const [index, face] of faces.entries()) {
        const own = runs.filter((run) => run.face === index).map((run) => run.text);
        if (own.length === 0 && index > 0) continue;
        const embedder = await CustomFontSubsetEmbedder.for(
          face.fontkit,
          face.bytes,
          subsetName(face, own.join('')),
        );
        fonts.set(index, PDFFont.of(index === 0 ? fontRef : doc.context.nextRef(), doc, embedder));
      }
      const encoded = runs.map((run) => {
        const font = fonts.get(run.face);
        if (font === undefined) throw new Error(`no stamp font for face ${run.face}`);
        return { face: run.face, font, encoded: font.encodeText(run.text), text: run.text };
      });
      const width = encoded.reduce(
        (sum, run) => sum + run.font.widthOfTextAtSize(run.text, FONT_SIZE),
        0,
      );
      for (const font of fonts.values()) await font.embed();
      doc.context.assign(actualRef, doc.context.obj({ ActualText: PDFHexString.fromText(text) }));
      for (const page of pages) {
        for (const [index, key] of page.keys.entries()) {
          const font = fonts.get(index);
          if (font === undefined) page.fonts.delete(key);
          else page.fonts.set(key, font.ref);
        }
        const operators = stampOperators(
          page.box,
          encoded.map((run) => ({ key: keyOf(page.keys, run.face), encoded: run.encoded })),
          width,
        );
        doc.context.assign(page.ref, doc.context.contentStream(operators));
      }
      info.set(PDFName.of(COPY_KEYS.memo), PDFString.of(identity.memo));
      info.set(PDFName.of(COPY_KEYS.version), PDFString.of(String(identity.version)));
      info.set(PDFName.of(COPY_KEYS.copy), PDFString.of(String(identity.copy)));
      info.set(PDFName.of(COPY_KEYS.of), PDFString.of(String(identity.of)));
      info.set(PDFName.of(COPY_KEYS.recipient), PDFString.of(identity.recipient));
      if (metadata !== undefined)
        doc.context.assign(metadata, copyMetadata(doc.context, doc.catalog, info, identity));
      setId(doc, source, identity);
      if (xref === undefined || !xref.table)
        return doc.save({
          useObjectStreams: false,
          addDefaultPage: false,
          updateFieldAppearances: false,
        });
      // The shared objects a copy changes are the same for every copy; its fonts are its own.
      sharedChanged ??= changedRefs(doc, before).filter((ref) => ref.objectNumber <= shared);
      const own = doc.context
        .enumerateIndirectObjects()
        .map(([ref]) => ref)
        .filter((ref) => ref.objectNumber > shared)
        .sort((a, b) => a.objectNumber - b.objectNumber);
      return appendUpdate(doc, source, [...sharedChanged, ...own], xref.offset);
    },
  };
}

function keyOf(keys: readonly PDFName[], face: number): PDFName {
  const key = keys[face];
  if (key === undefined) throw new Error(`no font key for stamp face ${face}`);
  return key;
}

/** The /Properties dictionary of a page's resources (made when there is none). */
function propertyLists(doc: PDFDocument, resources: PDFDict | undefined): PDFDict {
  const found = resources?.lookupMaybe(PDFName.of('Properties'), PDFDict);
  if (found !== undefined) return found;
  const made = doc.context.obj({});
  resources?.set(PDFName.of('Properties'), made);
  return made;
}

/** The XMP metadata stream of the published file, when it has one (an indirect stream). */
function metadataRef(doc: PDFDocument): PDFRef | undefined {
  const value = doc.catalog.get(PDFName.of('Metadata'));
  return value instanceof PDFRef ? value : undefined;
}

/** The copy's bytes (one copy: see createStamper for many). */
export async function stampCopy(source: Uint8Array, identity: CopyIdentity): Promise<Uint8Array> {
  return (await createStamper(source)).stamp(identity);
}

/** A content-derived /ID: the published file's first half, the copy's own second. */
function setId(doc: PDFDocument, source: Uint8Array, identity: CopyIdentity): void {
  const id = createHash('sha256')
    .update(JSON.stringify([identity.memo, identity.version, identity.copy, identity.recipient]))
    .update(source)
    .digest('hex')
    .slice(0, 32);
  const trailer = doc.context.trailerInfo;
  const oldId = trailer.ID instanceof PDFArray ? trailer.ID.get(0) : undefined;
  const first =
    oldId instanceof PDFHexString || oldId instanceof PDFString ? oldId : PDFHexString.of(id);
  trailer.ID = doc.context.obj([first, PDFHexString.of(id)]);
}

/** The objects that differ from `before` (the same for every copy: only their content does). */
function changedRefs(doc: PDFDocument, before: ReadonlyMap<string, string>): PDFRef[] {
  return doc.context
    .enumerateIndirectObjects()
    .filter(
      ([ref, value]) =>
        before.get(ref.tag) !==
        createHash('sha256').update(serializePdfObject(value)).digest('hex'),
    )
    .map(([ref]) => ref)
    .sort((a, b) => a.objectNumber - b.objectNumber);
}

function appendUpdate(
  doc: PDFDocument,
  source: Uint8Array,
  changed: readonly PDFRef[],
  previousXref: number,
): Uint8Array {
  const objects = changed.flatMap((ref) => {
    const value = doc.context.lookup(ref);
    return value === undefined ? [] : [[ref, value] as const];
  });
  const info = doc.context.trailerInfo;
  const trailer = doc.context.obj({});
  trailer.set(PDFName.of('Size'), PDFNumber.of(doc.context.largestObjectNumber + 1));
  if (info.Root !== undefined) trailer.set(PDFName.of('Root'), info.Root);
  if (info.Info !== undefined) trailer.set(PDFName.of('Info'), info.Info);
  if (info.ID !== undefined) trailer.set(PDFName.of('ID'), info.ID);
  trailer.set(PDFName.of('Prev'), PDFNumber.of(previousXref));
  return appendPdfUpdate(source, objects, trailer);
}
