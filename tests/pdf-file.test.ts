/**
 * Reading a printed PDF once (pipeline/render/pdf-file.ts, pdf-links.ts): pages, named
 * destinations and the first link to each, from a file Chromium really printed, read through
 * its cross-reference table, and the same answers for files laid out otherwise (object streams,
 * an incremental update), which pdf-lib loads whole. The finish reuses that parse.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFContext, PDFDocument, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, launchBrowser } from '../pipeline/render/browser.js';
import type { Chromium } from '../pipeline/render/browser.js';
import { openPrintedPdf, pdfLinks, readPdfLinks } from '../pipeline/render/pdf-links.js';
import { srgbProfile } from '../pipeline/render/pdf-archival.js';
import { finalizePdf } from '../pipeline/render/pdf-metadata.js';
import { projectRoot } from '../pipeline/paths.js';
import type { PdfMeta } from '../pipeline/render/pdf.js';
import { pageTexts, readInfo } from './helpers/pdf.js';

const meta: PdfMeta = {
  title: 'Three Pages',
  author: 'Energy Desk',
  subject: 'Links across pages',
  keywords: [],
  lang: 'en-US',
  date: new Date('2026-02-03T00:00:00Z'),
  creator: 'memo-press 0.1.0',
};

// Page 1 links to both sections; page 2 holds "grid" and links to "storage" again; page 3
// holds "storage" and a link back to "grid".
const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Raw</title>
<style>h2 { break-before: page; }</style></head>
<body><h1>Contents</h1><p><a href="#grid">Grid</a> and <a href="#storage">Storage</a>.</p>
<h2 id="grid">Grid</h2><p>Outages fell; see <a href="#storage">storage</a>.</p>
<h2 id="storage">Storage</h2><p>Back to <a href="#grid">the grid</a>.</p></body></html>`;

let chromium: Chromium;
/** What Chromium printed, untouched. */
let raw: Uint8Array;

beforeAll(async () => {
  chromium = await launchBrowser({});
  const page = await chromium.browser.newPage();
  await page.setContent(HTML);
  raw = new Uint8Array(await page.pdf({ tagged: true, outline: true, format: 'letter' }));
}, 60_000);

afterAll(async () => {
  await closeBrowser(chromium);
});

const EXPECTED = {
  pageCount: 3,
  destinations: new Map([
    ['grid', 2],
    ['storage', 3],
  ]),
  firstLink: new Map([
    ['grid', 1],
    ['storage', 1],
  ]),
};

describe('reading a printed PDF once', () => {
  it('reads the pages, destinations and first links of Chromium’s file from its cross-reference table', async () => {
    expect((await pageTexts(raw)).map((text) => text.trim().split(/\s+/)[0])).toEqual([
      'Contents',
      'Grid',
      'Storage',
    ]);
    const printed = await openPrintedPdf(raw);
    expect(printed.indexed).toBeDefined();
    expect(printed.document).toBeUndefined();
    expect(pdfLinks(printed)).toEqual(EXPECTED);
  });

  it('reads the same from a file with object streams, or with an update, loaded whole', async () => {
    const streams = await (
      await PDFDocument.load(raw, { updateMetadata: false })
    ).save({ useObjectStreams: true });
    const finished = await finalizePdf(raw, meta); // Chromium's file and an update after it
    for (const bytes of [streams, finished]) {
      const printed = await openPrintedPdf(bytes);
      expect(printed.indexed).toBeUndefined();
      expect(printed.document).toBeDefined();
      expect(pdfLinks(printed)).toEqual(EXPECTED);
      expect(await readPdfLinks(bytes)).toEqual(EXPECTED);
    }
  });

  it('finishes the parsed file to the same bytes as the file read afresh, either way', async () => {
    const streams = await (
      await PDFDocument.load(raw, { updateMetadata: false })
    ).save({ useObjectStreams: true });
    for (const bytes of [raw, streams]) {
      const afresh = await finalizePdf(bytes, meta, ['Contents', 'Grid', 'Storage']);
      const printed = await openPrintedPdf(bytes);
      pdfLinks(printed);
      const reused = await finalizePdf(printed, meta, ['Contents', 'Grid', 'Storage']);
      expect(Buffer.from(reused).equals(Buffer.from(afresh))).toBe(true);
      expect(await readInfo(reused)).toMatchObject({ title: meta.title, producer: 'memo-press' });
    }
  });

  it('stores the sRGB profile deflated ahead of time exactly as pdf-lib deflates the shipped one', async () => {
    const profile = await readFile(path.join(projectRoot(), 'assets', 'icc', 'sRGB.icc'));
    const deflated = PDFContext.create().flateStream(profile, { N: 3 });
    expect(deflated).toBeInstanceOf(PDFRawStream);
    if (!(deflated instanceof PDFRawStream)) return;
    expect(Buffer.from(srgbProfile()).equals(Buffer.from(deflated.getContents()))).toBe(true);
  });
});
