/** A table's caption text sits in a /Caption, not loose among the table's kids (PDF/UA-1 7.2). */
import { looseCaption } from '../../../render/pdf-captions.js';
import type { Finding, PdfCheck } from '../check.js';

export const captions: PdfCheck = {
  name: 'table captions tagged',
  run: ({ elements, resolve }) => {
    const found: Finding[] = [];
    for (const element of elements) {
      if (element.standard !== 'Table' || looseCaption(element.dict, resolve) === undefined)
        continue;
      found.push({
        ruleId: 'audit-accessibility',
        ...(element.page === undefined ? {} : { page: element.page }),
        message:
          'a table’s caption is not tagged as its caption, so a screen reader does not read it with the table; rebuild the PDF with `memo build`',
      });
    }
    return found;
  },
};
