/** The browser tests use, found as the tool finds it, and the Chromium processes a test started. */
import { execFileSync } from 'node:child_process';
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
