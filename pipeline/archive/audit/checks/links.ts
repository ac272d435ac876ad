/** Every link annotation says what it is (/Contents, PDF/UA-1 7.18.5). */
import { PDFArray, PDFDict, PDFName } from 'pdf-lib';
import { nameOf, textOf } from '../audited-pdf.js';
import type { Finding, PdfCheck } from '../check.js';

export const links: PdfCheck = {
  name: 'links described',
  run: ({ pages, resolve }) => {
    const found: Finding[] = [];
    pages.forEach((page, index) => {
      const annots = resolve(page.get(PDFName.of('Annots')));
      if (!(annots instanceof PDFArray)) return;
      let missing = 0;
      for (const value of annots.asArray()) {
        const annot = resolve(value);
        if (!(annot instanceof PDFDict) || nameOf(annot.get(PDFName.of('Subtype'))) !== 'Link')
          continue;
        if ((textOf(resolve(annot.get(PDFName.of('Contents'))))?.trim() ?? '') === '') missing += 1;
      }
      if (missing > 0)
        found.push({
          ruleId: 'audit-accessibility',
          page: index + 1,
          message: `${missing === 1 ? 'a link has' : `${missing} links have`} no description (/Contents) for screen readers; rebuild it with \`memo build\`, which describes each link by its text`,
        });
    });
    return found;
  },
};
