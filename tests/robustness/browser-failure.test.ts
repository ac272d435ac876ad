/**
 * Chromium failing to start, or killed in the middle of a batch: each memo
 * that could not be printed gets a clear error naming it, nothing half
 * written is left in the output folder, no Chromium process survives, and
 * the next run builds everything.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PrintStart } from '../../pipeline/render/pdf.js';
import { runCli } from '../helpers/cli.js';
import { deferred } from '../helpers/wait.js';
import { tempDir } from '../security/harness.js';
import { longMemo, smallMemo } from './memos.js';
import {
  MARKER_VARIABLE,
  browserMains,
  completePdfPages,
  markedChromium,
  newMarker,
  noChromiumLeft,
} from './processes.js';

const marker = newMarker();
/** Chromium inherits the build's environment: the marker finds every process it starts. */
const marked = { [MARKER_VARIABLE]: marker };
const NOT_STARTED =
  /error the PDF could not be rendered: Chromium could not be started \(.+\): install it with `apt-get install chromium` or set MEMO_CHROMIUM to the path of a Chromium or Chrome executable\. \[pdf-render\]/;

/** Every file under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('Chromium that cannot start', () => {
  let root: string;

  beforeAll(async () => {
    root = await tempDir('no-browser');
    await mkdir(path.join(root, 'memos'));
    await writeFile(path.join(root, 'memos', 'first.md'), await smallMemo('First'));
    await writeFile(path.join(root, 'memos', 'second.md'), await smallMemo('Second'));
  });

  it.each([
    ['/bin/false', 'exits at once', 'it stopped while starting'],
    ['/nonexistent/chromium', 'does not exist', 'no such file'],
    ['ROOT/not-executable', 'is not executable', 'not allowed to run it'],
    ['ROOT/memos', 'is a folder', 'not a program'],
  ])(
    'MEMO_CHROMIUM=%s (%s): a clear error per memo, nothing written, no process left',
    async (given, _what, reason) => {
      const chromium = given.replace('ROOT', root);
      await writeFile(path.join(root, 'not-executable'), '#!/bin/sh\nexit 0\n', { mode: 0o644 });
      const failed = await runCli(['build', 'memos', '--out', 'out', '--quiet'], root, {
        ...marked,
        MEMO_CHROMIUM: chromium,
      });
      expect(failed.code).toBe(1);
      const errors = failed.stderr.split('\n').filter((line) => line.includes('[pdf-render]'));
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(new RegExp(`^memos/first\\.md:1:1: ${NOT_STARTED.source}`));
      expect(errors[1]).toMatch(new RegExp(`^memos/second\\.md:1:1: ${NOT_STARTED.source}`));
      expect(errors[0]).toContain(`(${chromium}: ${reason})`);
      expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(path.join(root, 'out'))).toBe(false);
      expect(await noChromiumLeft(marker)).toEqual([]);
    },
  );

  it('builds everything on the next run', async () => {
    const again = await runCli(['build', 'memos', '--out', 'out', '--quiet'], root, marked);
    expect(again.stderr).toContain('2 memos built, 0 failed');
    expect(await completePdfPages(path.join(root, 'out', 'second', 'memo.pdf'))).toBe(1);
    expect(await noChromiumLeft(marker)).toEqual([]);
  });
});

describe('Chromium killed in the middle of a batch', () => {
  it('fails the memo being printed with a clear error, keeps what was done, leaves nothing behind', async () => {
    const root = await tempDir('killed');
    await mkdir(path.join(root, 'memos'));
    await writeFile(path.join(root, 'memos', 'a-small.md'), await smallMemo());
    await writeFile(path.join(root, 'memos', 'z-long.md'), longMemo(60, 'The Long One'));
    const out = path.join(root, 'out');

    // Kill the whole browser once the small memo is printed and the long one is printing.
    const printing = deferred<PrintStart>();
    const building = runCli(
      ['build', 'memos', '--out', 'out', '--quiet', '--concurrency', '1'],
      root,
      marked,
      { onPrintStart: (print) => print.title === 'The Long One' && printing.resolve(print) },
    );
    const print = await Promise.race([printing.promise, building.then(() => undefined)]);
    const browser = print?.browserPid;
    if (browser === undefined) throw new Error('the long memo never started printing');
    // The marker finds it (so "no process left" below can fail).
    expect(browserMains(marker).map((main) => main.pid)).toContain(browser);
    process.kill(-browser, 'SIGKILL');
    const run = await building;

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'memos/z-long.md:1:1: error the PDF could not be rendered: Chromium exited unexpectedly (crashed or was killed) while printing [pdf-render]',
    );
    expect(run.stderr).toContain('1 memo built, 1 failed');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect((await filesUnder(out)).filter((file) => !file.startsWith('.'))).not.toContain(
      'z-long/memo.pdf',
    );
    expect((await filesUnder(out)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(await completePdfPages(path.join(out, 'a-small', 'memo.pdf'))).toBe(1);
    expect(await noChromiumLeft(marker)).toEqual([]);

    const again = await runCli(['build', 'memos', '--out', 'out', '--quiet'], root, marked);
    expect(again.code).toBe(0);
    expect(await completePdfPages(path.join(out, 'z-long', 'memo.pdf'))).toBeGreaterThan(50);
    expect(await noChromiumLeft(marker)).toEqual([]);
    expect(markedChromium(marker)).toEqual([]);
  }, 300_000);
});
