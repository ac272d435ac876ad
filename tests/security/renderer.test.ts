/**
 * The PDF renderer's own defences, with the sanitizer out of the way: raw
 * hostile HTML goes straight to Chromium. Whatever a future template or
 * sanitizer change lets through, the printer must still read no local file,
 * reach no server and keep no link but http(s), mailto and internal ones.
 * (tests/pdf-render.test.ts covers meta refresh, a file iframe and
 * prefetch/preconnect; these are the other ways in.)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfRenderer, RenderError } from '../../pipeline/render/pdf.js';
import type { PdfMeta, PdfRenderer, PdfResult } from '../../pipeline/render/pdf.js';
import { pageTexts } from '../helpers/pdf.js';
import {
  PASSWD_CONTENT,
  pdfActiveEntries,
  pdfImages,
  pdfLinks,
  png,
  startLoopback,
  tempDir,
} from './harness.js';
import type { Loopback } from './harness.js';

const SECRET = 'RENDERER-SECRET-CANARY-0b7e';
const CSS_LEAK = 'CSS-FILE-WAS-LOADED';
const meta: PdfMeta = {
  title: 'Renderer',
  author: 'Test',
  subject: 'Isolation',
  keywords: [],
  lang: 'en',
  date: new Date('2025-01-01T00:00:00Z'),
  creator: 'memo-press test',
};

let renderer: PdfRenderer;
let server: Loopback;
let dir: string;

beforeAll(async () => {
  [renderer, server, dir] = await Promise.all([
    createPdfRenderer({ handleSignals: false, concurrency: 1 }),
    startLoopback(),
    tempDir('renderer'),
  ]);
  await mkdir(path.join(dir, 'folder'));
  await writeFile(path.join(dir, 'secret.txt'), `${SECRET}\n`);
  await writeFile(path.join(dir, 'leak.css'), `body::after { content: "${CSS_LEAK}"; }`);
  await writeFile(path.join(dir, 'leak.png'), png(3, 3));
});

afterAll(async () => {
  await renderer?.close();
  await server?.close();
});

const page = (head: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><h1>MEMO-TEXT</h1>${body}</body></html>`;

/** Render, or accept a clean RenderError (refusing is fine; leaking is not). */
async function render(html: string): Promise<PdfResult | undefined> {
  try {
    return await renderer.render(html, meta);
  } catch (error) {
    expect(error).toBeInstanceOf(RenderError);
    return undefined;
  }
}

describe('the printer, given unsanitized HTML', () => {
  const cases: Array<[string, (base: string, file: string) => string]> = [
    [
      'CSS url() and @import of local files',
      (_, file) =>
        page(
          `<style>@import url("${file}/leak.css"); @import "file:///etc/passwd"; body { background: url(${file}/leak.png); }</style>`,
          '',
        ),
    ],
    [
      'a stylesheet <link> to a local file',
      (_, file) => page(`<link rel="stylesheet" href="${file}/leak.css">`, ''),
    ],
    [
      '@font-face from a local file and the network',
      (base, file) =>
        page(
          `<style>@font-face { font-family: A; src: url(${file}/secret.txt); } @font-face { font-family: B; src: url(${base}/font.woff2); } body { font-family: A, B; }</style>`,
          '<p>text</p>',
        ),
    ],
    [
      '<object> and <embed> of a file and of a folder',
      (_, file) =>
        page(
          '',
          `<object data="${file}/secret.txt"></object><object data="${file}/folder/"></object><embed src="file:///etc/passwd"><embed src="${file}/folder/">`,
        ),
    ],
    [
      'an <iframe> of a folder, and srcdoc',
      (_, file) =>
        page(
          '',
          `<iframe src="${file}/folder/"></iframe><iframe srcdoc="<iframe src='file:///etc/passwd'></iframe>"></iframe>`,
        ),
    ],
    [
      '<img> of a local file and of the network, also via srcset and CSS',
      (base, file) =>
        page(
          '',
          `<img src="${file}/leak.png"><img src="${base}/img.png"><img srcset="${file}/leak.png 1x"><div style="background:url(${base}/bg.png)">x</div>`,
        ),
    ],
    [
      '<base> pointing at a local folder and at the network',
      (base, file) =>
        page(
          `<base href="${file}/">`,
          `<img src="leak.png"><iframe src="secret.txt"></iframe><link rel="stylesheet" href="${base}/x.css">`,
        ),
    ],
    [
      'SVG with script and external references',
      (base, file) =>
        page(
          '',
          `<svg onload="document.body.textContent='SVG-RAN'"><script>document.body.textContent='SVG-RAN'</script><image href="${file}/leak.png" width="9" height="9"/><use href="${base}/sprite.svg#x"/></svg>`,
        ),
    ],
    [
      'audio, video and a form',
      (base) =>
        page(
          '',
          `<video src="${base}/v.mp4" poster="${base}/p.png"></video><audio src="${base}/a.mp3" autoplay></audio><form action="${base}/f"><input type="image" src="${base}/i.png"></form>`,
        ),
    ],
  ];

  it.each(cases)('%s: reads no file, reaches no server, prints the memo', async (_name, build) => {
    const before = server.connections();
    const result = await render(build(server.base, `file://${dir}`));
    expect(server.connections()).toBe(before);
    if (result === undefined) return;
    const text = (await pageTexts(result.pdf)).join('\n');
    expect(text).toContain('MEMO-TEXT');
    for (const leaked of [
      SECRET,
      CSS_LEAK,
      PASSWD_CONTENT,
      'SVG-RAN',
      'LOOPBACK-RESPONSE-CANARY',
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(await pdfImages(result.pdf)).not.toContain('3x3');
    expect(await pdfActiveEntries(result.pdf)).toEqual([]);
  });

  it('keeps only http(s), mailto and internal links in the PDF', async () => {
    const result = await renderer.render(
      page(
        '',
        `<p id="top"><a href="https://example.org/a">https</a> <a href="http://example.org/b">http</a>
         <a href="mailto:a@example.org">mail</a> <a href="#top">internal</a>
         <a href="file:///etc/passwd">file</a> <a href="${`file://${dir}`}/secret.txt">secret</a>
         <a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a>
         <a href="ftp://example.org/c">ftp</a> <a href="smb://host/share">smb</a></p>`,
      ),
      meta,
    );
    const links = await pdfLinks(result.pdf);
    const uris = links.flatMap((link) => (link.uri === undefined ? [] : [link.uri]));
    expect(uris.sort()).toEqual([
      'http://example.org/b',
      'https://example.org/a',
      'mailto:a@example.org',
    ]);
    // The internal link keeps its destination; the others stay as inert rectangles (no action).
    const others = links.filter((link) => link.uri === undefined).map((link) => link.action);
    expect(others.sort()).toEqual(['Dest', 'none', 'none', 'none', 'none', 'none', 'none']);
  });
});
