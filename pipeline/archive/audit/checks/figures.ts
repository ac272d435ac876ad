/** Every figure has alternative text (/Alt or /ActualText, PDF/UA-1 7.3). */
import { PDFName } from 'pdf-lib';
import { textOf } from '../audited-pdf.js';
import type { Finding, PdfCheck } from '../check.js';

export const figures: PdfCheck = {
  name: 'figures have alt text',
  run: ({ elements, resolve }) => {
    const found: Finding[] = [];
    for (const element of elements) {
      if (element.standard !== 'Figure') continue;
      const alt = ['Alt', 'ActualText']
        .map((key) => textOf(resolve(element.dict.get(PDFName.of(key))))?.trim() ?? '')
        .find((text) => text !== '');
      if (alt !== undefined) continue;
      found.push({
        ruleId: 'audit-accessibility',
        ...(element.page === undefined ? {} : { page: element.page }),
        message:
          'a figure has no alternative text; write what the image shows between the brackets of ![…](image) and rebuild',
      });
    }
    return found;
  },
};
