/**
 * Chromium started by the launcher before the tool loads (bin/memo.js,
 * pipeline/cli/early.ts): the same command line puppeteer would run, only
 * for a build that prints, and never left behind when the build needs no
 * browser after all (every memo up to date).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { buildPrints, optimiserOff } from '../pipeline/cli/early.js';
import {
  MEMO_DISABLED_FEATURES,
  chromiumCommandLine,
  headlessMode,
  memoChromiumArgs,
} from '../pipeline/render/chromium-process.js';
import { chromium } from './helpers/chromium.js';
import { tempDir } from './security/harness.js';
import { MARKER_VARIABLE, newMarker, noChromiumLeft } from './robustness/processes.js';
import { smallMemo } from './robustness/memos.js';

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'memo.js');
const early = path.resolve(import.meta.dirname, '..', 'dist', 'bin', 'early.js');

/**
 * Whether a hot function gets TurboFan code in a Node that ran the launcher's `tuneV8(argv)`
 * (dist/bin/early.js, what bin/memo.js loads), and what that Node wrote on stderr.
 */
function optimisedAfter(argv: readonly string[]): { optimised: boolean; stderr: string } {
  const script = `
    const { tuneV8 } = await import(${JSON.stringify(pathToFileURL(early).href)});
    tuneV8(${JSON.stringify(argv)});
    function add(a, b) { return a + b; }
    %PrepareFunctionForOptimization(add);
    add(1, 2); add(3, 4);
    %OptimizeFunctionOnNextCall(add);
    add(5, 6);
    process.stdout.write(String(%GetOptimizationStatus(add)));`;
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--input-type=module', '--eval', script],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`node failed: ${run.stderr}`);
  // V8's status bits: 16 is "optimized" (TurboFan; V8 tier-ups below it do not set it).
  return { optimised: (Number(run.stdout) & 16) !== 0, stderr: run.stderr };
}

describe('the early Chromium', () => {
  it('runs the command line puppeteer.launch would, for both headless modes', () => {
    for (const executable of ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium']) {
      const userDataDir = '/tmp/memo-press-chromium-x/profile';
      const expected = [
        ...puppeteer.defaultArgs({
          headless: headlessMode(executable),
          userDataDir,
          args: [...memoChromiumArgs(), `--disable-features=${MEMO_DISABLED_FEATURES.join(',')}`],
        }),
        '--remote-debugging-pipe',
      ];
      expect(chromiumCommandLine(executable, userDataDir)).toEqual(expected);
    }
  });

  it('starts only for a build that prints', () => {
    expect(buildPrints(['build'])).toBe(true);
    expect(buildPrints(['build', 'sources', '--format', 'pdf'])).toBe(true);
    expect(buildPrints(['--no-color', 'build', '-j', '4'])).toBe(true);
    expect(buildPrints(['build', '--format', 'html'])).toBe(false);
    expect(buildPrints(['build', '--format=html'])).toBe(false);
    expect(buildPrints(['build', '-fhtml'])).toBe(false);
    expect(buildPrints(['build', '--format', 'html,docx'])).toBe(false);
    expect(buildPrints(['build', '--format=docx,pdf'])).toBe(true);
    expect(buildPrints(['build', '--help'])).toBe(false);
    expect(buildPrints(['check', 'sources'])).toBe(false);
    expect(buildPrints(['publish', 'build.md'])).toBe(false);
    expect(buildPrints([])).toBe(false);
  });

  it('is ended, its folder removed, when every memo is up to date', async () => {
    const root = await tempDir('early');
    await mkdir(path.join(root, 'memos'));
    await mkdir(path.join(root, 'tmp'));
    await writeFile(path.join(root, 'memos', 'a.md'), await smallMemo('Early start'));
    const marker = newMarker();
    const run = async (): Promise<number | null> => {
      const child = spawn(process.execPath, [bin, 'build', 'memos', '--out', 'out', '--quiet'], {
        cwd: root,
        stdio: 'ignore',
        env: {
          ...process.env,
          MEMO_CHROMIUM: chromium(),
          NO_COLOR: '1',
          TMPDIR: path.join(root, 'tmp'),
          [MARKER_VARIABLE]: marker,
        },
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    };
    expect(await run()).toBe(0); // builds: the early browser prints
    expect(await readdir(path.join(root, 'out', 'a'))).toEqual(['memo.html', 'memo.pdf']);
    expect(await run()).toBe(0); // up to date: the early browser is not needed
    expect(await noChromiumLeft(marker)).toEqual([]);
    const left = (await readdir(path.join(root, 'tmp'))).filter((name) =>
      name.startsWith('memo-press-chromium-'),
    );
    expect(left).toEqual([]);
  });

  it("turns V8's optimising compiler off for a short command, not for the preview server", () => {
    expect(optimiserOff(['build', 'sources'])).toBe(true);
    expect(optimiserOff(['--no-color', 'publish', 'sources/a.md'])).toBe(true);
    expect(optimiserOff(['preview', 'sources/a.md'])).toBe(false);
    // The flag this Node's V8 knows (an unknown one would be reported on stderr) and honours.
    expect(optimisedAfter(['build'])).toEqual({ optimised: false, stderr: '' });
    expect(optimisedAfter(['preview', 'a.md'])).toEqual({ optimised: true, stderr: '' });
  });
});
