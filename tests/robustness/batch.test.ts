/**
 * A long batch: the browser is replaced every `memosPerBrowser` memos and each
 * page every `memosPerPage` (what bounds its memory; the benchmark measures
 * that memory, `npm run bench`), and every PDF is complete. The issue asks for 200 memos; 30 tiny ones with a browser every
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
  completePdfPages,
  newMarker,
  noChromiumLeft,
} from './processes.js';

const MEMOS = 30;
const PER_BROWSER = 10;
const marker = newMarker();

let root: string;
let result: BuildResult;
/** The browser that printed each memo, as each print started. */
const printedBy: Array<number | undefined> = [];
/** Whether the marker found that browser, each time. */
const markerFound: boolean[] = [];

beforeAll(async () => {
  root = await tempDir('batch');
  await mkdir(path.join(root, 'memos'));
  for (let index = 1; index <= MEMOS; index += 1) {
    const name = `memo-${String(index).padStart(3, '0')}`;
    await writeFile(path.join(root, 'memos', `${name}.md`), await smallMemo(`Memo ${index}`));
  }
  result = await buildMemos(['memos'], {
    outDir: 'out',
    format: 'pdf',
    cwd: root,
    concurrency: 2,
    cache: false,
    handleSignals: false,
    // Chromium inherits the build's environment: the marker finds every process it starts.
    env: { ...process.env, [MARKER_VARIABLE]: marker },
    pdf: {
      memosPerBrowser: PER_BROWSER,
      memosPerPage: 5,
      onPrintStart: ({ browserPid }) => {
        printedBy.push(browserPid);
        markerFound.push(browserMains(marker).some((main) => main.pid === browserPid));
      },
    },
  });
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

  it(`starts a fresh browser every ${PER_BROWSER} memos`, () => {
    expect(printedBy).toHaveLength(MEMOS);
    expect(printedBy).not.toContain(undefined);
    const browsers = new Set(printedBy);
    expect(browsers.size).toBe(MEMOS / PER_BROWSER);
    for (const browser of browsers)
      expect(printedBy.filter((pid) => pid === browser)).toHaveLength(PER_BROWSER);
    expect(markerFound).toEqual(printedBy.map(() => true));
  });

  it('leaves no browser running', async () => {
    expect(await noChromiumLeft(marker)).toEqual([]);
  });
});
