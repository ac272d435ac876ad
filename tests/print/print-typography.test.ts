/**
 * Issue 14's print typography, checked in printed PDFs: headings, `:rec` and `:ref` read as
 * headings and cross-references (no link underline) while web links keep theirs; front matter
 * text has the body's quotes and dashes; the end matter comes in its configured order; no
 * heading ends a page, no paragraph leaves fewer than three lines at a page's foot or head; a
 * long table repeats its header row on every page.
 */
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../pipeline/session.js';
import type { OwnSession } from '../../pipeline/session.js';
import { pageTexts } from '../helpers/pdf.js';
import { markedRuns } from '../helpers/pdf-structure.js';

const FILLER =
  'The working group has met four times, and the parties have agreed on common trigger levels ' +
  'for each lake, measured against the same datum, with a shared weekly bulletin in both countries.';

function memo(frontMatter: string[], body: string[]): string {
  return [
    '---',
    'title: Print typography',
    'author: Ana Ruiz',
    'organization: Institute for Public Policy',
    'date: 2026-03-15',
    ...frontMatter,
    '---',
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}

let session: OwnSession;
beforeAll(async () => {
  session = await openSession({ handleSignals: false, concurrency: 1 });
}, 60_000);
afterAll(async () => {
  await session?.close();
});

async function print(markdown: string): Promise<Uint8Array> {
  const file = new VFile({ path: 'memo.md', value: markdown });
  const view = await session.compile(file);
  expect(file.messages.map(String)).toEqual([]);
  if (view === undefined) throw new Error('no view');
  const pdf = await session.renderPdf(file, view, session.renderHtml(view));
  expect(file.messages.map(String)).toEqual([]);
  if (pdf === undefined) throw new Error('no pdf');
  return pdf;
}

const RECOMMENDATION = [
  'recommendations:',
  '  - id: fund-staff',
  '    title: Fund the "inspection" staff -- now',
  '    status: in-progress',
  "    summary: It's overdue --- since the '90s.",
  '    status_note: Funded in the "spring" budget -- partly',
];

describe('links in print', () => {
  it('prints headings, :rec and :ref as headings and cross-references, without a link’s underline; web links keep it', async () => {
    const pdf = await print(
      memo(
        ['notes: endnotes', 'toc: true', ...RECOMMENDATION],
        [
          '## Staffing for :rec{#fund-staff}',
          'Plain words, then :rec{#fund-staff}, then a [weblink](https://example.org), then :ref{#costs}.',
          '## Costs',
          'Rising.',
        ],
      ),
    );
    const runs = (await markedRuns(pdf)).filter((run) => run.text.trim() !== '');
    const underlined = runs.filter((run) => run.underlined).map((run) => run.text.trim());
    expect(underlined).toEqual(['weblink']);
    // The :rec in the heading is set in the heading's own type (the last pair: the contents come first).
    const pairs = runs.flatMap((run, index) =>
      run.text.trim() === 'Staffing for' && runs[index + 1]?.text.trim() === 'Recommendation 1'
        ? [[run, runs[index + 1]] as const]
        : [],
    );
    const [words, reference] = pairs.at(-1) ?? [];
    expect(reference?.font).toBeDefined();
    expect(reference?.font).toBe(words?.font);
    // The checks above looked at every kind of link: a :rec, a :ref, the contents, the appendix.
    const text = runs
      .map((run) => run.text)
      .join(' ')
      .replace(/\s+/g, ' ')
      .replace(/ ([,.])/g, '$1');
    expect(text).toContain('Plain words, then Recommendation 1, then a weblink, then Costs 1.');
    expect(text).toContain('Contents');
    expect(text).toContain('Fund the “inspection” staff – now');
  });
});

describe('the end matter in the PDF', () => {
  const body = (notes: string[]) =>
    memo(
      [
        ...notes,
        'subtitle: The "lost half-day" -- and what it costs',
        'distribution: [Boardmark Council]',
        'distribution_note: "Shared with the \\"core\\" members --- not further..."',
        ...RECOMMENDATION,
      ],
      [
        'See :rec{#fund-staff}. Refmark word.[^a]',
        `${FILLER} Bodyendmark.`,
        '[^a]: Notemark text.',
      ],
    );

  /** Where each marker is printed: its page, and its order in the whole text. */
  async function order(notes: string[]): Promise<{ pages: string[]; sequence: string[] }> {
    const pages = await pageTexts(await print(body(notes)));
    const text = pages.join('\n');
    // The appendix by its recommendation's title; the Notes heading is set in spaced capitals.
    const markers = ['Bodyendmark', 'Boardmark', 'Fund the “inspection”', 'Notemark'];
    const notesHeading = /N\s*O\s*T\s*E\s*S/.exec(text)?.index ?? -1;
    const sequence = [...markers, 'Notes heading']
      .map(
        (marker) =>
          [marker, marker === 'Notes heading' ? notesHeading : text.indexOf(marker)] as const,
      )
      .filter(([, index]) => index >= 0)
      .sort((a, b) => a[1] - b[1])
      .map(([marker]) => marker);
    return { pages, sequence };
  }

  it('with footnotes, prints the note at the foot of its page and the appendix right after the body', async () => {
    const { pages, sequence } = await order([]);
    // No Notes section: the note is at the foot of the body's page, under the distribution list.
    expect(sequence).toEqual(['Bodyendmark', 'Boardmark', 'Notemark', 'Fund the “inspection”']);
    const page = (word: string) => pages.findIndex((text) => text.includes(word));
    expect(page('Notemark')).toBe(page('Refmark'));
    expect(page('Boardmark')).toBe(page('Bodyendmark'));
    // The appendix starts the page after the body's last.
    expect(page('Fund the “inspection” staff')).toBeGreaterThan(page('Bodyendmark'));
    expect(page('Fund the “inspection” staff')).toBeLessThanOrEqual(page('Boardmark') + 1);
  });

  it('with endnotes, prints body → appendix → notes, and the notes first with `end_matter: notes-first`', async () => {
    expect((await order(['notes: endnotes'])).sequence).toEqual([
      'Bodyendmark',
      'Boardmark',
      'Fund the “inspection”',
      'Notes heading',
      'Notemark',
    ]);
    expect((await order(['notes: endnotes', 'end_matter: notes-first'])).sequence).toEqual([
      'Bodyendmark',
      'Notes heading',
      'Notemark',
      'Boardmark',
      'Fund the “inspection”',
    ]);
  });

  it('prints the front matter’s text with curly quotes and dashes, as the body', async () => {
    // pdf.js reads some ’ back as U+02BC (pdftotext reads ’): the same mark on the page.
    const text = (await order(['notes: endnotes'])).pages
      .join('\n')
      .replace(/\s+/g, ' ')
      .replace(/\u02bc/g, '’');
    for (const printed of [
      'The “lost half-day” – and what it costs',
      'Shared with the “core” members — not further…',
      'Fund the “inspection” staff – now',
      'It’s overdue — since the ’90s.',
      'Funded in the “spring” budget – partly',
    ])
      expect(text).toContain(printed);
    expect(text).not.toMatch(/"|--/);
  });
});

describe('page breaks', () => {
  it('never ends a page with a heading, nor leaves fewer than three lines of a paragraph at a page’s foot or head', async () => {
    // Sections of different lengths, so that headings and paragraph ends fall all over the page.
    const SECTIONS = 80;
    const blocks: string[] = [];
    for (let n = 1; n <= SECTIONS; n += 1) {
      blocks.push(`## Head${n}mark`);
      const sentences = 2 + ((n * 7) % 9);
      const words = Array.from({ length: sentences }, () => FILLER).join(' ');
      blocks.push(`Para${n}begin ${words} Para${n}finish`);
      if (n % 4 === 0) blocks.push(`Short${n}para ${FILLER}`);
    }
    const pages = await pageTexts(await print(memo(['notes: endnotes'], blocks)));
    expect(pages.length).toBeGreaterThan(8);
    // Each page's body lines: without the running header (memo title) and the page number.
    const lines = pages.map((text) =>
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !/^Page \d+ of \d+$|Print typography$/.test(line)),
    );

    const stranded = lines.flatMap((page, index) => {
      const last = page.at(-1) ?? '';
      return /^Head\d+mark$/.test(last.trim()) && index < lines.length - 1 ? [last] : [];
    });
    expect(stranded).toEqual([]);

    const short: string[] = [];
    let split = 0;
    for (let n = 1; n <= SECTIONS; n += 1) {
      const start = lines.findIndex((page) => page.some((line) => line.includes(`Para${n}begin`)));
      const end = lines.findIndex((page) => page.some((line) => line.includes(`Para${n}finish`)));
      if (start === end) continue;
      split += 1;
      const first = lines[start] ?? [];
      const next = lines[end] ?? [];
      const foot = first.length - first.findIndex((line) => line.includes(`Para${n}begin`));
      const head = next.findIndex((line) => line.includes(`Para${n}finish`)) + 1;
      if (foot < 3 || head < 3) short.push(`paragraph ${n}: ${foot} line(s) | ${head} line(s)`);
    }
    expect(split).toBeGreaterThan(3);
    expect(short).toEqual([]);
  }, 120_000);

  it('repeats a long table’s header row at the top of every page it runs on', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => `| Row${i + 1}cell | ${i * 3} |`);
    const pdf = await print(
      memo(
        ['notes: endnotes'],
        [
          'The monthly counts follow.',
          ['| Monthmark | Countmark |', '| --- | ---: |', ...rows].join('\n'),
          'Table: Counts by month',
          'After the table.',
        ],
      ),
    );
    const pages = await pageTexts(pdf);
    const withRows = pages.filter((text) => /Row\d+cell/.test(text));
    expect(withRows.length).toBeGreaterThan(1);
    for (const text of withRows) {
      const header = text.indexOf('Monthmark');
      expect(header).toBeGreaterThanOrEqual(0);
      expect(header).toBeLessThan(text.search(/Row\d+cell/));
      expect(text.split('Monthmark')).toHaveLength(2); // once a page
    }
    // Every row is printed once, none split across pages.
    const cells = pages.join('\n').match(/Row\d+cell/g) ?? [];
    expect(cells).toHaveLength(90);
  }, 120_000);
});
