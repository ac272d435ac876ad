/** An sRGB OutputIntent with an embedded ICC profile (PDF/A-2, 6.2.3). */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { nameOf } from '../audited-pdf.js';
import type { PdfCheck } from '../check.js';

export const outputIntent: PdfCheck = {
  name: 'output intent',
  run: ({ catalog, resolve }) => {
    const intents = resolve(catalog.get(PDFName.of('OutputIntents')));
    const items = intents instanceof PDFArray ? intents.asArray().map(resolve) : [];
    const ok = items.some((item) => {
      if (!(item instanceof PDFDict)) return false;
      if (nameOf(item.get(PDFName.of('S'))) !== 'GTS_PDFA1') return false;
      const profile = resolve(item.get(PDFName.of('DestOutputProfile')));
      const components =
        profile instanceof PDFRawStream ? profile.dict.get(PDFName.of('N')) : undefined;
      return components instanceof PDFNumber && components.asNumber() === 3;
    });
    if (ok) return [];
    return [
      {
        ruleId: 'audit-archival',
        message:
          'the PDF has no sRGB output intent (PDF/A needs one to fix its colours); rebuild it with `memo build`',
      },
    ];
  },
};
