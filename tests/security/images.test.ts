/**
 * Images come only from files in the memo's own folder (or below it), inlined
 * at build time. Every other source (remote, file: URLs, paths or symbolic
 * links out of the folder, data: URLs, files that are not images, SVG with
 * scripts) is an error at the image's line and column, and nothing is
 * fetched, read or written for that memo. SVG content: svg.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
