/**
 * Reading PDFs back in tests: text and page count through pdf.js (what a
 * reader would extract), document structure through pdf-lib (the raw catalog,
 * Info dictionary and trailer). npm packages only: CI has no poppler.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFArray, PDFBool, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';

async function withPdfJs<T>(
  bytes: Uint8Array,
  use: (doc: PDFDocumentProxy) => Promise<T>,
): Promise<T> {
  // pdf.js takes ownership of (detaches) the buffer it is given: pass a copy.
  const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    return await use(doc);
  } finally {
    await doc.destroy();
  }
}

/** The text of each page, runs joined as pdf.js orders them, line ends as "\n". */
export async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  return withPdfJs(bytes, async (doc) => {
    const texts: string[] = [];
    for (let number = 1; number <= doc.numPages; number += 1) {
      const page = await doc.getPage(number);
      const content = await page.getTextContent();
      texts.push(
        content.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
          .join(''),
      );
    }
    return texts;
  });
}

export async function pageCount(bytes: Uint8Array): Promise<number> {
  return withPdfJs(bytes, async (doc) => doc.numPages);
}

export interface InfoFields {
  title: string | undefined;
  author: string | undefined;
  subject: string | undefined;
  keywords: string | undefined;
  creator: string | undefined;
  producer: string | undefined;
  creationDate: Date | undefined;
  modDate: Date | undefined;
  /** Every key of the Info dictionary, to catch leftovers. */
  keys: string[];
}

export async function readInfo(bytes: Uint8Array): Promise<InfoFields> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  return {
    title: doc.getTitle(),
    author: doc.getAuthor(),
    subject: doc.getSubject(),
    keywords: doc.getKeywords(),
    creator: doc.getCreator(),
    producer: doc.getProducer(),
    creationDate: doc.getCreationDate(),
    modDate: doc.getModificationDate(),
    keys: info instanceof PDFDict ? info.keys().map((key) => key.decodeText()) : [],
  };
}

export interface CatalogFacts {
  lang: string | undefined;
  /** /MarkInfo << /Marked true >> */
  marked: boolean;
  hasStructTreeRoot: boolean;
  /** Outline titles, depth-first (a heading's subheadings follow it). */
  outlineTitles: string[];
  pageMode: string | undefined;
  displayDocTitle: boolean;
  hasXmpMetadata: boolean;
  /** The trailer /ID pair as hex, if any. */
  id: string[] | undefined;
}

function text(object: PDFObject | undefined): string | undefined {
  return object instanceof PDFString || object instanceof PDFHexString
    ? object.decodeText()
    : undefined;
}

export async function readCatalog(bytes: Uint8Array): Promise<CatalogFacts> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const { catalog, context } = doc;
  const markInfo = catalog.lookupMaybe(PDFName.of('MarkInfo'), PDFDict);
  const marked = markInfo?.lookupMaybe(PDFName.of('Marked'), PDFBool)?.asBoolean() ?? false;
  const viewer = catalog.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict);
  const pageMode = catalog.lookupMaybe(PDFName.of('PageMode'), PDFName);

  const outlineTitles: string[] = [];
  const seen = new Set<PDFDict>(); // a malformed outline could loop
  const walk = (first: PDFDict | undefined): void => {
    for (
      let item = first;
      item !== undefined && !seen.has(item);
      item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
    ) {
      seen.add(item);
      outlineTitles.push(text(item.lookup(PDFName.of('Title'))) ?? '');
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict));
    }
  };
  walk(
    catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict),
  );

  const idArray = context.lookup(context.trailerInfo.ID);
  const id =
    idArray instanceof PDFArray
      ? idArray
          .asArray()
          .map((entry) => (entry instanceof PDFHexString ? entry.asString() : String(entry)))
      : undefined;

  return {
    lang: text(catalog.lookup(PDFName.of('Lang'))),
    marked,
    hasStructTreeRoot: catalog.has(PDFName.of('StructTreeRoot')),
    outlineTitles,
    pageMode: pageMode?.decodeText(),
    displayDocTitle:
      viewer?.lookupMaybe(PDFName.of('DisplayDocTitle'), PDFBool)?.asBoolean() ?? false,
    hasXmpMetadata: catalog.has(PDFName.of('Metadata')),
    id,
  };
}

/** /FontName of every embedded font program (descriptor with a FontFile*). */
export async function embeddedFonts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const names: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    if (object.lookupMaybe(PDFName.of('Type'), PDFName)?.decodeText() !== 'FontDescriptor')
      continue;
    const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some((key) =>
      object.has(PDFName.of(key)),
    );
    const name = object.lookupMaybe(PDFName.of('FontName'), PDFName)?.decodeText();
    if (embedded && name !== undefined) names.push(name);
  }
  return names.sort();
}
