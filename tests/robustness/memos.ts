/**
 * Memo sources for the robustness suites, generated: a tiny one, and long
 * ones whose page count scales with `sections` (ten paragraphs each, about
 * 1.15 pages per section on Letter paper).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const robustnessFixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'robustness');

export async function smallMemo(title = 'A Small Memo'): Promise<string> {
  const text = await readFile(path.join(robustnessFixtures, 'small.md'), 'utf8');
  return text.replace('title: A Small Memo', `title: ${title}`);
}

const PARAGRAPH =
  'Rents in the region rose faster than wages for the fifth year running, and the share of households ' +
  'spending more than a third of their income on housing reached a new high, while construction permits ' +
  'fell in every county but two and vacancy rates stayed below three percent.';

export function longMemo(sections: number, title = 'A Very Long Memo'): string {
  const lines = [
    '---',
    `title: ${title}`,
    'author: Ana Ruiz',
    'organization: Council',
    'date: 2025-02-03',
    '---',
    '',
  ];
  for (let section = 1; section <= sections; section += 1) {
    lines.push(`## Section ${section}`, '');
    for (let paragraph = 1; paragraph <= 10; paragraph += 1) {
      lines.push(`${PARAGRAPH} Paragraph ${section}.${paragraph}.`, '');
    }
  }
  return lines.join('\n');
}
