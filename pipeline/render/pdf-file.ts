/**
 * A printed PDF, parsed once for everything read from it after printing: its links and pages
 * (pdf-links.ts: the footnote check, the page numbers, `toc: auto`) and the finish (pdf-amend.ts).
 * Hand-written index of the cross-reference table because pdf-lib's whole-file load took
 * 0.4 s on a 150-page memo against 10 ms for this (docs/performance.md); pdf-lib still parses
 * every object read, and any file not laid out as Chromium writes it is loaded by pdf-lib whole.
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFObjectParser,
  PDFRef,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';

export type Resolve = (value: PDFObject | undefined) => PDFObject | undefined;

/** Where an object's `N G obj` starts, and its generation. */
export interface Entry {
  readonly offset: number;
  readonly generation: number;
}

/** An indirect object's value, and where its value's bytes start in the file. */
export interface ReadObject {
  readonly value: PDFObject;
  readonly start: number;
}

/**
 * Chromium's file, indexed: where each object is, and its trailer. Objects are parsed when first
 * read and kept: a change made to one (by the finish, the last reader) is seen by later reads.
 */
export interface IndexedPdf {
  readonly pdf: Uint8Array;
  readonly xrefOffset: number;
  /** Object number → where it is. */
  readonly entries: ReadonlyMap<number, Entry>;
  readonly trailer: PDFDict;
  readonly context: PDFContext;
  read(ref: PDFRef): ReadObject | undefined;
  /** A reference's value (read as `read` does), any other value as it is. */
  readonly resolve: Resolve;
}

/** A page: its object and its dictionary. */
export interface PdfPage {
  readonly ref: PDFRef;
  readonly node: PDFDict;
}

/** A printed PDF, parsed: either indexed (Chromium's layout) or loaded whole by pdf-lib. */
export interface PrintedPdf {
  readonly bytes: Uint8Array;
  readonly catalog: PDFDict;
  readonly resolve: Resolve;
  /** The pages, in order. */
  readonly pages: readonly PdfPage[];
  /** Set when the file is laid out as Chromium writes it (one classic cross-reference table). */
  readonly indexed: IndexedPdf | undefined;
  /** Set when it is not: pdf-lib's parse of the whole file, unchanged. */
  readonly document: PDFDocument | undefined;
}

/** Deeper page trees than this are not Chromium's (it writes one level). */
const MAX_TREE_DEPTH = 32;

const text = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** The file's one classic cross-reference table and trailer, or undefined for any other layout. */
export function indexPdf(pdf: Uint8Array): IndexedPdf | undefined {
  const tail = text(pdf.subarray(Math.max(0, pdf.length - 64)));
  const found = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (found?.[1] === undefined) return undefined;
  const xrefOffset = Number(found[1]);
  const table = text(pdf.subarray(xrefOffset));
  if (!table.startsWith('xref')) return undefined; // a cross-reference stream
  const entries = new Map<number, Entry>();
  const subsection = /\s*(\d+) (\d+)\s*?\r?\n/y;
  const entry = /(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)/y;
  let position = 'xref'.length;
  for (;;) {
    subsection.lastIndex = position;
    const head = subsection.exec(table);
    if (head === null) break; // a failed sticky match resets lastIndex: keep our own
    const first = Number(head[1]);
    entry.lastIndex = subsection.lastIndex;
    for (let number = first; number < first + Number(head[2]); number += 1) {
      const row = entry.exec(table);
      if (row === null) return undefined;
      if (row[3] === 'n')
        entries.set(number, { offset: Number(row[1]), generation: Number(row[2]) });
    }
    position = entry.lastIndex;
  }
  const trailerAt = /\s*trailer\s*/y;
  trailerAt.lastIndex = position;
  if (trailerAt.exec(table) === null) return undefined;
  const context = PDFContext.create();
  const trailer = PDFObjectParser.forBytes(
    pdf.subarray(xrefOffset + trailerAt.lastIndex),
    context,
  ).parseObject();
  if (!(trailer instanceof PDFDict)) return undefined;

  const parsed = new Map<number, ReadObject | undefined>();
  const read = (ref: PDFRef): ReadObject | undefined => {
    if (parsed.has(ref.objectNumber)) return parsed.get(ref.objectNumber);
    const result = parseAt(pdf, entries.get(ref.objectNumber), ref, context);
    parsed.set(ref.objectNumber, result);
    return result;
  };
  const resolve: Resolve = (value) => (value instanceof PDFRef ? read(value)?.value : value);
  return { pdf, xrefOffset, entries, trailer, context, read, resolve };
}

function parseAt(
  pdf: Uint8Array,
  entry: Entry | undefined,
  ref: PDFRef,
  context: PDFContext,
): ReadObject | undefined {
  if (entry === undefined || entry.generation !== ref.generationNumber) return undefined;
  const header = /^(\d+)\s+(\d+)\s+obj\s*/.exec(
    text(pdf.subarray(entry.offset, entry.offset + 32)),
  );
  if (header === null || Number(header[1]) !== ref.objectNumber) return undefined;
  const start = entry.offset + header[0].length;
  const value = PDFObjectParser.forBytes(pdf.subarray(start), context).parseObject();
  return { value, start };
}

/** The printed file, indexed when it is laid out as Chromium writes it, else loaded whole. */
export async function openPrintedPdf(bytes: Uint8Array): Promise<PrintedPdf> {
  return openIndexed(bytes) ?? openWhole(bytes);
}

function openIndexed(bytes: Uint8Array): PrintedPdf | undefined {
  const indexed = indexPdf(bytes);
  // An earlier update (/Prev) or encryption: the table alone does not describe the file.
  if (indexed === undefined) return undefined;
  const { trailer } = indexed;
  if (trailer.has(PDFName.of('Prev')) || trailer.has(PDFName.of('Encrypt'))) return undefined;
  const { resolve } = indexed;
  const catalog = resolve(trailer.get(PDFName.of('Root')));
  if (!(catalog instanceof PDFDict)) return undefined;
  const pages: PdfPage[] = [];
  const seen = new Set<number>();
  const walk = (item: PDFObject | undefined, depth: number): boolean => {
    if (!(item instanceof PDFRef) || seen.has(item.objectNumber) || depth > MAX_TREE_DEPTH)
      return false;
    seen.add(item.objectNumber);
    const node = resolve(item);
    if (!(node instanceof PDFDict)) return false;
    const type = node.get(PDFName.of('Type'));
    if (type === PDFName.of('Page')) {
      pages.push({ ref: item, node });
      return true;
    }
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (type !== PDFName.of('Pages') || !(kids instanceof PDFArray)) return false;
    return kids.asArray().every((kid) => walk(kid, depth + 1));
  };
  if (!walk(catalog.get(PDFName.of('Pages')), 0)) return undefined;
  return { bytes, catalog, resolve, pages, indexed, document: undefined };
}

async function openWhole(bytes: Uint8Array): Promise<PrintedPdf> {
  // updateMetadata: false, or pdf-lib stamps its own Producer and the clock.
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  const { context, catalog } = document;
  const resolve: Resolve = (value) => (value instanceof PDFRef ? context.lookup(value) : value);
  const pages = document.getPages().map((page) => ({ ref: page.ref, node: page.node }));
  return { bytes, catalog, resolve, pages, indexed: undefined, document };
}
