/** `memo.html`: the self-contained HTML document every other format starts from. */
import type { OutputFormat } from './format.js';

export const htmlFormat: OutputFormat = {
  name: 'html',
  fileName: 'memo.html',
  needsBrowser: false,
  description: 'self-contained HTML',
  render: (input) => Promise.resolve(input.html()),
};
