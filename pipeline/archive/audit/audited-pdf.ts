/**
 * A PDF opened for `memo audit`: its catalog, Info dictionary, pages and
 * structure tree, read once with pdf-lib and shared by every check.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';

/** Structure elements looked at, at most (a malformed tree could be endless). */
const MAX_ELEMENTS = 200_000;

/** One structure element, in document order. */
export interface StructElement {
  /** The type as written (/S), e.g. "H2", "Em". */
  readonly type: string;
  /** The standard type it stands for through the RoleMap, or undefined when none. */
  readonly standard: string | undefined;
  readonly dict: PDFDict;
  /** 1-based page of the element (its /Pg, else that of the next element in document order, its first descendant), or undefined. */
  readonly page: number | undefined;
}

export interface AuditedPdf {
  readonly doc: PDFDocument;
  readonly catalog: PDFDict;
  readonly info: PDFDict | undefined;
  readonly resolve: (value: PDFObject | undefined) => PDFObject | undefined;
  /** Each page's dictionary, in order (page 1 first). */
  readonly pages: readonly PDFDict[];
  /** The structure tree's elements in document order; empty for an untagged file. */
  readonly elements: readonly StructElement[];
}

/** The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4), which PDF/UA-1 builds on. */
export const STANDARD_TYPES: ReadonlySet<string> = new Set(
  [
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private',
    'P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot',
    'Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP',
    'Figure Formula Form',
  ]
    .join(' ')
    .split(' '),
);

/** A text string's value (literal or hex), or undefined. */
export function textOf(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/** A name's value without the slash, or undefined. */
export function nameOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

/** A stream's decoded bytes, or undefined when it is not a stream pdf-lib can decode. */
export function streamBytes(value: PDFObject | undefined): Uint8Array | undefined {
  if (!(value instanceof PDFRawStream)) return undefined;
  try {
    return decodePDFRawStream(value).decode();
  } catch {
    return undefined;
  }
}

/** Open `bytes`; throws (pdf-lib's error) when they cannot be read as a PDF. */
export async function openPdf(bytes: Uint8Array): Promise<AuditedPdf> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  const { context, catalog } = doc;
  const resolve = (value: PDFObject | undefined): PDFObject | undefined =>
    value instanceof PDFRef ? context.lookup(value) : value;
  const info = resolve(context.trailerInfo.Info);
  const pages = doc.getPages().map((page) => page.node);
  const pageNumbers = new Map<number, number>();
  doc.getPages().forEach((page, index) => pageNumbers.set(page.ref.objectNumber, index + 1));
  return {
    doc,
    catalog,
    info: info instanceof PDFDict ? info : undefined,
    resolve,
    pages,
    elements: structElements(catalog, resolve, pageNumbers),
  };
}

/** The RoleMap's answer for `type`: the standard type it leads to, following at most 10 steps. */
function standardType(type: string, roleMap: PDFDict | undefined): string | undefined {
  let current = type;
  for (let step = 0; step < 10; step += 1) {
    if (STANDARD_TYPES.has(current)) return current;
    const next = nameOf(roleMap?.get(PDFName.of(current)));
    if (next === undefined || next === current) return undefined;
    current = next;
  }
  return undefined;
}

function structElements(
  catalog: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
  pageNumbers: ReadonlyMap<number, number>,
): StructElement[] {
  const root = resolve(catalog.get(PDFName.of('StructTreeRoot')));
  if (!(root instanceof PDFDict)) return [];
  const roleMapValue = resolve(root.get(PDFName.of('RoleMap')));
  const roleMap = roleMapValue instanceof PDFDict ? roleMapValue : undefined;
  const found: Array<{ type: string; dict: PDFDict; page: number | undefined }> = [];
  const visited = new Set<PDFObject>();
  // Depth first, in document order: a stack of children still to visit, last first.
  const pending: Array<PDFObject | undefined> = [root.get(PDFName.of('K'))];
  while (pending.length > 0 && found.length < MAX_ELEMENTS) {
    const value = pending.pop();
    if (value instanceof PDFRef) {
      if (visited.has(value)) continue;
      visited.add(value);
    }
    const node = resolve(value);
    if (node instanceof PDFArray) {
      pending.push(...node.asArray().reverse());
      continue;
    }
    if (!(node instanceof PDFDict)) continue;
    const type = nameOf(node.get(PDFName.of('S')));
    if (type === undefined) continue; // a marked-content or object reference
    const pg = node.get(PDFName.of('Pg'));
    const page = pg instanceof PDFRef ? pageNumbers.get(pg.objectNumber) : undefined;
    found.push({ type, dict: node, page });
    pending.push(node.get(PDFName.of('K')));
  }
  // Chromium sets /Pg on the elements that hold content, not on their parents.
  let next: number | undefined;
  const elements: StructElement[] = [];
  for (let index = found.length - 1; index >= 0; index -= 1) {
    const item = found[index];
    if (item === undefined) continue;
    next = item.page ?? next;
    elements.push({
      type: item.type,
      standard: standardType(item.type, roleMap),
      dict: item.dict,
      page: next,
    });
  }
  return elements.reverse();
}
