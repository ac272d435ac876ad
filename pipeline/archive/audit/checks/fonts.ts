/** Every font used is embedded (PDF/A-2, 6.2.11.4; PDF/UA-1, 7.21.4.1). */
import { PDFArray, PDFDict, PDFName, PDFRawStream } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { nameOf } from '../audited-pdf.js';
import type { Finding, PdfCheck } from '../check.js';

/** Resource dictionaries looked at per page, at most (forms can nest). */
const MAX_RESOURCES = 1_000;

function embedded(
  font: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): boolean {
  if (nameOf(font.get(PDFName.of('Subtype'))) === 'Type3') return true; // glyphs are in the file
  let described = font;
  if (nameOf(font.get(PDFName.of('Subtype'))) === 'Type0') {
    const descendants = resolve(font.get(PDFName.of('DescendantFonts')));
    const first = descendants instanceof PDFArray ? resolve(descendants.get(0)) : undefined;
    if (!(first instanceof PDFDict)) return false;
    described = first;
  }
  const descriptor = resolve(described.get(PDFName.of('FontDescriptor')));
  if (!(descriptor instanceof PDFDict)) return false;
  return ['FontFile', 'FontFile2', 'FontFile3'].some(
    (key) => resolve(descriptor.get(PDFName.of(key))) instanceof PDFRawStream,
  );
}

export const fonts: PdfCheck = {
  name: 'fonts embedded',
  run: ({ pages, resolve }) => {
    const found: Finding[] = [];
    const reported = new Set<string>();
    pages.forEach((page, index) => {
      const pending: Array<PDFObject | undefined> = [page.get(PDFName.of('Resources'))];
      const seen = new Set<PDFObject>();
      while (pending.length > 0 && seen.size < MAX_RESOURCES) {
        const resources = resolve(pending.pop());
        if (!(resources instanceof PDFDict) || seen.has(resources)) continue;
        seen.add(resources);
        const fontDict = resolve(resources.get(PDFName.of('Font')));
        if (fontDict instanceof PDFDict) {
          for (const [, value] of fontDict.entries()) {
            const font = resolve(value);
            if (!(font instanceof PDFDict) || embedded(font, resolve)) continue;
            const name = nameOf(font.get(PDFName.of('BaseFont'))) ?? 'a font';
            if (reported.has(name)) continue;
            reported.add(name);
            found.push({
              ruleId: 'audit-archival',
              page: index + 1,
              message: `the font ${name} is not embedded, so the page may look different elsewhere; rebuild it with \`memo build\`, which embeds every font`,
            });
          }
        }
        const xobjects = resolve(resources.get(PDFName.of('XObject')));
        if (xobjects instanceof PDFDict) {
          for (const [, value] of xobjects.entries()) {
            const xobject = resolve(value);
            if (xobject instanceof PDFRawStream)
              pending.push(xobject.dict.get(PDFName.of('Resources')));
          }
        }
      }
    });
    return found;
  },
};
