/**
 * Chromium as one process (render/chromium-process.ts, ONE_PROCESS): without the
 * sandbox, as root, the renderer, GPU and network services run as threads of the
 * browser; with the sandbox on, as an ordinary user, Chromium keeps its processes.
 * Either way the memo prints the same (tests/browsers.test.ts compares the two
 * browsers; this file compares the two process models on one).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, launchBrowser } from '../pipeline/render/browser.js';
import type { Chromium } from '../pipeline/render/browser.js';
import { ONE_PROCESS, memoChromiumArgs } from '../pipeline/render/chromium-process.js';
import { chromium } from './helpers/chromium.js';

const asRoot = process.getuid?.() === 0;

/** The live processes whose parent is `pid`. */
function childrenOf(pid: number): string[] {
  let rows: string;
  try {
    rows = execFileSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(pid)], {
      encoding: 'utf8',
    });
  } catch {
    return []; // ps exits 1 when it lists nothing
  }
  return rows
    .split('\n')
    .map((row) => row.trim())
    .filter((row) => row !== '' && !/^\d+\s+Z/.test(row));
}

describe('Chromium as one process', () => {
  it('is asked for exactly when the sandbox is off', () => {
    const args = memoChromiumArgs();
    expect(args.includes('--no-sandbox')).toBe(asRoot);
    for (const flag of ONE_PROCESS) expect(args.includes(flag)).toBe(asRoot);
  });

  describe.runIf(asRoot)('as root', () => {
    let launched: Chromium;
    beforeAll(async () => {
      launched = await launchBrowser({ executablePath: chromium() });
    }, 60_000);
    afterAll(async () => {
      if (launched !== undefined) await closeBrowser(launched);
    });

    it('prints a memo with no renderer, GPU or zygote process of its own', async () => {
      const page = await launched.browser.newPage();
      await page.setJavaScriptEnabled(false);
      await page.setContent(
        '<!doctype html><html lang="en"><title>One process</title><h1>Progress</h1><p>Printed.</p>',
      );
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pid = launched.child.pid;
      expect(pid).toBeTypeOf('number');
      expect(childrenOf(pid ?? 0)).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
