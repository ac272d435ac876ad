/**
 * Finding the Chromium processes a test started, however they were started
 * (in-process, or by a child process that has since died and left them to
 * PID 1): every process inherits the environment, so a unique marker
 * variable set for the build finds them in /proc. Chromium's zygotes,
 * renderers and utility processes overwrite their environment with their
 * process title; they are found through their session, which the marked
 * browser process leads (puppeteer starts it detached). Zombies (which PID 1
 * here never reaps) have no environment left and don't count.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { settled } from '../helpers/wait.js';

export const MARKER_VARIABLE = 'MEMO_PRESS_TEST_MARKER';

/**
 * A fresh marker value: pass `{ [MARKER_VARIABLE]: marker }` in the environment
 * of what you start (`runCli`'s env, `buildMemos`'s `env`, a child's), never
 * in `process.env`.
 */
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

interface LiveProcess extends MarkedProcess {
  readonly session: number;
  readonly environ: string;
}

/** Every live (not zombie) process but the test runner itself. */
function liveProcesses(): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat === undefined) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') continue;
    const command = (read(`/proc/${entry}/cmdline`) ?? '').split('\0').join(' ').trim();
    const environ = read(`/proc/${entry}/environ`) ?? '';
    found.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      command,
      environ,
    });
  }
  return found;
}

const plain = ({ pid, ppid, command }: MarkedProcess): MarkedProcess => ({ pid, ppid, command });

/** Live processes whose environment carries `marker`. */
export function markedProcesses(marker: string): MarkedProcess[] {
  const wanted = `${MARKER_VARIABLE}=${marker}\0`;
  return liveProcesses()
    .filter((entry) => `${entry.environ}\0`.includes(wanted))
    .map(plain);
}

/** Marked processes that are Chromium, and the processes of the sessions they lead. */
export function markedChromium(marker: string): MarkedProcess[] {
  const wanted = `${MARKER_VARIABLE}=${marker}\0`;
  const live = liveProcesses();
  const marked = live.filter(
    (entry) => `${entry.environ}\0`.includes(wanted) && /chrom/i.test(entry.command),
  );
  const leaders = new Set(marked.map((entry) => entry.pid));
  const members = live.filter(
    (entry) =>
      leaders.has(entry.session) && !leaders.has(entry.pid) && /chrom/i.test(entry.command),
  );
  return [...marked, ...members].map(plain);
}

/** The browser main processes among them (not a child of another, nor its crash reporter). */
export function browserMains(marker: string): MarkedProcess[] {
  const chromium = markedChromium(marker);
  const pids = new Set(chromium.map((entry) => entry.pid));
  return chromium.filter(
    (entry) => !pids.has(entry.ppid) && !/--type=|crashpad/.test(entry.command),
  );
}

/** Chromium exits a moment after its pipe closes or its kill: wait (boundedly) until none is left. */
export function noChromiumLeft(marker: string): Promise<MarkedProcess[]> {
  return settled(
    () => markedChromium(marker),
    (left) => left.length === 0,
  );
}

/** A whole PDF: ends with %%EOF, parses, and has pages. Returns the page count. */
export async function completePdfPages(file: string): Promise<number> {
  const bytes = await readFile(file);
  if (!bytes.subarray(-32).toString('latin1').includes('%%EOF'))
    throw new Error(`${file} does not end with %%EOF`);
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPageCount();
}
