/**
 * Finding the Chromium processes a test started, however they were started
 * (in-process, or by a child process that has since died and left them to
 * PID 1): every process inherits the environment, so a unique marker
 * variable set for the build finds them all in /proc. Zombies (which PID 1
 * here never reaps) have no environment left and don't count.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';

export const MARKER_VARIABLE = 'MEMO_PRESS_TEST_MARKER';

/** A fresh marker value: pass `{ [MARKER_VARIABLE]: marker }` in the environment of what you start. */
export function newMarker(): string {
  return `robustness-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

export interface MarkedProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
}

/** Live processes whose environment carries `marker` (the test runner itself excluded). */
export function markedProcesses(marker: string): MarkedProcess[] {
  const wanted = `${MARKER_VARIABLE}=${marker}\0`;
  const found: MarkedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environ = read(`/proc/${entry}/environ`);
    if (environ === undefined || !`${environ}\0`.includes(wanted)) continue;
    const stat = read(`/proc/${entry}/stat`) ?? '';
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') continue;
    const command = (read(`/proc/${entry}/cmdline`) ?? '').split('\0').join(' ').trim();
    found.push({ pid: Number(entry), ppid: Number(fields[1]), command });
  }
  return found;
}

/** Marked processes that are Chromium. */
export function markedChromium(marker: string): MarkedProcess[] {
  return markedProcesses(marker).filter((entry) => /chrom/i.test(entry.command));
}

/** The browser main processes among them (not a child of another, nor its crash reporter). */
export function browserMains(marker: string): MarkedProcess[] {
  const chromium = markedChromium(marker);
  const pids = new Set(chromium.map((entry) => entry.pid));
  return chromium.filter(
    (entry) => !pids.has(entry.ppid) && !/--type=|crashpad/.test(entry.command),
  );
}

/** Proportional set size of the marked Chromium processes, in MB. */
export function chromiumMemoryMb(marker: string): number {
  let kb = 0;
  for (const entry of markedChromium(marker)) {
    const rollup = read(`/proc/${entry.pid}/smaps_rollup`);
    kb += Number(/^Pss:\s+(\d+)/m.exec(rollup ?? '')?.[1] ?? 0);
  }
  return kb / 1024;
}

export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Chromium exits a moment after its pipe closes: wait (boundedly) until none is left. */
export async function noChromiumLeft(marker: string): Promise<MarkedProcess[]> {
  const deadline = Date.now() + 10_000;
  let left = markedChromium(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = markedChromium(marker);
  }
  return left;
}

/** A whole PDF: ends with %%EOF, parses, and has pages. Returns the page count. */
export async function completePdfPages(file: string): Promise<number> {
  const bytes = await readFile(file);
  if (!bytes.subarray(-32).toString('latin1').includes('%%EOF'))
    throw new Error(`${file} does not end with %%EOF`);
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPageCount();
}
