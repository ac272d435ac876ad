/** The browser tests use, found as the tool finds it, and the Chromium processes a test started. */
import { execFileSync } from 'node:child_process';
import puppeteer from 'puppeteer';
import type { Browser } from 'puppeteer';
import { findChromium } from '../../pipeline/render/browser.js';

/** The browser the tool itself would use. */
export function chromium(): string {
  const found = findChromium(process.env);
  if (found === undefined) throw new Error('no Chromium: set MEMO_CHROMIUM (see README)');
  return found;
}

/** Chromium main processes started by this test process (its live direct children named chrom…). */
export function chromiumChildren(): Set<number> {
  const rows = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  });
  return new Set(
    rows
      .trim()
      .split('\n')
      .map((row) => row.trim().split(/\s+/))
      .filter(
        ([, stat, comm]) => /chrom/.test(comm ?? '') && stat !== undefined && !stat.startsWith('Z'),
      )
      .map(([pid]) => Number(pid)),
  );
}

/**
 * A browser for looking at the preview as a writer would: the browser the tool
 * would use, but not launchBrowser(), whose resolver rules keep the PDF printer
 * off every host, loopback included.
 */
export function launchReader(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
