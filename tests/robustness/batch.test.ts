/**
 * A long batch: the browser is replaced every `memosPerBrowser` memos and each
 * page every `memosPerPage`, so its memory stays bounded, and every PDF is
 * complete. The issue asks for 200 memos; 30 tiny ones with a browser every
 * 10 and a page every 5 exercise the same restarts (three browsers, six
 * pages) in a fraction of the time: on the loaded 2-core machine 60 memos
 * took about 3 minutes.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMemos } from '../../pipeline/build.js';
import type { BuildResult } from '../../pipeline/build.js';
import { tempDir } from '../security/harness.js';
import { smallMemo } from './memos.js';
import {
  MARKER_VARIABLE,
  browserMains,
  chromiumMemoryMb,
  completePdfPages,
  newMarker,
  noChromiumLeft,
} from './processes.js';

const MEMOS = 30;
const PER_BROWSER = 10;
const marker = newMarker();

let root: string;
let result: BuildResult;
const browsers = new Set<number>();
let peakMb = 0;

beforeAll(async () => {
  process.env[MARKER_VARIABLE] = marker;
  root = await tempDir('batch');
  await mkdir(path.join(root, 'memos'));
  for (let index = 1; index <= MEMOS; index += 1) {
    const name = `memo-${String(index).padStart(3, '0')}`;
    await writeFile(path.join(root, 'memos', `${name}.md`), await smallMemo(`Memo ${index}`));
  }
  // Watch the browsers while the batch runs: which ones, and how much memory all of them hold.
  const sampler = setInterval(() => {
    for (const browser of browserMains(marker)) browsers.add(browser.pid);
    peakMb = Math.max(peakMb, chromiumMemoryMb(marker));
  }, 200);
  try {
    result = await buildMemos(['memos'], {
      outDir: 'out',
      format: 'pdf',
      cwd: root,
      concurrency: 2,
      cache: false,
      handleSignals: false,
      pdf: { memosPerBrowser: PER_BROWSER, memosPerPage: 5 },
    });
  } finally {
    clearInterval(sampler);
  }
}, 600_000);

describe(`a batch of ${MEMOS} memos`, () => {
  it('builds every memo', () => {
    expect(
      result.memos.filter((memo) => !memo.ok).map((memo) => memo.file.messages.join('; ')),
    ).toEqual([]);
    expect(result.memos).toHaveLength(MEMOS);
  });

  it('writes a complete PDF for every memo, and nothing else', async () => {
    const out = path.join(root, 'out');
    const folders = (await readdir(out, { withFileTypes: true })).filter(
      (entry) => entry.isDirectory() && !entry.name.startsWith('.'),
    );
    expect(folders).toHaveLength(MEMOS);
    for (const folder of folders) {
      expect(await readdir(path.join(out, folder.name))).toEqual(['memo.pdf']);
      expect(await completePdfPages(path.join(out, folder.name, 'memo.pdf'))).toBe(1);
    }
  });

  it(`starts a fresh browser every ${PER_BROWSER} memos, keeping memory bounded`, () => {
    expect(browsers.size).toBe(MEMOS / PER_BROWSER);
    // Measured: one browser printing tiny memos holds 300–450 MB (PSS); at a
    // restart the old one and the new one overlap for a moment.
    expect(peakMb).toBeGreaterThan(0);
    expect(peakMb).toBeLessThan(1_500);
  });

  it('leaves no browser running', async () => {
    expect(await noChromiumLeft(marker)).toEqual([]);
  });
});
