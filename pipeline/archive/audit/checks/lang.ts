/** The document's language is set (/Lang in the catalog, PDF/UA-1 7.2). */
import { PDFName } from 'pdf-lib';
import { textOf } from '../audited-pdf.js';
import type { PdfCheck } from '../check.js';

export const lang: PdfCheck = {
  name: 'language',
  run: ({ catalog, resolve }) => {
    const value = textOf(resolve(catalog.get(PDFName.of('Lang'))))?.trim() ?? '';
    if (value !== '') return [];
    return [
      {
        ruleId: 'audit-accessibility',
        message:
          'the PDF does not say which language it is in, so screen readers may mispronounce it; set `lang` in the front matter and rebuild',
      },
    ];
  },
};
