/**
 * Generated memos for the benchmark: valid sources of a given length that use
 * the features real memos use (headings, footnotes, tables, :rec, next-steps).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const WORDS = (
  'council assessment policy bilateral cooperation border trade water security region ' +
  'administration officials program funding monitoring agreement framework partners ' +
  'infrastructure budget review progress recommendation governments commitment data'
).split(' ');

function sentence(seed: number): string {
  const words = Array.from(
    { length: 14 + (seed % 9) },
    (_, index) => WORDS[(seed * 7 + index * 13) % WORDS.length] ?? 'memo',
  );
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Like a writer's paragraph, with the punctuation the typography stage works
 * on (remark-smartypants): quotes, an apostrophe, dashes, an ellipsis.
 */
function paragraph(seed: number): string {
  const [first = '', second = '', ...rest] = Array.from({ length: 5 }, (_, index) =>
    sentence(seed + index),
  );
  return [
    `The council's ${first.charAt(0).toLowerCase()}${first.slice(1)}`,
    `"${second.slice(0, -1)}," the review says -- and the partners agree...`,
    ...rest.map((text, index) => (index === 0 ? `${text.slice(0, -1)} --- for now.` : text)),
  ].join(' ');
}

/** About `pages` Letter pages of text, `notesPerSection` notes on each (1 or 2). */
export function memoSource(title: string, pages: number, notesPerSection = 1): string {
  const sections: string[] = [];
  const notes: string[] = [];
  for (let section = 1; section <= pages; section += 1) {
    const rec = ((section - 1) % 3) + 1;
    sections.push(
      `## Section ${section}: progress on :rec{#rec-${rec} title}`,
      `${paragraph(section)}[^n${section}]`,
      notesPerSection > 1 ? `${paragraph(section + 1)}[^m${section}]` : paragraph(section + 1),
      section % 2 === 0
        ? '| Area | Status | Change |\n| --- | --- | ---: |\n| Trade | open | 4% |\n| Water | stalled | -2% |'
        : paragraph(section + 2),
      `:::next-steps\n${sentence(section + 3)}\n:::`,
    );
    notes.push(`[^n${section}]: ${sentence(section + 4)}`);
    if (notesPerSection > 1) notes.push(`[^m${section}]: ${sentence(section + 5)}`);
  }
  return [
    '---',
    `title: ${title}`,
    'author: Bench Writer',
    'organization: Benchmark Policy Council',
    'program: Performance Initiative',
    'date: 2026-05-01',
    'classification: UNCLASSIFIED',
    'distribution: [National Security Council, Department of State]',
    'recommendations:',
    ...[1, 2, 3].flatMap((n) => [
      `  - id: rec-${n}`,
      `    title: Recommendation title ${n}`,
      '    status: in-progress',
    ]),
    '---',
    '',
    ...sections,
    '',
    ...notes,
    '',
  ].join('\n');
}

export async function writeMemos(folder: string, count: number, pages: number): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const file = path.join(folder, `memo-${String(index).padStart(3, '0')}.md`);
    await writeFile(file, memoSource(`Generated memo ${index}`, pages));
    files.push(file);
  }
  return files;
}

/**
 * The "evidence" memo: a sample-sized memo that cites 20 times from a
 * 10-entry BibTeX file (`evidence.bib`), or the same memo without citations
 * (`cited: false`: no bibliography, the citations left out). Named
 * `evidence-memo.md` so other evidence features (charts) can join the same
 * comparison.
 */
export function evidenceSources(cited: boolean): { memo: string; bib: string } {
  const keys = Array.from({ length: 10 }, (_, index) => `source${index + 1}`);
  const bib = keys
    .map(
      (key, index) =>
        `@techreport{${key},\n  title = {${sentence(index).slice(0, 60)}: Review ${index + 1}},\n` +
        `  author = {{Office of Program Review}},\n  institution = {Benchmark Policy Council},\n` +
        `  number = {BPC-${index + 1}},\n  year = {${2015 + index}},\n}\n`,
    )
    .join('\n');
  const paragraphs = Array.from({ length: 20 }, (_, index) => {
    const key = keys[index % keys.length] ?? 'source1';
    const cite = cited ? ` [@${key}, p. ${index + 3}]` : '';
    return `${paragraph(index)}${cite}`;
  });
  const sections = [0, 1, 2, 3].map(
    (section) =>
      `## Section ${section + 1}: progress on :rec{#rec-${(section % 3) + 1} title}\n\n` +
      paragraphs.slice(section * 5, section * 5 + 5).join('\n\n'),
  );
  const memo = [
    '---',
    'title: Evidence memo',
    'author: Bench Writer',
    'organization: Benchmark Policy Council',
    'date: 2026-05-01',
    ...(cited ? ['bibliography: evidence.bib'] : []),
    'distribution: [Office of the Director]',
    'recommendations:',
    ...[1, 2, 3].map(
      (rec) => `  - id: rec-${rec}\n    title: Recommendation ${rec}\n    status: in-progress`,
    ),
    '---',
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
  return { memo, bib };
}

/** A section of `count` paragraphs, each citing one of `evidenceSources`' entries (Pandoc syntax). */
export function citedSection(count: number): string {
  const paragraphs = Array.from(
    { length: count },
    (_, index) => `${paragraph(index + 40)} [@source${(index % 10) + 1}, p. ${index + 2}]`,
  );
  return `## Evidence reviewed\n\n${paragraphs.join('\n\n')}\n`;
}
