/**
 * Archival PDFs (pipeline/render/pdf-archival.ts) and `memo audit`
 * (pipeline/archive/audit/): a page Chromium really printed, finished by the
 * incremental update and by the full rewrite, then broken one way at a time
 * with pdf-lib, as a damaged or foreign file would be, to see each check
 * catch it with its page and rule.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  StandardFonts,
  decodePDFRawStream,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../pipeline/archive/audit/audit.js';
import { contrastProblems } from '../pipeline/archive/audit/contrast.js';
import { closeBrowser, launchBrowser } from '../pipeline/render/browser.js';
import type { Chromium } from '../pipeline/render/browser.js';
import { amendPdf } from '../pipeline/render/pdf-amend.js';
import { finalizePdf, rewritePdf } from '../pipeline/render/pdf-metadata.js';
import type { PdfMeta } from '../pipeline/render/pdf.js';
import { runCli } from './helpers/cli.js';
import { readInfo } from './helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..');

const meta: PdfMeta = {
  title: 'Harbour Dredging <Options> & Costs',
  author: 'Ports Desk',
  subject: 'Three ways to keep the channel open',
  keywords: ['ports', 'public works'],
  lang: 'en-GB',
  date: new Date('2026-05-06T00:00:00Z'),
  creator: 'memo-press 0.1.0',
};

// A 1×1 PNG: a figure with alternative text.
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const HTML = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Raw</title></head>
<body><h1>Harbour Dredging</h1><p>The channel silts up <em>twice</em> as fast as in 2010.</p>
<h2 id="options">Options</h2><p>See the <a href="https://example.org/survey">2025 survey</a>
and <a href="#costs">the costs</a>.</p><img src="${PIXEL}" alt="Map of the channel" width="40" height="40">
<h3>Annual dredging</h3><p>Cheapest now.</p><h2 id="costs">Costs</h2><p>Rising.</p></body></html>`;
const LINKS = [
  { href: 'https://example.org/survey', text: '2025 survey' },
  { href: '#costs', text: 'the costs' },
];
const HEADINGS = ['Harbour Dredging', 'Options', 'Annual dredging', 'Costs'];

let chromium: Chromium;
let raw: Uint8Array;
/** Finished by the incremental update. */
let amended: Uint8Array;
let folder: string;

beforeAll(async () => {
  chromium = await launchBrowser({});
  const page = await chromium.browser.newPage();
  await page.setContent(HTML);
  raw = new Uint8Array(await page.pdf({ tagged: true, outline: true, format: 'a4' }));
  const finished = amendPdf(raw, meta, HEADINGS, LINKS);
  if (finished === undefined) throw new Error('Chromium’s file was not amended');
  amended = finished;
  folder = await mkdtemp(path.join(tmpdir(), 'memo-archival-'));
}, 60_000);

afterAll(async () => {
  await closeBrowser(chromium);
});

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

function lookup(doc: PDFDocument, value: PDFObject | undefined): PDFObject | undefined {
  return value instanceof PDFRef ? doc.context.lookup(value) : value;
}

/** The catalog's XMP packet, as text. */
async function xmpOf(bytes: Uint8Array): Promise<string> {
  const doc = await load(bytes);
  const stream = lookup(doc, doc.catalog.get(PDFName.of('Metadata')));
  if (!(stream instanceof PDFRawStream)) throw new Error('no metadata stream');
  return Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
}

/** Every link annotation's /Contents, in page order. */
async function linkContents(bytes: Uint8Array): Promise<Array<string | undefined>> {
  const doc = await load(bytes);
  const found: Array<string | undefined> = [];
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref, PDFDict);
      const contents = annot.get(PDFName.of('Contents'));
      found.push(
        contents instanceof PDFHexString || contents instanceof PDFString
          ? contents.decodeText()
          : undefined,
      );
    }
  }
  return found;
}

/** The structure elements of `doc`, depth first in document order. */
function structElements(doc: PDFDocument): PDFDict[] {
  const elements: PDFDict[] = [];
  const rootDict = lookup(doc, doc.catalog.get(PDFName.of('StructTreeRoot')));
  const visit = (value: PDFObject | undefined): void => {
    const node = lookup(doc, value);
    if (node instanceof PDFArray) node.asArray().forEach(visit);
    if (!(node instanceof PDFDict) || !node.has(PDFName.of('S'))) return;
    elements.push(node);
    visit(node.get(PDFName.of('K')));
  };
  if (rootDict instanceof PDFDict) visit(rootDict.get(PDFName.of('K')));
  return elements;
}

const typeOf = (element: PDFDict) => element.get(PDFName.of('S'))?.toString();

/** `memo audit`'s messages for `bytes` saved as `name`: "line:column reason [rule]". */
async function auditBytes(bytes: Uint8Array, name: string): Promise<string[]> {
  const file = path.join(folder, name);
  await writeFile(file, bytes);
  const { files } = await audit([file], [], folder);
  return files.flatMap((vfile) =>
    vfile.messages.map(
      (message) =>
        `${message.line ?? 1}:${message.column ?? 1} ${message.reason} [${message.ruleId}]`,
    ),
  );
}

/** The finished PDF, changed by `change` and saved again by pdf-lib. */
async function broken(change: (doc: PDFDocument) => void | Promise<void>): Promise<Uint8Array> {
  const doc = await load(amended);
  await change(doc);
  return doc.save({ useObjectStreams: false });
}

/** The first link annotation of page 1. */
function firstLink(doc: PDFDocument): PDFDict {
  const annots = doc.getPages()[0]?.node.lookup(PDFName.of('Annots'), PDFArray);
  const ref = annots?.get(0);
  return doc.context.lookup(ref, PDFDict);
}

describe('the archival identification of every PDF', () => {
  it('adds XMP metadata that says what the Info dictionary says, and identifies PDF/A-2u and PDF/UA-1', async () => {
    const xmp = await xmpOf(amended);
    const info = await readInfo(amended);
    expect(info.title).toBe(meta.title);
    // The same title, escaped as XML.
    expect(xmp).toContain(
      '<rdf:li xml:lang="x-default">Harbour Dredging &lt;Options&gt; &amp; Costs</rdf:li>',
    );
    expect(xmp).toContain(
      '<dc:creator><rdf:Seq><rdf:li>Ports Desk</rdf:li></rdf:Seq></dc:creator>',
    );
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>');
    expect(xmp).toContain('<pdf:Keywords>ports, public works</pdf:Keywords>');
    expect(info.keywords).toBe('ports, public works');
    expect(xmp).toContain('<xmp:CreateDate>2026-05-06T00:00:00Z</xmp:CreateDate>');
    expect(info.creationDate?.toISOString()).toBe('2026-05-06T00:00:00.000Z');
    expect(xmp).toContain('<xmp:CreatorTool>memo-press 0.1.0</xmp:CreatorTool>');
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>');
    expect(xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
    expect(xmp).toContain(
      '<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>',
    );
  });

  it('names sRGB as the output intent, with the profile shipped in assets/icc', async () => {
    const profile = new Uint8Array(await readFile(path.join(root, 'assets', 'icc', 'sRGB.icc')));
    // An ICC profile of an RGB display: signature "acsp", colour space "RGB ".
    expect(Buffer.from(profile.subarray(36, 40)).toString('latin1')).toBe('acsp');
    expect(Buffer.from(profile.subarray(16, 20)).toString('latin1')).toBe('RGB ');
    expect(await readFile(path.join(root, 'assets', 'icc', 'LICENSE.txt'), 'utf8')).toContain(
      'Zlib',
    );
    const doc = await load(amended);
    const intents = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    const intent = doc.context.lookup(intents.get(0), PDFDict);
    expect(intent.get(PDFName.of('S'))?.toString()).toBe('/GTS_PDFA1');
    const stream = lookup(doc, intent.get(PDFName.of('DestOutputProfile')));
    expect(stream).toBeInstanceOf(PDFRawStream);
    if (!(stream instanceof PDFRawStream)) return;
    expect(decodePDFRawStream(stream).decode()).toEqual(profile);
  });

  it('describes each link by its text and maps Chromium’s PDF 2.0 tags to PDF 1.7 ones', async () => {
    expect(await linkContents(raw)).toEqual([undefined, undefined]);
    expect(await linkContents(amended)).toEqual(['2025 survey', 'the costs']);
    const doc = await load(amended);
    expect(structElements(doc).map(typeOf)).toContain('/Em');
    const structRoot = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    const roles = structRoot.lookup(PDFName.of('RoleMap'), PDFDict);
    expect(roles.get(PDFName.of('Em'))?.toString()).toBe('/Span');
  });

  it('keeps Chromium’s file, its tags and bookmarks, and gives the same bytes each time', async () => {
    expect(amended.length).toBeGreaterThan(raw.length);
    expect(amendPdf(raw, meta, HEADINGS, LINKS)).toEqual(amended);
    const doc = await load(amended);
    expect(doc.catalog.has(PDFName.of('Outlines'))).toBe(true);
    expect(structElements(doc).map(typeOf)).toEqual(
      expect.arrayContaining(['/H1', '/H2', '/H3', '/Link', '/Figure']),
    );
  });

  it('writes the same identification when it falls back to the full rewrite', async () => {
    const streams = await (await load(raw)).save({ useObjectStreams: true });
    expect(amendPdf(streams, meta, HEADINGS, LINKS)).toBeUndefined();
    const rewritten = await finalizePdf(streams, meta, HEADINGS, LINKS);
    expect(await xmpOf(rewritten)).toBe(await xmpOf(amended));
    expect(await linkContents(rewritten)).toEqual(['2025 survey', 'the costs']);
    expect(await rewritePdf(streams, meta, HEADINGS, LINKS)).toEqual(rewritten);
    expect(await auditBytes(rewritten, 'rewritten.pdf')).toEqual([]);
  });

  it.skipIf(!existsSync('/usr/bin/pdfinfo'))(
    'shows the identification with `pdfinfo -meta` (poppler-utils)',
    async () => {
      const file = path.join(folder, 'pdfinfo.pdf');
      await writeFile(file, amended);
      const shown = execFileSync('/usr/bin/pdfinfo', ['-meta', file], { encoding: 'utf8' });
      expect(shown).toContain('<pdfaid:part>2</pdfaid:part>');
      expect(shown).toContain('<pdfuaid:part>1</pdfuaid:part>');
    },
  );
});

describe('memo audit', () => {
  it('passes a finished PDF', async () => {
    expect(await auditBytes(amended, 'good.pdf')).toEqual([]);
  });

  it('fails Chromium’s own print on what the build adds', async () => {
    // Chromium sets /Lang (from <html lang>) and tags the page; the rest is the build's.
    expect(await auditBytes(raw, 'raw.pdf')).toEqual([
      expect.stringMatching(/^1:1 page 1: 2 links have no description.*\[audit-accessibility\]$/),
      expect.stringMatching(
        /^1:1 page 1: the tag Em is not a standard PDF tag.*\[audit-accessibility\]$/,
      ),
      expect.stringMatching(/^1:1 the PDF has no XMP metadata.*\[audit-archival\]$/),
      expect.stringMatching(/^1:1 the PDF has no sRGB output intent.*\[audit-archival\]$/),
    ]);
  });

  const cases: Array<[string, (doc: PDFDocument) => void | Promise<void>, RegExp]> = [
    [
      'an untagged file',
      (doc) => {
        doc.catalog.delete(PDFName.of('MarkInfo'));
        doc.catalog.delete(PDFName.of('StructTreeRoot'));
      },
      /^1:1 the PDF is not tagged .*\[audit-accessibility\]$/,
    ],
    [
      'no language',
      (doc) => doc.catalog.delete(PDFName.of('Lang')),
      /^1:1 the PDF does not say which language it is in, .*set `lang` in the front matter.*\[audit-accessibility\]$/,
    ],
    [
      'a title viewers do not show',
      (doc) => doc.catalog.delete(PDFName.of('ViewerPreferences')),
      /^1:1 viewers will show the file name instead of the title.*\[audit-accessibility\]$/,
    ],
    [
      'a link without a description',
      (doc) => firstLink(doc).delete(PDFName.of('Contents')),
      /^1:1 page 1: a link has no description \(\/Contents\).*\[audit-accessibility\]$/,
    ],
    [
      'a link that runs JavaScript',
      (doc) =>
        firstLink(doc).set(
          PDFName.of('A'),
          doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }),
        ),
      /^1:1 page 1: a link runs JavaScript; .*\[audit-unsafe\]$/,
    ],
    [
      'a link that launches a program',
      (doc) =>
        firstLink(doc).set(
          PDFName.of('A'),
          doc.context.obj({ S: 'Launch', F: PDFString.of('calc.exe') }),
        ),
      /^1:1 page 1: a link launches a program; .*\[audit-unsafe\]$/,
    ],
    [
      'a file: link',
      (doc) =>
        firstLink(doc).set(
          PDFName.of('A'),
          doc.context.obj({ S: 'URI', URI: PDFString.of('file:///etc/passwd') }),
        ),
      /^1:1 page 1: a link opens a local file \(file:\); .*\[audit-unsafe\]$/,
    ],
    [
      'an attached file',
      async (doc) => {
        await doc.attach(Buffer.from('secret'), 'notes.txt', { mimeType: 'text/plain' });
      },
      /^1:1 the PDF carries attached files, which it must not; .*\[audit-unsafe\]$/,
    ],
    [
      'a font that is not embedded',
      async (doc) => {
        const font = await doc.embedFont(StandardFonts.Helvetica);
        doc.getPages()[0]?.drawText('added', { font, x: 10, y: 10, size: 8 });
      },
      /^1:1 page 1: the font Helvetica is not embedded.*\[audit-archival\]$/,
    ],
    [
      'a skipped heading level',
      (doc) => {
        const h2 = structElements(doc).find((element) => typeOf(element) === '/H2');
        h2?.set(PDFName.of('S'), PDFName.of('H3'));
      },
      /^1:1 page 1: a level 3 heading comes after a level 1 heading, skipping a level; use ## for it.*\[audit-accessibility\]$/,
    ],
    [
      'a figure without alternative text',
      (doc) => {
        const figure = structElements(doc).find((element) => typeOf(element) === '/Figure');
        figure?.delete(PDFName.of('Alt'));
      },
      /^1:1 page 1: a figure has no alternative text.*\[audit-accessibility\]$/,
    ],
    [
      'a tag that is neither standard nor role-mapped',
      (doc) => {
        const paragraph = structElements(doc).find((element) => typeOf(element) === '/P');
        paragraph?.set(PDFName.of('S'), PDFName.of('Callout'));
      },
      /^1:1 page 1: the tag Callout is not a standard PDF tag and has no RoleMap entry.*\[audit-accessibility\]$/,
    ],
    [
      'no XMP metadata',
      (doc) => doc.catalog.delete(PDFName.of('Metadata')),
      /^1:1 the PDF has no XMP metadata, which PDF\/A requires.*\[audit-archival\]$/,
    ],
    [
      'XMP metadata that contradicts the Info dictionary',
      (doc) => doc.setTitle('Another title'),
      /^1:1 the XMP metadata and the document information disagree on the title.*\[audit-archival\]$/,
    ],
    [
      'no output intent',
      (doc) => doc.catalog.delete(PDFName.of('OutputIntents')),
      /^1:1 the PDF has no sRGB output intent.*\[audit-archival\]$/,
    ],
  ];

  it.each(cases)('catches %s', async (label, change, expected) => {
    const messages = await auditBytes(await broken(change), `${label.replace(/\W+/g, '-')}.pdf`);
    expect(messages).toEqual([expect.stringMatching(expected)]);
  });

  it('says plainly when a file is not a PDF, and exits 1 with path:page:column lines', async () => {
    await writeFile(path.join(folder, 'notes.pdf'), 'just some text');
    await writeFile(
      path.join(folder, 'script.pdf'),
      await broken((doc) =>
        firstLink(doc).set(
          PDFName.of('A'),
          doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }),
        ),
      ),
    );
    const run = await runCli(['audit', 'notes.pdf', 'script.pdf', 'missing.pdf'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'notes.pdf:1:1: error the file cannot be read as a PDF (damaged, encrypted or not a PDF); rebuild it with `memo build` [audit-unreadable]',
    );
    expect(run.stderr).toContain(
      'script.pdf:1:1: error page 1: a link runs JavaScript; rebuild it with `memo build`, which removes it [audit-unsafe]',
    );
    expect(run.stderr).toContain('missing.pdf:1:1: error the file is missing');
    expect(run.stderr).toMatch(/audit failed \(3 PDFs and \d+ stylesheets, 14 checks\)/);
    expect(run.stdout).toBe('');
  });

  it('audits out/ when given no path, and says when there is nothing to audit', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'memo-audit-project-'));
    const empty = await runCli(['audit'], project);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('out:1:1: error the file is missing');
    const out = path.join(project, 'out');
    await import('node:fs/promises').then(({ mkdir }) =>
      mkdir(path.join(out, 'harbour'), { recursive: true }),
    );
    await writeFile(path.join(out, 'harbour', 'memo.pdf'), amended);
    const passed = await runCli(['audit'], project);
    expect(passed.stderr).toBe('');
    expect(passed.stdout).toMatch(/^audit passed \(1 PDF and \d+ stylesheets, 14 checks\)\n$/);
    expect(passed.code).toBe(0);
  });
});

describe('text contrast in the stylesheets', () => {
  it('passes memo-press’s own stylesheets', async () => {
    const run = await runCli(['audit', path.join(folder, 'good.pdf')], folder);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('finds text below WCAG AA against its own, its ancestor’s or the page’s background', () => {
    const css = `:root { --muted: #999; --paper: #fff; }
body { background: var(--paper); color: #1b1f24; }
.note { color: var(--muted); }
.banner { background: #1f3a5f; color: #ffffff; }
.banner small { color: #3a4a60; }
h1.big { color: #8a8a8a; font-size: 24px; }
mark { background: #777; color: inherit; }
.fine { color: rgb(0 0 0 / 0.3); }
.art { background: linear-gradient(red, blue); color: #fff; }`;
    expect(
      contrastProblems(css, 'memo.css').map((problem) => `${problem.line}:${problem.column}`),
    ).toEqual(['3:9', '5:17', '7:26', '8:9']);
    const [note] = contrastProblems(css, 'memo.css');
    expect(note?.message).toBe(
      'text in #999 on #fff (.note) has a contrast of 2.85:1, below the 4.5:1 WCAG AA asks; darken the text or lighten the background',
    );
  });

  it('reports CSS it cannot read at its line and column', () => {
    expect(contrastProblems('p { color: #000;\n  .x { ', 'broken.css')).toEqual([
      expect.objectContaining({ line: 2, unreadable: true }),
    ]);
  });
});
