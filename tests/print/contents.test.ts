/**
 * Contents with page numbers, `:ref` cross-references and numbered captions: the numbers printed
 * are the pages where the headings are (read from the PDF's text, page by page), in a long memo
 * where they run past 9; `toc: auto` follows the page count; the HTML has links, no numbers.
 */
import { VFile } from 'vfile';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { select } from 'hast-util-select';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../../pipeline/session.js';
import type { OwnSession } from '../../pipeline/session.js';
import type { MemoView } from '../../pipeline/render/view.js';
import { runCli } from '../helpers/cli.js';
import { pageTexts, readCatalog } from '../helpers/pdf.js';

const FILLER =
  'The working group has met four times, and the parties have agreed on common trigger levels ' +
  'for each lake, measured against the same datum, with a shared weekly bulletin in both countries.';

/** Part `n`: a heading `Zone<n>head placement` (id `zone<n>head-placement`), its first words `Body<n>start`. */
function part(n: number, paragraphs: number, extra: string[] = []): string[] {
  return [
    `## Zone${n}head placement`,
    `Body${n}start ${FILLER} ${FILLER}`,
    ...extra,
    ...Array.from({ length: paragraphs - 1 }, () => `${FILLER} ${FILLER} ${FILLER}`),
  ];
}

function memo(body: string[], frontMatter: string[] = []): string {
  return [
    '---',
    'title: Page references memo',
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

/** About 28 pages: 30 parts, a note in every third, cross-references forward and back, a table. */
function longMemo(frontMatter: string[] = []): string {
  const body: string[] = [];
  for (let n = 1; n <= 30; n += 1) {
    const extra: string[] = [];
    if (n === 2) extra.push('Refto2x :ref{#zone29head-placement} is far ahead.');
    if (n === 27) extra.push('Refto27x :ref{#zone3head-placement} was early on.');
    if (n === 14)
      extra.push(
        '| Month | Count |\n| --- | --- |\n| Jan | 4 |\n| Feb | 7 |',
        'Table: Apprehensions by month {#tbl-apprehensions}',
        'Source: Border agency, 2026.',
        'Refto14x :ref{#tbl-apprehensions} has the counts.',
      );
    body.push(...part(n, 5, extra));
    if (n % 3 === 0) body.push(`${FILLER} A sourced claim[^n${n}] in part ${n}. ${FILLER}`);
  }
  for (let n = 3; n <= 30; n += 3) body.push(`[^n${n}]: Note${n}text Published by the agency.`);
  return memo(body, frontMatter);
}

let session: OwnSession;
beforeAll(async () => {
  session = await openSession({ handleSignals: false, concurrency: 1 });
}, 60_000);
afterAll(async () => {
  await session?.close();
});

async function compile(
  markdown: string,
  path = 'memo.md',
): Promise<{ file: VFile; view: MemoView | undefined }> {
  const file = new VFile({ path, value: markdown });
  return { file, view: await session.compile(file) };
}

async function build(
  markdown: string,
): Promise<{ file: VFile; view: MemoView; pdf: Uint8Array; pages: string[] }> {
  const { file, view } = await compile(markdown);
  expect(view, file.messages.map(String).join('\n')).toBeDefined();
  if (view === undefined) throw new Error('no view');
  const pdf = await session.renderPdf(file, view, session.renderHtml(view));
  expect(pdf, file.messages.map(String).join('\n')).toBeDefined();
  if (pdf === undefined) throw new Error('no pdf');
  return { file, view, pdf, pages: await pageTexts(pdf) };
}

/** The 1-based page whose text has `word`, or 0. */
const pageOf = (pages: readonly string[], word: string): number =>
  pages.findIndex((text) => text.includes(word)) + 1;

/** The number printed after part `n`'s title in the contents (on the first pages). */
function contentsNumber(pages: readonly string[], n: number): number | undefined {
  const contents = pages.slice(0, 3).join('\n');
  const match = new RegExp(`Zone${n}head placement\\s*(\\d+)`).exec(contents);
  return match === null ? undefined : Number(match[1]);
}

/** The page number a `:ref` prints after the words `marker`. */
function refNumber(pages: readonly string[], marker: string): number | undefined {
  const text = pages.join('\n').replace(/\s+/g, ' ');
  const match = new RegExp(`${marker} [^(]*\\(page (\\d+)\\)`).exec(text);
  return match === null ? undefined : Number(match[1]);
}

describe('contents and page references', () => {
  // `toc: true` takes the pages from the notes' layout for its first print (no draft); `auto`
  // from a print without the contents, then the layout: the PDF read back checks both.
  it.each([['auto'], ['true']])(
    'prints contents whose numbers are the pages of the headings, past page 9, and right :ref pages (toc: %s on a long memo)',
    async (toc) => {
      const { pages, pdf, file } = await build(longMemo([`toc: ${toc}`]));
      expect(file.messages.map(String)).toEqual([]);
      expect(pages.length).toBeGreaterThan(20);
      expect(pages[0]).toContain('Contents');
      const wrong: string[] = [];
      for (let n = 1; n <= 30; n += 1) {
        const printed = contentsNumber(pages, n);
        const actual = pageOf(pages, `Body${n}start`);
        if (printed !== actual)
          wrong.push(`part ${n}: contents say ${printed}, heading on ${actual}`);
      }
      expect(wrong).toEqual([]);
      expect(contentsNumber(pages, 30)).toBeGreaterThanOrEqual(10);
      expect(refNumber(pages, 'Refto2x')).toBe(pageOf(pages, 'Body29start'));
      expect(refNumber(pages, 'Refto27x')).toBe(pageOf(pages, 'Body3start'));
      expect(refNumber(pages, 'Refto14x')).toBe(pageOf(pages, 'Table 1. Apprehensions'));
      // Notes still at the foot of their references' pages.
      for (let n = 3; n <= 30; n += 3)
        expect(pageOf(pages, `Note${n}text`), `note ${n}`).toBe(pageOf(pages, `part ${n}.`));
      const catalog = await readCatalog(pdf);
      expect(catalog.marked).toBe(true);
      expect(catalog.outlineTitles).toContain('Zone30head placement');
      expect(pageOf(pages, 'Table 1. Apprehensions by month')).toBe(pageOf(pages, 'Body14start'));
      expect(pages.join('\n')).toContain('Source: Border agency, 2026.');
    },
    300_000,
  );

  it('prints no contents for a short memo by default, and prints them with `toc: true`, byte for byte the same each time', async () => {
    const body = [...part(1, 2), ...part(2, 2, ['See :ref{#zone1head-placement}.'])];
    const plain = await build(memo(body));
    expect(plain.pages.join('\n')).not.toContain('Contents');
    expect(plain.pages.join('\n')).toContain('Zone1head placement (page 1)');

    const withToc = await build(memo(body, ['toc: true']));
    expect(withToc.pages[0]).toContain('Contents');
    expect(contentsNumber(withToc.pages, 1)).toBe(pageOf(withToc.pages, 'Body1start'));
    expect(contentsNumber(withToc.pages, 2)).toBe(pageOf(withToc.pages, 'Body2start'));
    const again = await build(memo(body, ['toc: true']));
    expect(Buffer.from(again.pdf).equals(Buffer.from(withToc.pdf))).toBe(true);

    const never = await build(memo([...part(1, 2)], ['toc: false']));
    expect(never.pages.join('\n')).not.toContain('Contents');
  }, 120_000);

  it('lists the contents in the HTML too when `toc: auto` printed them (memo build)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'memo-contents-'));
    writeFileSync(join(folder, 'long.md'), longMemo(['notes: endnotes']));
    writeFileSync(join(folder, 'short.md'), memo(part(1, 2)));
    const run = await runCli(['build', 'long.md', 'short.md', '--out', 'out'], folder);
    expect(run.code, run.stderr).toBe(0);
    const html = (slug: string) =>
      fromHtml(readFileSync(join(folder, 'out', slug, 'memo.html'), 'utf8'));
    expect(
      selectAll('[data-memo-contents="true"] nav a', html('long')).map((a) => toString(a)),
    ).toHaveLength(30);
    expect(selectAll('[data-memo-contents="true"]', html('short'))).toEqual([]);
  }, 300_000);

  it('lists the headings to `toc_depth` levels as links in the HTML, with no page numbers', async () => {
    const body = [
      ...part(1, 1),
      '### Deeper one',
      'Text.',
      '#### Deepest',
      'Text.',
      'See :ref{#deeper-one}.',
    ];
    const { view } = await compile(memo(body, ['toc: true', 'toc_depth: 2']));
    const page = fromHtml(session.renderHtml(view as MemoView));
    const links = selectAll('nav.memo-contents a', page);
    expect(links.map((link) => link.properties['href'])).toEqual([
      '#zone1head-placement',
      '#deeper-one',
    ]);
    expect(links.map((link) => toString(link))).toEqual(['Zone1head placement', 'Deeper one']);
    const ref = selectAll('a.memo-ref', page);
    expect(ref.map((link) => [link.properties['href'], toString(link)])).toEqual([
      ['#deeper-one', 'Deeper one'],
    ]);
    expect(toString(select('main', page) ?? page)).not.toMatch(/\(page|\bpage \d/);
  });

  it('reports an unknown :ref id at its line and column, with the id it most likely means', async () => {
    const { file, view } = await compile(
      memo([...part(1, 1), 'As :ref{#zone1head-placment} shows.']),
    );
    expect(view).toBeUndefined();
    expect(file.messages.map(String)).toEqual([
      'memo.md:12:4: `:ref{#zone1head-placment}` names no heading, table or figure of this memo; did you mean `zone1head-placement`?',
    ]);
    expect(file.messages[0]?.ruleId).toBe('ref-unknown-id');
  });
});

describe('how :ref and caption ids are written', () => {
  it.each([
    [
      'As :ref{zone1head-placement} shows.',
      'memo.md:12:4: write the id with `#`: `:ref{#zone1head-placement}`',
    ],
    [
      'As :ref[the zones]{#zone1head-placement} shows.',
      "memo.md:12:4: `:ref` writes its own text (the section's title, or “Table N”) and would drop “the zones”: write `:ref{#zone1head-placement}`",
    ],
    [
      'As :ref[]{} shows.',
      'memo.md:12:4: `:ref` needs the id of a heading, table or figure, as in `:ref{#funding-gaps}` or `:ref{#tbl-apprehensions}`',
    ],
  ])('%s', async (line, message) => {
    const { file, view } = await compile(memo([...part(1, 1), line]));
    expect(view).toBeUndefined();
    expect(file.messages.map(String)).toEqual([message]);
    expect(file.messages[0]?.ruleId).toBe('ref-form');
  });

  it('refuses a caption id that a heading already has', async () => {
    const { file } = await compile(
      memo([
        ...part(1, 1),
        '| A | B |\n| --- | --- |\n| 1 | 2 |',
        'Table: Same id as the heading {#zone1head-placement}',
      ]),
    );
    expect(file.messages.map(String)).toEqual([
      'memo.md:16:1: the id `zone1head-placement` of this caption is used twice in the memo; give the caption an id of its own, such as `{#tbl-1}`',
    ]);
    expect(file.messages[0]?.ruleId).toBe('caption-id');
  });
});

describe('numbered captions', () => {
  it('numbers a chart made earlier in the pipeline, and :ref finds it by its id', async () => {
    const fixture = join(import.meta.dirname, '..', 'fixtures', 'charts', 'good', 'charts.md');
    const source = `${readFileSync(fixture, 'utf8')}\nSee :ref{#fig-2022}.\n`;
    const { file, view } = await compile(source, fixture);
    expect(file.messages.filter((m) => m.fatal === true).map(String)).toEqual([]);
    const page = fromHtml(session.renderHtml(view as MemoView));
    expect(toString(select('figure#fig-2022 figcaption', page) ?? page)).toBe(
      'Figure 2. Arrests in 2022',
    );
    expect(selectAll('a.memo-ref', page).map((node) => toString(node))).toEqual(['Figure 2']);
  });

  it('numbers tables and figures and puts the caption and its source inside them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'memo-captions-'));
    writeFileSync(
      join(folder, 'gauge.png'),
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      ),
    );
    const body = [
      'Table: Stations by lake {#tbl-stations}',
      '| Lake | Stations |\n| --- | --- |\n| Erie | 24 |',
      'Source: Joint commission.',
      '![A gauge on the pier](gauge.png)',
      'Figure: The Erie gauge {#fig-gauge}',
      '| A | B |\n| --- | --- |\n| 1 | 2 |',
      'Table: Second table',
      'See :ref{#fig-gauge} and :ref{#tbl-stations}.',
    ];
    const { file, view } = await compile(memo(body), join(folder, 'memo.md'));
    expect(file.messages.map(String)).toEqual([]);
    const page = fromHtml(session.renderHtml(view as MemoView));
    const captions = selectAll('table > caption', page).map((node) => toString(node));
    expect(captions).toEqual([
      'Table 1. Stations by lakeSource: Joint commission.',
      'Table 2. Second table',
    ]);
    expect(selectAll('table#tbl-stations', page)).toHaveLength(1);
    expect(selectAll('figure#fig-gauge > img', page)).toHaveLength(1);
    expect(selectAll('figure#fig-gauge > figcaption', page).map((node) => toString(node))).toEqual([
      'Figure 1. The Erie gauge',
    ]);
    expect(selectAll('a.memo-ref', page).map((node) => toString(node))).toEqual([
      'Figure 1',
      'Table 1',
    ]);
    // No caption paragraph is left behind.
    expect(toString(select('main', page) ?? page)).not.toMatch(/Table:|Figure:/);
  });

  it('prints a captioned figure as a group holding the image, with its alt text, and its caption: memo audit passes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'memo-captions-pdf-'));
    writeFileSync(
      join(folder, 'gauge.png'),
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      ),
    );
    writeFileSync(
      join(folder, 'memo.md'),
      memo(['![A gauge on the pier](gauge.png)', 'Figure: The Erie gauge {#fig-gauge}']),
    );
    expect((await runCli(['build', 'memo.md', '--out', 'out'], folder)).code).toBe(0);
    const html = readFileSync(join(folder, 'out', 'memo', 'memo.html'), 'utf8');
    expect(html).toContain('<figure role="group" class="memo-captioned" id="fig-gauge">');
    const audited = await runCli(['audit', 'out'], folder);
    expect(audited.stderr).toBe('');
    expect(audited.code).toBe(0);
  });
});
