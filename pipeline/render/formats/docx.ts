/**
 * `memo.docx`: an editable Word document (render/docx/). Its writer, and the
 * docx library, load only when a build asks for this format.
 */
import type { OutputFormat } from './format.js';
import { documentDate } from './dates.js';

export const docxFormat: OutputFormat = {
  name: 'docx',
  fileName: 'memo.docx',
  needsBrowser: false,
  description: 'editable Word document',
  async render(input) {
    const { renderDocx } = await import('../docx/render-docx.js');
    return renderDocx({
      file: input.file,
      view: input.view,
      date: documentDate(input.view, input.env),
    });
  },
};
