/**
 * A memo body full of what a web page or an e-mail can carry (scripts,
 * handlers, frames, stylesheets, links to local files and to a loopback
 * server), built by the real CLI: the HTML must be inert, the PDF must hold
 * only the memo, and the loopback server must see nothing at all.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';
import {
  PASSWD_CONTENT,
  auditHtml,
  copyFixture,
  fixtures,
  imageSources,
  pdfActiveEntries,
  pdfImages,
  pdfLinks,
  png,
  startLoopback,
  tempDir,
} from './harness.js';
import type { Loopback } from './harness.js';

const SECRET = 'INERT-SECRET-CANARY-7f3a';
const OUTSIDE_SECRET = 'OUTSIDE-SECRET-CANARY-91c2';
const chart = png(7, 5);

let server: Loopback;
let run: CliRun;
let html: string;
let pdf: Uint8Array;
let text: string;

beforeAll(async () => {
  server = await startLoopback();
  const root = await tempDir('inert');
  const src = path.join(root, 'memos');
  await mkdir(src);
  await copyFixture(
    path.join(fixtures, 'inert', 'hostile.md'),
    path.join(src, 'hostile.md'),
    server.port,
  );
  await writeFile(path.join(src, 'chart.png'), chart);
  await writeFile(path.join(src, 'secret.txt'), `${SECRET}\n`);
  await writeFile(path.join(root, 'outside-secret.txt'), `${OUTSIDE_SECRET}\n`);
  run = await runCli(['build', 'memos', '--out', 'out', '--quiet'], root);
  html = await readFile(path.join(root, 'out', 'hostile', 'memo.html'), 'utf8');
  pdf = new Uint8Array(await readFile(path.join(root, 'out', 'hostile', 'memo.pdf')));
  text = (await pageTexts(pdf)).join('\n');
});

afterAll(async () => {
  await server?.close();
});

describe('a memo body with hostile HTML', () => {
  it('builds (what is dangerous is removed, not an error)', () => {
    expect(run.stderr).toContain('1 memo built, 0 failed');
    expect(run.code).toBe(0);
  });

  it('makes no request and opens no connection, while building or printing', () => {
    expect(server.requests).toEqual([]);
    expect(server.connections()).toBe(0);
  });

  it('writes HTML with no script, handler, frame, stylesheet link, refresh, base or foreign URL', () => {
    expect(auditHtml(html)).toEqual([]);
    expect(html).not.toContain(`127.0.0.1:${server.port}`);
    expect(html).not.toMatch(/file:/i);
  });

  it('keeps the memo’s own text, links and image', () => {
    expect(html).toContain('MEMO-BODY-MARKER');
    expect(html).toContain('href="https://example.org/report"');
    expect(html).toContain('href="mailto:desk@example.org"');
    const own = `data:image/png;base64,${chart.toString('base64')}`;
    expect(imageSources(html)).toEqual([own, own, own, own]);
  });

  it('prints the memo, and nothing of a local file, a script or the network', () => {
    expect(text).toContain('MEMO-BODY-MARKER');
    expect(text).toContain('Hostile Body');
    for (const leaked of [
      PASSWD_CONTENT,
      SECRET,
      OUTSIDE_SECRET,
      'LOOPBACK-RESPONSE-CANARY',
      '-RAN',
      'FRAME-DATA',
    ]) {
      expect(text).not.toContain(leaked);
    }
  });

  it('prints no CSS as text (a pasted <style> goes with its content)', () => {
    expect(text).not.toContain('@import');
    expect(text).not.toContain('font-family');
  });

  it('keeps only http(s), mailto and internal links in the PDF', async () => {
    const links = await pdfLinks(pdf);
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const link of links) {
      expect(link.subtype).toBe('Link');
      if (link.action === 'URI') expect(link.uri).toMatch(/^(?:https?:\/\/|mailto:)/);
      else expect(['Dest', 'GoTo']).toContain(link.action);
    }
    const uris = links.map((link) => link.uri).filter((uri) => uri !== undefined);
    expect(uris).toEqual(
      expect.arrayContaining(['https://example.org/report', 'mailto:desk@example.org']),
    );
  });

  it('embeds only the memo’s own image, and nothing that runs or opens', async () => {
    const images = await pdfImages(pdf);
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images)).toEqual(new Set(['7x5']));
    expect(await pdfActiveEntries(pdf)).toEqual([]);
  });
});

describe('the HTML audit itself', () => {
  it('finds each kind of problem it looks for', () => {
    const page = (body: string) =>
      `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';"><style>p{}</style></head><body>${body}</body></html>`;
    expect(auditHtml(page('<p>fine</p><a href="#x">x</a>'))).toEqual([]);
    for (const body of [
      '<script>1</script>',
      '<p onclick="x()">x</p>',
      '<a href="javascript:x()">x</a>',
      '<a href="../secret.txt">x</a>',
      '<img src="file:///etc/passwd">',
      '<img src="http://127.0.0.1/x.png">',
      '<picture><source srcset="http://127.0.0.1/x.png"></picture>',
      '<iframe src="about:blank"></iframe>',
      '<link rel="prefetch" href="http://127.0.0.1/">',
      '<meta http-equiv="refresh" content="0;url=file:///etc/passwd">',
      '<style>@import "x.css";</style>',
      '<div style="background:url(http://127.0.0.1/x.png)">x</div>',
    ]) {
      expect(auditHtml(page(body)), body).not.toEqual([]);
    }
  });
});
