/**
 * Captions tagged so a screen reader reads them with their table or figure: in the printed PDF
 * each captioned /Table's first kid is a /Caption holding "Table N. …" and its source line, and
 * each figure's group holds its /Caption (pipeline/render/pdf-captions.ts, in the finish step);
 * `memo audit` catches a table caption left outside a /Caption.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../pipeline/archive/audit/audit.js';
import { closeBrowser, launchBrowser } from '../../pipeline/render/browser.js';
import type { Chromium } from '../../pipeline/render/browser.js';
import { amendPdf } from '../../pipeline/render/pdf-amend.js';
import { looseCaption } from '../../pipeline/render/pdf-captions.js';
import { rewritePdf } from '../../pipeline/render/pdf-metadata.js';
import type { PdfMeta } from '../../pipeline/render/pdf.js';
import { openSession } from '../../pipeline/session.js';
import type { OwnSession } from '../../pipeline/session.js';
import { pageTexts } from '../helpers/pdf.js';
import { elementsTagged, taggedPages } from '../helpers/pdf-structure.js';
import type { TaggedNode } from '../helpers/pdf-structure.js';

const PIXEL =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function memo(body: string[]): string {
  return [
    '---',
    'title: Lake stations',
    'author: Ana Ruiz',
    'organization: Institute for Public Policy',
    'date: 2026-03-15',
    '---',
    '',
    body.join('\n\n'),
    '',
  ].join('\n');
}

const CAPTIONED = memo([
  'The commission counts its stations every spring.',
  '| Lake | Stations |\n| --- | --- |\n| Erie | 24 |\n| Huron | 18 |',
  'Table: Stations by lake {#tbl-stations}',
  'Source: Joint commission.[^s]',
  '![A gauge on the pier](gauge.png)',
  'Figure: The Erie gauge {#fig-gauge}',
  [
    '```chart',
    'title: Arrests in 2022',
    'description: The North had 800 arrests in 2022, the South 700.',
    'data:',
    '  values:',
    '    - { region: North, arrests: 800 }',
    '    - { region: South, arrests: 700 }',
    'mark: bar',
    'encoding:',
    '  x: { field: region, type: nominal, title: Region }',
    '  y: { field: arrests, type: quantitative, title: Arrests }',
    '```',
  ].join('\n'),
  '| Port | Trucks |\n| --- | --- |\n| Fenwick | 4,150 |',
  'Table: Trucks per day',
  '| A | B |\n| --- | --- |\n| 1 | 2 |',
  'See :ref{#tbl-stations} and :ref{#fig-gauge}.',
  '[^s]: Counted each spring.',
]);

const UNCAPTIONED = memo([
  'The commission counts its stations every spring.',
  '| Lake | Stations |\n| --- | --- |\n| Erie | 24 |',
  '| Port | Trucks |\n| --- | --- |\n| Fenwick | 4,150 |',
  'Table: Trucks per day',
]);

const meta: PdfMeta = {
  title: 'Lake stations',
  author: 'Ana Ruiz',
  subject: '',
  keywords: [],
  lang: 'en',
  date: new Date('2026-03-15T00:00:00Z'),
  creator: 'memo-press test',
};

let session: OwnSession;
let chromium: Chromium;
let folder: string;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'memo-caption-tags-'));
  writeFileSync(join(folder, 'gauge.png'), Buffer.from(PIXEL, 'base64'));
  session = await openSession({ handleSignals: false, concurrency: 1 });
  chromium = await launchBrowser({});
}, 60_000);
afterAll(async () => {
  await session?.close();
  if (chromium !== undefined) await closeBrowser(chromium);
});

/** The memo's HTML, and its PDF as `memo build` finishes it. */
async function build(markdown: string): Promise<{ html: string; pdf: Uint8Array }> {
  const file = new VFile({ path: join(folder, 'memo.md'), value: markdown });
  const view = await session.compile(file);
  expect(file.messages.map(String)).toEqual([]);
  if (view === undefined) throw new Error('no view');
  const html = session.renderHtml(view);
  const pdf = await session.renderPdf(file, view, html);
  if (pdf === undefined) throw new Error(file.messages.map(String).join('\n'));
  return { html, pdf };
}

/** Chromium's own PDF of `html`, before memo-press finishes it. */
async function printRaw(html: string): Promise<Uint8Array> {
  const page = await chromium.browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setContent(html);
    return new Uint8Array(await page.pdf({ tagged: true, preferCSSPageSize: true }));
  } finally {
    await page.close();
  }
}

/** Each table: the tag of its first element kid and that kid's text. */
const tables = (pages: readonly TaggedNode[]) =>
  elementsTagged(pages, 'Table').map((table) => ({
    first: table.kids[0]?.role,
    caption: table.kids.find((kid) => kid.role === 'Caption')?.text,
  }));

/** The objects an incremental update appended to `base`, as pdf-lib reads them in `updated`. */
async function appended(base: Uint8Array, updated: Uint8Array): Promise<PDFDict[]> {
  const tail = Buffer.from(updated.subarray(base.length)).toString('latin1');
  const numbers = [...tail.matchAll(/(?:^|\n)(\d+) 0 obj/g)].map((match) => Number(match[1]));
  const doc = await PDFDocument.load(updated, { updateMetadata: false });
  return numbers.flatMap((number) => {
    const value = doc.context.lookup(PDFRef.of(number));
    return value instanceof PDFDict ? [value] : [];
  });
}

const structElems = (objects: readonly PDFDict[]) =>
  objects
    .filter((object) => object.get(PDFName.of('Type'))?.toString() === '/StructElem')
    .map((object) => object.get(PDFName.of('S'))?.toString());

/** The /Table elements of `bytes`, read with pdf-lib. */
async function tableDicts(bytes: Uint8Array): Promise<{ tables: PDFDict[]; doc: PDFDocument }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const found: PDFDict[] = [];
  const look = (value: PDFObject | undefined) =>
    value instanceof PDFRef ? doc.context.lookup(value) : value;
  const visit = (value: PDFObject | undefined): void => {
    const node = look(value);
    if (node instanceof PDFArray) node.asArray().forEach(visit);
    if (!(node instanceof PDFDict) || !node.has(PDFName.of('S'))) return;
    if (node.get(PDFName.of('S'))?.toString() === '/Table') found.push(node);
    visit(node.get(PDFName.of('K')));
  };
  const root = look(doc.catalog.get(PDFName.of('StructTreeRoot')));
  if (root instanceof PDFDict) visit(root.get(PDFName.of('K')));
  return { tables: found, doc };
}

describe('captions in the PDF’s tags', () => {
  it('tags each table’s caption, with its number and source, as the /Caption that is its first kid, and each figure’s', async () => {
    const { pdf } = await build(CAPTIONED);
    const pages = await taggedPages(pdf);
    expect(tables(pages)).toEqual([
      // The source line's note reference is part of the caption (the note is at the page's foot).
      { first: 'Caption', caption: 'Table 1. Stations by lake Source: Joint commission. 1' },
      { first: 'Caption', caption: 'Table 2. Trucks per day' },
      { first: 'TR', caption: undefined },
    ]);
    // A figure's caption sits beside it in the figure's group: image and chart alike.
    const groups = elementsTagged(pages, 'Div').filter((div) =>
      div.kids.some((kid) => kid.role === 'Figure'),
    );
    expect(
      groups.map((group) =>
        group.kids.map((kid) => (kid.role === 'Caption' ? kid.text : kid.role)),
      ),
    ).toEqual([
      ['Figure', 'Figure 1. The Erie gauge'],
      ['Figure', 'Figure 2. Arrests in 2022'],
    ]);
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain('Table 1. Stations by lake');
    expect(text).toContain('See Table 1 (page 1) and Figure 1 (page 1).');
  });

  it('finds the caption Chromium leaves loose in the /Table, and changes only its objects, not the text', async () => {
    const { html } = await build(CAPTIONED);
    const raw = await printRaw(html);
    // Chromium 156 drops a <caption> holding a block (the source line) from the tags.
    const before = await tableDicts(raw);
    const loose = before.tables.map((table) =>
      looseCaption(table, (value) =>
        value instanceof PDFRef ? before.doc.context.lookup(value) : value,
      ),
    );
    expect(loose.map((caption) => caption?.kids.length)).toEqual([4, undefined, undefined]);
    expect(tables(await taggedPages(raw))[0]).toEqual({ first: 'NonStruct', caption: undefined });

    const amended = amendPdf(raw, meta);
    if (amended === undefined) throw new Error('not amended');
    expect(tables(await taggedPages(amended))[0]).toEqual({
      first: 'Caption',
      caption: 'Table 1. Stations by lake Source: Joint commission. 1',
    });
    // The new /Caption, the table, and the four pieces of the caption it now holds.
    expect(structElems(await appended(raw, amended)).sort()).toEqual([
      '/Caption',
      '/NonStruct',
      '/NonStruct',
      '/NonStruct',
      '/NonStruct',
      '/Table',
    ]);
    expect(await pageTexts(amended)).toEqual(await pageTexts(raw));
    expect(amendPdf(raw, meta)).toEqual(amended); // byte for byte, every time

    const rewritten = await rewritePdf(raw, meta);
    expect(tables(await taggedPages(rewritten))).toEqual(tables(await taggedPages(amended)));
  });

  it('tags a caption printed below its table (a template’s `caption-side: bottom`) too, first as in the HTML', async () => {
    const raw = await printRaw(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Below</title>' +
        '<style>caption { caption-side: bottom } .caption-source { display: block }</style></head>' +
        '<body><p>Counts.</p><table><caption><span>Table 1.</span> Stations' +
        '<span class="caption-source">Source: Joint commission.</span></caption>' +
        '<thead><tr><th>Lake</th><th>Stations</th></tr></thead>' +
        '<tbody><tr><td>Erie</td><td>24</td></tr></tbody></table></body></html>',
    );
    const amended = amendPdf(raw, meta);
    if (amended === undefined) throw new Error('not amended');
    const [table] = elementsTagged(await taggedPages(amended), 'Table');
    expect(table?.kids.map((kid) => kid.role)).toEqual(['Caption', 'TR', 'TR']);
    expect(table?.kids[0]?.text).toBe('Table 1. Stations Source: Joint commission.');
  });

  it('adds no structure object when no table has a loose caption', async () => {
    const { html } = await build(UNCAPTIONED);
    const raw = await printRaw(html);
    const amended = amendPdf(raw, meta);
    if (amended === undefined) throw new Error('not amended');
    expect(structElems(await appended(raw, amended))).toEqual([]);
    expect(tables(await taggedPages(amended))).toEqual([
      { first: 'TR', caption: undefined },
      { first: 'Caption', caption: 'Table 1. Trucks per day' },
    ]);
  });

  it('has `memo audit` name a table caption outside a /Caption, and pass the finished PDF', async () => {
    const { html, pdf } = await build(CAPTIONED);
    const messages = async (bytes: Uint8Array, name: string) => {
      const file = join(folder, name);
      await writeFile(file, bytes);
      const { files } = await audit([file], [], folder);
      return files.flatMap((vfile) =>
        vfile.messages
          .filter((message) => message.reason.includes('caption'))
          .map((message) => `${message.line ?? 1}: ${message.reason} [${message.ruleId}]`),
      );
    };
    expect(await messages(pdf, 'finished.pdf')).toEqual([]);
    expect(await messages(await printRaw(html), 'raw.pdf')).toEqual([
      '1: page 1: a table’s caption is not tagged as its caption, so a screen reader does not read it with the table; rebuild the PDF with `memo build` [audit-accessibility]',
    ]);
  });
});
