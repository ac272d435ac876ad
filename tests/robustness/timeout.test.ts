/**
 * The time a memo may take to print grows with its size: a 300-page memo
 * builds with the default, and a timeout too small for it (`--timeout`,
 * MEMO_PDF_TIMEOUT_MS) ends the memo with a clean error instead of a hang.
 * The time bound of these tests is vitest's timeout, never a timed assertion;
 * "too small" is 1 ms, which no print on any machine can meet.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { printTimeout } from '../../pipeline/render/pdf.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../security/harness.js';
import { longMemo } from './memos.js';
import {
  MARKER_VARIABLE,
  browserMains,
  completePdfPages,
  newMarker,
  noChromiumLeft,
} from './processes.js';

const marker = newMarker();
/** Chromium inherits the build's environment: the marker finds every process it starts. */
const marked = { [MARKER_VARIABLE]: marker };
let root: string;

beforeAll(async () => {
  root = await tempDir('timeout');
  await mkdir(path.join(root, 'memos'));
  await mkdir(path.join(root, 'medium'));
  await writeFile(path.join(root, 'memos', 'long.md'), longMemo(262, 'Three Hundred Pages'));
  // About 45 pages: quick to compile, and surely not printed within 1 ms.
  await writeFile(path.join(root, 'medium', 'long.md'), longMemo(40, 'Forty-Five Pages'));
});

const tooSlow = (ms: number) =>
  `medium/long.md:1:1: error the PDF could not be rendered: printing took longer than ${ms} ms (set a longer time with \`--timeout\` or MEMO_PDF_TIMEOUT_MS) [pdf-render]`;

describe('the print timeout', () => {
  it('is 60 s plus 100 s per MB of HTML', () => {
    expect(printTimeout(0)).toBe(60_000);
    expect(printTimeout(1024 * 1024)).toBe(160_000);
    expect(printTimeout(3 * 1024 * 1024)).toBe(360_000);
  });

  it('lets a 300-page memo build by default', async () => {
    const found: boolean[] = [];
    const run = await runCli(
      ['build', 'memos', '--out', 'out', '--quiet', '--format', 'pdf'],
      root,
      marked,
      {
        // The marker finds the browser (so "no browser left" below can fail).
        onPrintStart: ({ browserPid }) =>
          found.push(browserMains(marker).some((main) => main.pid === browserPid)),
      },
    );
    expect(found).toEqual([true]);
    expect(run.stderr).toContain('1 memo built, 0 failed');
    expect(
      await completePdfPages(path.join(root, 'out', 'long', 'memo.pdf')),
    ).toBeGreaterThanOrEqual(300);
  }, 600_000);

  it.each([
    ['--timeout', ['--timeout', '1'], {}],
    ['MEMO_PDF_TIMEOUT_MS', [], { MEMO_PDF_TIMEOUT_MS: '1' }],
  ])(
    'set too small with %s: a clean error, nothing written, no browser left',
    async (_how, flags, env) => {
      const run = await runCli(
        ['build', 'medium', '--out', 'short', '--quiet', '--format', 'pdf', ...flags],
        root,
        { ...marked, ...env },
      );
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')).toContain(tooSlow(1));
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(path.join(root, 'short', 'long'))).toBe(false);
      expect(await noChromiumLeft(marker)).toEqual([]);
    },
    120_000,
  );

  it('rejects a timeout that is not a whole number of milliseconds', async () => {
    const flag = await runCli(['build', 'memos', '--timeout', 'soon'], root);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(
      'memo: --timeout must be a whole number from 1 to 3600000, got soon',
    );
    const env = await runCli(['build', 'memos'], root, { MEMO_PDF_TIMEOUT_MS: '-5' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('memo: MEMO_PDF_TIMEOUT_MS must be between 1 and 3600000, got -5');
  });
});
