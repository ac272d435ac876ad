/**
 * Table header ids in the PDF's tags (pipeline/render/pdf-struct-ids.ts, in the finish step):
 * Chromium names a header cell after its DOM node, a counter that moves with whatever the page
 * printed before, so the same memo printed twice on one page gave different bytes. Finished,
 * the ids are `node00000001`… in document order, each data cell's /Headers still names its
 * column's (and row's) header cells, and the /IDTree resolves every id to its element.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../pipeline/archive/audit/audit.js';
import { closeBrowser, launchBrowser } from '../../pipeline/render/browser.js';
import type { Chromium } from '../../pipeline/render/browser.js';
import { amendPdf } from '../../pipeline/render/pdf-amend.js';
import { rewritePdf } from '../../pipeline/render/pdf-metadata.js';
import type { PdfMeta } from '../../pipeline/render/pdf.js';
import { openSession } from '../../pipeline/session.js';
import type { OwnSession } from '../../pipeline/session.js';
import { pageTexts } from '../helpers/pdf.js';

/** Two tables with a header row, the second with a header cell starting each row. */
const TABLES_MEMO = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'struct-ids', 'lake-tables.md'),
  'utf8',
);

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
  folder = mkdtempSync(join(tmpdir(), 'memo-struct-ids-'));
  session = await openSession({ handleSignals: false, concurrency: 1 });
  chromium = await launchBrowser({});
}, 60_000);
afterAll(async () => {
  await session?.close();
  if (chromium !== undefined) await closeBrowser(chromium);
});

async function html(markdown: string): Promise<string> {
  const file = new VFile({ path: join(folder, 'memo.md'), value: markdown });
  const view = await session.compile(file);
  expect(file.messages.map(String)).toEqual([]);
  if (view === undefined) throw new Error('no view');
  return session.renderHtml(view);
}

/** Chromium's own PDFs of `pages`, printed one after the other on one page, as a build does. */
async function printRaw(...pages: string[]): Promise<Uint8Array[]> {
  const page = await chromium.browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    const prints: Uint8Array[] = [];
    for (const content of pages) {
      await page.setContent(content);
      prints.push(new Uint8Array(await page.pdf({ tagged: true, preferCSSPageSize: true })));
    }
    return prints;
  } finally {
    await page.close();
  }
}

const text = (value: PDFObject | undefined) =>
  value instanceof PDFString ? value.decodeText() : undefined;

interface Cell {
  readonly tag: string;
  readonly id: string | undefined;
  readonly headers: string[];
  readonly element: PDFDict;
}

/** The file's tables as rows of cells, each with its /ID and /Headers; and its IDTree's pairs. */
async function readTables(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const look = (value: PDFObject | undefined) =>
    value instanceof PDFRef ? doc.context.lookup(value) : value;
  const tables: Cell[][][] = [];
  const ids: string[] = [];
  const visit = (value: PDFObject | undefined): void => {
    const node = look(value);
    if (node instanceof PDFArray) node.asArray().forEach(visit);
    if (!(node instanceof PDFDict) || !node.has(PDFName.of('S'))) return;
    const tag = node.get(PDFName.of('S'))?.toString().slice(1) ?? '';
    const id = text(node.get(PDFName.of('ID')));
    if (id !== undefined) ids.push(id);
    if (tag === 'Table') tables.push([]);
    if (tag === 'TR') tables.at(-1)?.push([]);
    if (tag === 'TH' || tag === 'TD') {
      const attributes = look(node.get(PDFName.of('A')));
      const list = attributes instanceof PDFArray ? attributes.asArray() : [attributes];
      const headers = list.flatMap((entry) => {
        const found = look(entry);
        const array = found instanceof PDFDict ? look(found.get(PDFName.of('Headers'))) : undefined;
        return array instanceof PDFArray ? array.asArray().map((item) => text(item) ?? '?') : [];
      });
      tables.at(-1)?.at(-1)?.push({ tag, id, headers, element: node });
    }
    visit(node.get(PDFName.of('K')));
  };
  const root = look(doc.catalog.get(PDFName.of('StructTreeRoot')));
  if (!(root instanceof PDFDict)) throw new Error('no structure tree');
  visit(root.get(PDFName.of('K')));
  const tree = look(root.get(PDFName.of('IDTree')));
  const names = tree instanceof PDFDict ? look(tree.get(PDFName.of('Names'))) : undefined;
  const pairs: Array<[string | undefined, PDFObject | undefined]> = [];
  if (names instanceof PDFArray)
    for (let index = 0; index + 1 < names.size(); index += 2)
      pairs.push([text(names.get(index)), look(names.get(index + 1))]);
  const treeKeys = tree instanceof PDFDict ? tree.keys().map(String) : [];
  return { tables, ids, pairs, treeKeys };
}

/** Every /Headers of a data cell names the header cells of its column (and, given, its row). */
function expectHeadersRight(table: Cell[][], rowHeaders: boolean): void {
  const [head, ...body] = table;
  expect(head?.every((cell) => cell.tag === 'TH')).toBe(true);
  expect(body.length).toBeGreaterThan(0);
  for (const row of body)
    row.forEach((cell, column) => {
      if (rowHeaders && column === 0) {
        expect(cell.tag).toBe('TH');
        return;
      }
      expect(cell.tag).toBe('TD');
      const expected = [head?.[column]?.id, rowHeaders ? row[0]?.id : undefined];
      expect(cell.headers.sort()).toEqual(expected.filter((id) => id !== undefined).sort());
    });
}

const rawIds = (bytes: Uint8Array) =>
  [
    ...Buffer.from(bytes)
      .toString('latin1')
      .matchAll(/\/ID \((node\d+)\)/g),
  ].map((m) => m[1]);

describe('structure ids in the printed PDF', () => {
  it('gives the same memo printed after another on the same page the same bytes, its header ids in document order', async () => {
    const page = await html(TABLES_MEMO);
    const [first, , again] = await printRaw(page, page, page);
    if (first === undefined || again === undefined) throw new Error('no print');
    // The precondition: Chromium's ids moved on with the page's counter.
    expect(rawIds(first)).toHaveLength(7);
    expect(rawIds(again)).not.toEqual(rawIds(first));

    const amended = amendPdf(first, meta);
    if (amended === undefined) throw new Error('not amended');
    expect(amendPdf(again, meta)).toEqual(amended);
    // No superseded object keeps a run's ids: the only ids in the file are the new ones.
    const all = [
      ...Buffer.from(amended)
        .toString('latin1')
        .matchAll(/\((node\d+)\)/g),
    ];
    expect(new Set(all.map((match) => match[1]))).toEqual(
      new Set(['1', '2', '3', '4', '5', '6', '7'].map((n) => `node0000000${n}`)),
    );

    const { tables, ids, pairs, treeKeys } = await readTables(amended);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `node0000000${n}`));
    expect(tables).toHaveLength(2);
    expectHeadersRight(tables[0] ?? [], false);
    expectHeadersRight(tables[1] ?? [], true);
    // The IDTree: one flat /Names array, sorted, each id resolving to the element that has it.
    expect(treeKeys).toEqual(['/Names']);
    expect(pairs.map(([key]) => key)).toEqual(ids);
    for (const [key, element] of pairs) {
      expect(element).toBeInstanceOf(PDFDict);
      if (element instanceof PDFDict) expect(text(element.get(PDFName.of('ID')))).toBe(key);
    }
    expect(await pageTexts(amended)).toEqual(await pageTexts(first));
  });

  it('renumbers the same way on the full rewrite (a file laid out otherwise)', async () => {
    const page = await html(TABLES_MEMO);
    const [first, again] = await printRaw(page, page);
    if (first === undefined || again === undefined) throw new Error('no print');
    const rewritten = await rewritePdf(first, meta);
    expect(await rewritePdf(again, meta)).toEqual(rewritten);
    const fromRewrite = await readTables(rewritten);
    const amended = amendPdf(first, meta);
    if (amended === undefined) throw new Error('not amended');
    const fromAmend = await readTables(amended);
    expect(fromRewrite.ids).toEqual(fromAmend.ids);
    expect(fromRewrite.treeKeys).toEqual(['/Names']);
    expect(fromRewrite.pairs.map(([key]) => key)).toEqual(fromRewrite.ids);
    expectHeadersRight(fromRewrite.tables[0] ?? [], false);
    expectHeadersRight(fromRewrite.tables[1] ?? [], true);
  });

  it('passes `memo audit`', async () => {
    const page = await html(TABLES_MEMO);
    const [, raw] = await printRaw(page, page);
    if (raw === undefined) throw new Error('no print');
    const amended = amendPdf(raw, meta);
    if (amended === undefined) throw new Error('not amended');
    const file = join(folder, 'tables.pdf');
    await writeFile(file, amended);
    const { files } = await audit([file], [], folder);
    expect(files.flatMap((vfile) => vfile.messages.map(String))).toEqual([]);
  });
});
