/**
 * Nothing in the file acts on its own or reaches outside it: no JavaScript,
 * no launch (or other) actions, no attachments, no file: links. Links may go
 * only to the memo itself, http(s) or mailto (the same rule the build applies,
 * pipeline/render/pdf-entries.ts).
 */
import { PDFArray, PDFDict, PDFName } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { isSafeAction } from '../../../render/pdf-entries.js';
import { nameOf, textOf } from '../audited-pdf.js';
import type { Finding, PdfCheck } from '../check.js';

const FIX = 'rebuild it with `memo build`, which removes it';

/** What an unsafe action does, in plain words. */
function describeAction(
  action: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): string {
  const kind = nameOf(resolve(action.get(PDFName.of('S'))));
  if (kind === 'JavaScript') return 'runs JavaScript';
  if (kind === 'Launch') return 'launches a program';
  const uri = textOf(resolve(action.get(PDFName.of('URI'))));
  if (kind === 'URI' && uri !== undefined && /^file:/i.test(uri))
    return 'opens a local file (file:)';
  if (kind === 'URI') return `opens an address that is not a web or mail link`;
  return `runs an action (${kind ?? 'unknown'}) other than a link`;
}

export const unsafe: PdfCheck = {
  name: 'no scripts, actions or attachments',
  run: ({ catalog, pages, resolve }) => {
    const found: Finding[] = [];
    const problem = (message: string, page?: number) =>
      found.push({ ruleId: 'audit-unsafe', ...(page === undefined ? {} : { page }), message });
    const names = resolve(catalog.get(PDFName.of('Names')));
    if (names instanceof PDFDict) {
      if (names.has(PDFName.of('JavaScript')))
        problem(`the PDF carries JavaScript, which it must not; ${FIX}`);
      if (names.has(PDFName.of('EmbeddedFiles')))
        problem(`the PDF carries attached files, which it must not; ${FIX}`);
    }
    const open = resolve(catalog.get(PDFName.of('OpenAction')));
    if (open instanceof PDFDict && !isSafeAction(open, resolve))
      problem(`opening the PDF ${describeAction(open, resolve)}; ${FIX}`);
    if (catalog.has(PDFName.of('AA')))
      problem(`the PDF has actions that run on their own (/AA); ${FIX}`);
    pages.forEach((page, index) => {
      const number = index + 1;
      if (page.has(PDFName.of('AA')))
        problem(`the page has actions that run on their own (/AA); ${FIX}`, number);
      const annots = resolve(page.get(PDFName.of('Annots')));
      if (!(annots instanceof PDFArray)) return;
      for (const value of annots.asArray()) {
        const annot = resolve(value);
        if (!(annot instanceof PDFDict)) continue;
        if (nameOf(annot.get(PDFName.of('Subtype'))) === 'FileAttachment')
          problem(`the page carries an attached file; ${FIX}`, number);
        if (annot.has(PDFName.of('AA')))
          problem(`an annotation has actions that run on their own (/AA); ${FIX}`, number);
        const action = resolve(annot.get(PDFName.of('A')));
        if (action instanceof PDFDict && !isSafeAction(action, resolve))
          problem(`a link ${describeAction(action, resolve)}; ${FIX}`, number);
      }
    });
    return found;
  },
};
