/** Headings go down one level at a time (H1, then H2…), never skipping one (PDF/UA-1 7.4.2). */
import type { Finding, PdfCheck } from '../check.js';

export const headings: PdfCheck = {
  name: 'heading levels in order',
  run: ({ elements }) => {
    const found: Finding[] = [];
    let previous = 0;
    for (const element of elements) {
      const match = /^H([1-6])$/.exec(element.standard ?? '');
      if (match?.[1] === undefined) continue;
      const level = Number(match[1]);
      if (level > previous + 1) {
        const after = previous === 0 ? 'as the first heading' : `after a level ${previous} heading`;
        found.push({
          ruleId: 'audit-accessibility',
          ...(element.page === undefined ? {} : { page: element.page }),
          message: `a level ${level} heading comes ${after}, skipping a level; use ${'#'.repeat(previous + 1)} for it (or add the missing level above it) and rebuild`,
        });
      }
      previous = level;
    }
    return found;
  },
};
