/**
 * Images come only from files in the memo's own folder (or below it), inlined
 * at build time. Every other source (remote, file: URLs, paths or symbolic
 * links out of the folder, data: URLs, files that are not images, SVG with
 * scripts) is an error at the image's line and column, and nothing is
 * fetched, read or written for that memo.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { svgActiveContent } from '../../pipeline/unified/svg-check.js';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';
import {
  auditHtml,
  copyFixture,
  fixtures,
  imageSources,
  pdfImages,
  png,
  startLoopback,
  tempDir,
} from './harness.js';
import type { Loopback } from './harness.js';

const SECRET = 'IMAGE-SECRET-CANARY-52d0';
const PLAIN_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#124"/></svg>';
const GOOD = `---
title: Images From Home
author: Ana Ruiz
organization: Council
date: 2025-02-03
---

## Figures

![The chart](chart.png)
![A drawing](plain.svg)
![A map in a subfolder](figures/map.png)
`;

let server: Loopback;
let root: string;
let run: CliRun;

beforeAll(async () => {
  server = await startLoopback();
  root = await tempDir('images');
  const src = path.join(root, 'memos');
  await mkdir(path.join(src, 'figures'), { recursive: true });
  await copyFixture(
    path.join(fixtures, 'images', 'images.md'),
    path.join(src, 'images.md'),
    server.port,
  );
  await writeFile(path.join(src, 'good.md'), GOOD);
  await writeFile(path.join(src, 'chart.png'), png(7, 5));
  await writeFile(path.join(src, 'figures', 'map.png'), png(6, 4));
  await writeFile(path.join(src, 'plain.svg'), PLAIN_SVG);
  await writeFile(path.join(src, 'secret.txt'), `${SECRET}\n`);
  await writeFile(
    path.join(src, 'active.svg'),
    `<svg xmlns="http://www.w3.org/2000/svg"><script>fetch('${server.base}/svg')</script></svg>`,
  );
  await writeFile(path.join(root, 'outside.png'), png(3, 3));
  await symlink('../outside.png', path.join(src, 'link.png'));
  await symlink('/etc', path.join(src, 'assets'));
  run = await runCli(['build', 'memos', '--out', 'out', '--quiet'], root);
});

afterAll(async () => {
  await server?.close();
});

describe('images', () => {
  it('reports every image from outside the memo’s folder at its line and column', async () => {
    const expected = (await readFile(path.join(fixtures, 'images', 'expected.txt'), 'utf8'))
      .replaceAll('__PORT__', String(server.port))
      .trimEnd()
      .split('\n')
      .map((line) => `memos/${line}`);
    const reported = run.stderr.split('\n').filter((line) => line.startsWith('memos/images.md:'));
    expect(reported).toEqual(expected);
    expect(run.stderr).toContain('1 memo built, 1 failed');
    expect(run.code).toBe(1);
  });

  it('writes nothing for the memo with bad images, and fetches nothing', () => {
    expect(existsSync(path.join(root, 'out', 'images'))).toBe(false);
    expect(server.requests).toEqual([]);
    expect(server.connections()).toBe(0);
  });

  it('inlines images from the memo’s folder and below, and prints only those', async () => {
    const html = await readFile(path.join(root, 'out', 'good', 'memo.html'), 'utf8');
    expect(auditHtml(html)).toEqual([]);
    expect(imageSources(html)).toEqual([
      `data:image/png;base64,${png(7, 5).toString('base64')}`,
      `data:image/svg+xml;base64,${Buffer.from(PLAIN_SVG).toString('base64')}`,
      `data:image/png;base64,${png(6, 4).toString('base64')}`,
    ]);
    const pdf = new Uint8Array(await readFile(path.join(root, 'out', 'good', 'memo.pdf')));
    expect(await pdfImages(pdf)).toEqual(['6x4', '7x5']); // the SVG is drawn as vectors
    expect((await pageTexts(pdf)).join('\n')).not.toContain(SECRET);
  });
});

describe('SVG images', () => {
  const svg = (inner: string, attributes = '') =>
    `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${attributes}>${inner}</svg>`;

  it('accepts plain drawings: gradients, internal references, embedded raster data, links', () => {
    const chart = svg(
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient><path id="p" d="M0 0h9"/></defs>' +
        '<rect fill="url(#g)" style="fill: url(#g)" width="9" height="9"/><use xlink:href="#p"/>' +
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/><style>.a { fill: url("#g"); }</style>' +
        '<a href="https://example.org/source"><text>Source</text></a>' +
        '<metadata><rdf:RDF><cc:Work rdf:about=""><dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/></cc:Work></rdf:RDF></metadata>',
    );
    expect(svgActiveContent(chart)).toBeUndefined();
  });

  it.each([
    ['<script>alert(1)</script>', 'a <script> element'],
    ['<rect onclick="alert(1)"/>', 'an event handler (`onclick`)'],
    ['<foreignObject><iframe src="x"></iframe></foreignObject>', 'a <foreignObject> element'],
    [
      '<image href="file:///etc/passwd"/>',
      'a reference to another file or site (`file:///etc/passwd`)',
    ],
    [
      '<image xlink:href="http://127.0.0.1/x.png"/>',
      'a reference to another file or site (`http://127.0.0.1/x.png`)',
    ],
    ['<use href="other.svg#icon"/>', 'a reference to another file or site (`other.svg#icon`)'],
    ['<a href="javascript:alert(1)"><text>x</text></a>', 'a script URL (`javascript:alert(1)`)'],
    [
      '<set attributeName="href" to="javascript:alert(1)"/>',
      'a script URL (`javascript:alert(1)`)',
    ],
    [
      '<style>@import url(http://127.0.0.1/x.css);</style>',
      'a stylesheet that loads another file or site',
    ],
    [
      '<rect style="fill: url(http://127.0.0.1/x)"/>',
      'a style that loads another file or site (`fill: url(http://127.0.0.1/x)`)',
    ],
  ])('refuses %s', (inner, found) => {
    expect(svgActiveContent(svg(inner))).toBe(found);
  });

  it('refuses what only an XML parser would read: entities and stylesheet instructions', () => {
    expect(svgActiveContent('<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;">]><svg>&x;</svg>')).toBe(
      'an XML entity declaration',
    );
    expect(svgActiveContent('<?xml-stylesheet href="http://127.0.0.1/x.css"?><svg/>')).toBe(
      'an xml-stylesheet instruction',
    );
  });
});
