/**
 * Bench cases 5 and 6: from saving the source to the preview page showing the
 * change — the screen view (5) or the Pages view, the printed PDF drawn page
 * by page (6) — in real headless Chromium, with the preview server in this
 * process.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer from 'puppeteer';
import { startPreview } from '../pipeline/preview/server.js';
import type { Stats } from './measure.js';
import { stats } from './measure.js';

const SENTENCE = 'The short version is mixed.';

export type PreviewView = 'screen' | 'pages';

export async function previewLatency(
  root: string,
  work: string,
  runs: number,
  view: PreviewView = 'screen',
): Promise<Stats> {
  const folder = path.join(work, `preview-${view}`);
  await mkdir(folder, { recursive: true });
  const memo = path.join(folder, 'memo.md');
  const original = await readFile(
    path.join(root, 'sources', 'water-security-first-year.md'),
    'utf8',
  );
  await writeFile(memo, original);
  const preview = await startPreview({ file: memo, cwd: folder, port: 0 });
  const browser = await puppeteer.launch({
    executablePath: process.env['MEMO_CHROMIUM'] ?? '/usr/bin/chromium',
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
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900 });
    await page.goto(view === 'pages' ? `${preview.url}#pages` : preview.url);
    const shows = (text: string) =>
      page.waitForFunction(
        `(() => { const doc = document.getElementById('memo')?.contentDocument; return doc?.body?.textContent?.includes(${JSON.stringify(text)}) === true; })()`,
        { polling: 5, timeout: 30_000 },
      );
    /** The Pages view drew a version other than `before` (the page in view, at least). */
    const drawn = (before: string | undefined) =>
      page.waitForFunction(
        `(() => { const panel = document.getElementById('pages'); return panel.dataset.state === 'ready' && panel.dataset.version !== ${JSON.stringify(before)}; })()`,
        { polling: 5, timeout: 30_000 },
      );
    const pagesVersion = () =>
      page.$eval('#pages', (panel) => (panel as HTMLElement).dataset['version']);
    await shows(SENTENCE);
    if (view === 'pages') await drawn(undefined);
    const samples = [];
    // One warm-up edit, then the measured ones.
    for (let edit = 0; edit <= runs; edit += 1) {
      const marker = `The short version is mixed, edit ${edit}.`;
      const before = view === 'pages' ? await pagesVersion() : undefined;
      const started = performance.now();
      await writeFile(memo, original.replace(SENTENCE, marker));
      if (view === 'pages') await drawn(before);
      else await shows(marker);
      if (edit > 0)
        samples.push({ ms: performance.now() - started, peakBytes: 0, code: 0, stderr: '' });
    }
    return stats(samples);
  } finally {
    await browser.close();
    await preview.close();
  }
}
