/** Every structure type is a standard one or role-mapped to one (PDF/UA-1 7.1). */
import type { Finding, PdfCheck } from '../check.js';

export const structureTypes: PdfCheck = {
  name: 'structure types known',
  run: ({ elements }) => {
    const unknown = new Map<string, number | undefined>();
    for (const element of elements) {
      if (element.standard === undefined && !unknown.has(element.type))
        unknown.set(element.type, element.page);
    }
    const found: Finding[] = [];
    for (const [type, page] of unknown) {
      found.push({
        ruleId: 'audit-accessibility',
        ...(page === undefined ? {} : { page }),
        message: `the tag ${type} is not a standard PDF tag and has no RoleMap entry, so assistive software may ignore it; rebuild it with \`memo build\`, which maps it`,
      });
    }
    return found;
  },
};
