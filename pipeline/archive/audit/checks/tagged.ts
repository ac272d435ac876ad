/** The file is tagged: /MarkInfo /Marked true and a structure tree (PDF/UA-1, 7.1). */
import { PDFBool, PDFDict, PDFName } from 'pdf-lib';
import type { PdfCheck } from '../check.js';

export const tagged: PdfCheck = {
  name: 'tagged',
  run: ({ catalog, resolve, elements }) => {
    const markInfo = resolve(catalog.get(PDFName.of('MarkInfo')));
    const marked =
      markInfo instanceof PDFDict && markInfo.get(PDFName.of('Marked')) === PDFBool.True;
    const root = resolve(catalog.get(PDFName.of('StructTreeRoot')));
    if (marked && root instanceof PDFDict && elements.length > 0) return [];
    return [
      {
        ruleId: 'audit-accessibility',
        message:
          'the PDF is not tagged (no structure tree), so screen readers cannot follow it; rebuild it with `memo build`',
      },
    ];
  },
};
