/** The title is set and shown by viewers (/DisplayDocTitle, PDF/UA-1 7.1). */
import { PDFBool, PDFDict, PDFName } from 'pdf-lib';
import { textOf } from '../audited-pdf.js';
import type { Finding, PdfCheck } from '../check.js';

export const title: PdfCheck = {
  name: 'title shown',
  run: ({ catalog, info, resolve }) => {
    const found: Finding[] = [];
    const value = textOf(resolve(info?.get(PDFName.of('Title'))))?.trim() ?? '';
    if (value === '')
      found.push({
        ruleId: 'audit-accessibility',
        message: 'the PDF has no title; give the memo a `title` in the front matter and rebuild',
      });
    const prefs = resolve(catalog.get(PDFName.of('ViewerPreferences')));
    const shown =
      prefs instanceof PDFDict &&
      resolve(prefs.get(PDFName.of('DisplayDocTitle'))) === PDFBool.True;
    if (!shown)
      found.push({
        ruleId: 'audit-accessibility',
        message:
          'viewers will show the file name instead of the title (DisplayDocTitle is not set); rebuild it with `memo build`',
      });
    return found;
  },
};
