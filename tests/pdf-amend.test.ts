/**
 * The PDF post-processing as an incremental update of Chromium's own file
 * (pipeline/render/pdf-amend.ts), checked on a file Chromium really printed,
 * and the full rewrite it falls back to.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, launchBrowser } from '../pipeline/render/browser.js';
import type { Chromium } from '../pipeline/render/browser.js';
import { amendPdf } from '../pipeline/render/pdf-amend.js';
import { finalizePdf } from '../pipeline/render/pdf-metadata.js';
import type { PdfMeta } from '../pipeline/render/pdf.js';
import { pageTexts, readCatalog, readInfo } from './helpers/pdf.js';

const meta: PdfMeta = {
  title: 'Grid Resilience — Second Review',
  author: 'Energy Desk',
  subject: 'Outage trends',
  keywords: ['energy', 'public works'],
  lang: 'en-US',
  date: new Date('2026-02-03T00:00:00Z'),
  creator: 'memo-press 0.1.0',
};

const HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Raw</title></head>
<body><h1>Grid Resilience</h1><p>Outages fell in four of six regions.</p>
<h2>Links</h2><p><a href="https://example.org/report">report</a>
<a href="javascript:alert(1)">script</a> <a href="file:///etc/passwd">file</a>
<a href="#top">top</a></p></body></html>`;

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

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** The URI (or action kind) of every link annotation's action, and '-' for one without. */
async function linkActions(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const actions: string[] = [];
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref, PDFDict);
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
      const uri = action?.lookupMaybe(PDFName.of('URI'), PDFString)?.decodeText();
      actions.push(uri ?? action?.lookup(PDFName.of('S'))?.toString() ?? '-');
    }
  }
  return actions.sort();
}

describe('amending Chromium’s PDF', () => {
  it('keeps Chromium’s file and appends an update with the memo’s metadata', async () => {
    const amended = amendPdf(raw, meta);
    expect(amended).toBeDefined();
    if (amended === undefined) return;
    // Chromium's bytes are all still there, except objects the update replaces
    // and blanks (<<>> and spaces): its information dictionary (the clock's
    // dates, its user agent) and the annotations of unsafe links.
    const before = latin1(raw);
    const kept = latin1(amended.subarray(0, raw.length));
    const changed = [...before].flatMap((char, at) => (kept[at] === char ? [] : [at]));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((at) => !' <>'.includes(kept[at] ?? 'x'))).toEqual([]);
    expect(kept).not.toMatch(/HeadlessChrome|D:20\d{12}/);
    const update = latin1(amended.subarray(raw.length));
    expect(update).toMatch(/\/Prev \d+/);
    expect(update.trimEnd().endsWith('%%EOF')).toBe(true);

    expect(await readInfo(amended)).toMatchObject({
      title: meta.title,
      author: meta.author,
      subject: meta.subject,
      keywords: 'energy, public works',
      creator: meta.creator,
      producer: 'memo-press',
      creationDate: meta.date,
      modDate: meta.date,
    });
    const catalog = await readCatalog(amended);
    expect(catalog).toMatchObject({
      lang: 'en-US',
      marked: true,
      hasStructTreeRoot: true,
      pageMode: 'UseOutlines',
      displayDocTitle: true,
      outlineTitles: ['Grid Resilience', 'Links'],
    });
    expect(catalog.id?.[0]).toMatch(/^[0-9A-F]{32}$/);
    expect(catalog.id?.[1]).toBe(catalog.id?.[0]);
    expect((await pageTexts(amended)).join(' ')).toContain('Outages fell in four of six regions.');
  });

  it('gives the same bytes whatever time Chromium printed at, and another /ID for other content', () => {
    const later = latin1(raw).replace(/D:20\d{12}/g, (date) =>
      date.replace(/\d{6}(?=\D*$)/, '235959'),
    );
    expect(later).not.toBe(latin1(raw));
    const first = amendPdf(raw, meta);
    expect(first).toBeDefined();
    expect(amendPdf(Buffer.from(later, 'latin1'), meta)).toEqual(first);
    const retitled = amendPdf(raw, { ...meta, title: 'Another title' });
    expect(latin1(retitled ?? new Uint8Array()).slice(-200)).not.toBe(
      latin1(first ?? raw).slice(-200),
    );
  });

  it('takes the action away from links to anything but http(s), mailto and the memo itself', async () => {
    expect(await linkActions(raw)).toEqual(
      expect.arrayContaining(['https://example.org/report', 'javascript:alert(1)']),
    );
    const amended = amendPdf(raw, meta) ?? raw;
    const actions = await linkActions(amended);
    expect(actions).toContain('https://example.org/report');
    expect(actions.filter((action) => /^(javascript|file):/.test(action))).toEqual([]);
    // Not even as Chromium's superseded version of the annotation.
    expect(latin1(amended)).not.toMatch(/javascript:|file:\/\//);
  });

  it('falls back to a full rewrite for a file laid out otherwise (a cross-reference stream)', async () => {
    const rewritten = await (
      await PDFDocument.load(raw, { updateMetadata: false })
    ).save({ useObjectStreams: true });
    expect(amendPdf(rewritten, meta)).toBeUndefined();
    const finished = await finalizePdf(rewritten, meta);
    expect(await readInfo(finished)).toMatchObject({ title: meta.title, producer: 'memo-press' });
    expect((await readCatalog(finished)).lang).toBe('en-US');
    expect(await linkActions(finished)).not.toContain('javascript:alert(1)');
  });
});
