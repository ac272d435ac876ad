/**
 * `memo build --format docx`: every sample memo, and a memo with every body
 * feature, read back with independent readers: mammoth (as an editor's tool
 * would see the document) and the package's own parts (header, footer,
 * properties) with JSZip.
 */
import { readFile, readdir, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { png, tempDir } from '../security/harness.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const samples = path.join(root, 'sources');

async function readBack(file: string) {
  const bytes = await readFile(file);
  const { value: html, messages } = await mammoth.convertToHtml({ buffer: bytes });
  const zip = await JSZip.loadAsync(bytes);
  const part = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  return { bytes, html, messages, part };
}

/** Text of every `<tag>` in mammoth's HTML, entities decoded. */
function texts(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}[^>]*>(.*?)</${tag}>`, 'gs'))].map((match) =>
    (match[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>'),
  );
}

/** The section headings of the memo's HTML (body, distribution, appendix), but its Notes: Word has footnotes. */
async function htmlSections(file: string): Promise<string[]> {
  const tree = fromHtml(await readFile(file, 'utf8'));
  return selectAll('main h2', tree)
    .map((heading) => toString(heading))
    .filter((text) => text !== 'Notes');
}

describe('every sample memo as Word', () => {
  let out: string;
  let names: string[];
  beforeAll(async () => {
    out = await tempDir('docx-samples');
    const run = await runCli(['build', samples, '--out', out, '--format', 'docx,html', '-q'], root);
    expect(run.stderr).toMatch(/memos? built, 0 failed/);
    expect(run.code).toBe(0);
    names = (await readdir(samples)).filter((name) => name.endsWith('.md'));
  });

  it('writes memo.docx beside memo.html, with the headings, notes and tables of the memo', async () => {
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const slug = name.replace(/\.md$/, '');
      expect((await readdir(path.join(out, slug))).sort()).toEqual(['memo.docx', 'memo.html']);
      const source = await readFile(path.join(samples, name), 'utf8');
      const { html, messages } = await readBack(path.join(out, slug, 'memo.docx'));
      expect(messages.filter((message) => message.type === 'error')).toEqual([]);
      // The memo's section headings are Word's Heading 1 (mammoth: h1), in the same order.
      expect(texts(html, 'h1')).toEqual(await htmlSections(path.join(out, slug, 'memo.html')));
      // Every note is a Word footnote: the writer's own and those citations make.
      const notes = selectAll(
        'section.footnotes li',
        fromHtml(await readFile(path.join(out, slug, 'memo.html'), 'utf8')),
      ).length;
      expect(notes).toBeGreaterThanOrEqual([...source.matchAll(/^\[\^[^\]]+\]:/gm)].length);
      expect(html.match(/<li id="footnote-\d+">/g)?.length ?? 0).toBe(notes);
      // A Markdown table is a Word table whose first row is its header.
      const header = /^\|(.+)\|\n\|[-:| ]+\|$/m.exec(source);
      if (header !== null) {
        const cells = (header[1] ?? '').split('|').map((cell) => cell.trim());
        const table = /<table>(.*?)<\/table>/s.exec(html)?.[1] ?? '';
        expect(texts(table, 'th')).toEqual(cells);
      }
    }
  });

  it('carries the distribution block and the recommendations appendix with statuses', async () => {
    const { html } = await readBack(path.join(out, 'transit-safety-one-year', 'memo.docx'));
    const headings = texts(html, 'h1');
    expect(headings).toContain('Distribution');
    expect(headings.at(-1)).toBe('Recommendations');
    expect(html).toContain('<li>City Council Transportation Committee</li>');
    expect(texts(html, 'h2')).toContain('Recommendation 3: Protect bus lanes with cameras');
    expect(html).toContain('<strong>Status: </strong>Withdrawn');
    expect(html).toContain('The council funded kerb barriers on the busiest lanes instead.');
    // Its charts are their descriptions, never their axis labels as paragraphs.
    expect(html).toContain(
      '<p><em>[The median speed was 22 mph on residential streets and 32 mph on main roads in the first quarter of 2026.]</em></p>',
    );
    expect(html).not.toContain('<p>2025 Q1</p>');
  });

  it('marks the classification in the header and the footer, and fills the properties', async () => {
    const { part } = await readBack(path.join(out, 'transit-safety-one-year', 'memo.docx'));
    expect(await part('word/header1.xml')).toContain('>PUBLIC</w:t>');
    expect(await part('word/footer1.xml')).toContain('>PUBLIC</w:t>');
    const core = await part('docProps/core.xml');
    expect(core).toContain('<dc:title>Safer Streets: One-Year Assessment</dc:title>');
    expect(core).toContain('<dc:creator>Priya Raman</dc:creator>');
    expect(core).toContain('<dc:language>en</dc:language>');
    expect(core).toContain('<cp:keywords>Metro Mobility Forum');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-04-10T00:00:00Z');
    expect(await part('word/styles.xml')).toContain('w:styleId="Title"');
  });
});

describe('a memo with every body feature as Word', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await tempDir('docx-features');
    await copyFile(
      path.join(root, 'tests', 'fixtures', 'body', 'features.md'),
      path.join(folder, 'features.md'),
    );
    await writeFile(path.join(folder, 'chart.png'), png(40, 20));
    await writeFile(
      path.join(folder, 'lists.md'),
      [
        '---',
        'title: Lists and pictures',
        'author: Ana Ruiz',
        'organization: Council',
        'date: 2026-01-10',
        'classification: CONFIDENTIAL',
        '---',
        '',
        '## Steps',
        '',
        '- First level',
        '  - Second level',
        '    1. Third, numbered',
        '- Back to the first',
        '',
        '> A quotation from the minister.',
        '',
        '![Share of trade by partner](chart.png)',
        '',
        '```',
        'code line one',
        '```',
        '',
      ].join('\n'),
    );
    const run = await runCli(['build', '.', '--out', 'out', '--format', 'html,docx', '-q'], folder);
    expect(run.stderr).toContain('2 memos built, 0 failed');
  });

  it('keeps footnotes with their links, the table header row, next steps and the appendix', async () => {
    const { html, part } = await readBack(path.join(folder, 'out', 'features', 'memo.docx'));
    expect(html).toContain('<a href="#footnote-1" id="footnote-ref-1">[1]</a>');
    expect(html).toMatch(
      /<li id="footnote-1"><p>A note with a <a href="https:\/\/example.org">link<\/a>/,
    );
    const document = await part('word/document.xml');
    expect(document).toContain('<w:tblHeader/>');
    expect(document).toContain('w:val="MemoNextSteps"');
    expect(texts(html, 'td')).toEqual(['Trade', 'done open']);
    expect(html).toContain('<s>done</s>');
    expect(html).toContain('Meet again in <em>June</em>.');
    expect(texts(html, 'h1')).toEqual(['Overview', 'Recommendations']);
    expect(texts(html, 'h2')).toEqual([
      'Overview',
      'Distribution',
      'Recommendation 1: Treat the neighbour as a partner',
      'Recommendation 2: Deepen regional trade',
    ]);
    // The writer's raw HTML that the sanitizer removed stays out of the Word document too.
    expect(html).not.toContain('alert(1)');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('file:');
  });

  it('nests lists, styles quotes and code, and embeds images with their alt text', async () => {
    const { html, part, messages } = await readBack(path.join(folder, 'out', 'lists', 'memo.docx'));
    expect(html).toMatch(
      /<ul><li>First level<ul><li>Second level<ol><li>Third, numbered<\/li><\/ol><\/li><\/ul><\/li><li>Back to the first<\/li><\/ul>/,
    );
    const document = await part('word/document.xml');
    expect(document).toContain('<w:pStyle w:val="Quote"/>');
    expect(document).toContain('<w:pStyle w:val="MemoCode"/>');
    expect(document).toContain('descr="Share of trade by partner"');
    expect(html).toMatch(/<img alt="Share of trade by partner" src="data:image\/png;base64,/);
    expect(messages.filter((message) => message.type === 'error')).toEqual([]);
    expect(await part('word/header1.xml')).toContain('>CONFIDENTIAL</w:t>');
  });
});

describe('an image Word cannot take', () => {
  it('is its alt text in the Word document, with a docx-image warning', async () => {
    const folder = await tempDir('docx-svg');
    await writeFile(
      path.join(folder, 'chart.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    await writeFile(
      path.join(folder, 'svg.md'),
      '---\ntitle: A chart\nauthor: Ana Ruiz\norganization: Council\ndate: 2026-01-10\n---\n\n## Trade\n\n![Trade by partner](chart.svg)\n',
    );
    const run = await runCli(['build', 'svg.md', '--out', 'out', '--format', 'html,docx'], folder);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'svg.md:10:1: warning the image “Trade by partner” is not in the Word document (Word takes PNG, JPEG and GIF images; this one is image/svg+xml): its alt text stands in its place; save it as PNG to carry it [docx-image]',
    );
    const { html } = await readBack(path.join(folder, 'out', 'svg', 'memo.docx'));
    expect(html).toContain('<p><em>[Trade by partner]</em></p>');
  });
});

describe('the bytes of memo.docx', () => {
  it('are the same for the same memo, and carry SOURCE_DATE_EPOCH when it is set', async () => {
    const folder = await tempDir('docx-bytes');
    const memo = path.join(samples, 'water-security-first-year.md');
    const build = (out: string, env: NodeJS.ProcessEnv = {}) =>
      runCli(['build', memo, '--out', out, '--format', 'docx', '--no-cache', '-q'], folder, env);
    await build('a');
    await build('b');
    await build('c', { SOURCE_DATE_EPOCH: '1767225600' });
    const bytes = (out: string) =>
      readFile(path.join(folder, out, 'water-security-first-year', 'memo.docx'));
    expect(Buffer.compare(await bytes('a'), await bytes('b'))).toBe(0);
    expect(Buffer.compare(await bytes('a'), await bytes('c'))).not.toBe(0);
    const zip = await JSZip.loadAsync(await bytes('c'));
    expect(await zip.file('docProps/core.xml')?.async('string')).toContain('2026-01-01T00:00:00Z');
    for (const entry of Object.values(zip.files))
      expect(entry.date.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
