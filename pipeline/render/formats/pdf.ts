/** `memo.pdf`: the HTML document printed by Chromium (render/pdf.ts). */
import type { OutputFormat } from './format.js';

export const pdfFormat: OutputFormat = {
  name: 'pdf',
  fileName: 'memo.pdf',
  needsBrowser: true,
  description: 'tagged PDF, printed by Chromium',
  render: (input) => input.print(),
};
