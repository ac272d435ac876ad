/**
 * The preview's Pages view, overlay and status line in real headless Chromium:
 * switching views, the printed pages (the PDF `memo build` makes, drawn by the
 * page) following an edit that moves a heading to the next page, the place
 * kept across a reload, editor links from the config's `editorUrl`, errors
 * grouped before warnings, and the status line's figures.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../pipeline/config/index.js';
import { startPreview } from '../pipeline/preview/server.js';
import type { Preview } from '../pipeline/preview/server.js';
import { launchReader } from './helpers/chromium.js';
import { pageTexts } from './helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..');
const EDITOR = 'myeditor://open?file={path}&line={line}&column={column}';

let dir: string;
let memo: string;
let original: string;
let preview: Preview;
let browser: Browser;
let page: Page;

/** The PDF the server prints now, page by page, as a reader extracts it. */
async function printedPages(): Promise<string[]> {
  const response = await fetch(new URL('memo.pdf', preview.url));
  expect(response.status).toBe(200);
  return pageTexts(new Uint8Array(await response.arrayBuffer()));
}

/** 1-based page whose text has a line that is exactly `heading`. */
function pageOfHeading(pages: readonly string[], heading: string): number {
  return pages.findIndex((text) => text.split('\n').some((line) => line.trim() === heading)) + 1;
}

/** The Pages view's section list: title → page it starts on. */
const sections = (): Promise<Array<{ title: string; page: number }>> =>
  page.$$eval('#sections li', (items) =>
    items.map((item) => ({
      title: item.querySelector('.title')?.textContent ?? '',
      page: Number((item as HTMLElement).dataset['page']),
    })),
  );

const pagesVersion = (): Promise<string | undefined> =>
  page.$eval('#pages', (panel) => (panel as HTMLElement).dataset['version']);

/** Save, then wait until the Pages view shows a newer version than `before`. */
async function saveAndWaitForPages(text: string): Promise<void> {
  const before = await pagesVersion();
  await writeFile(memo, text);
  await page.waitForFunction(
    (previous) => {
      const panel = document.getElementById('pages')!;
      return panel.dataset['version'] !== previous && panel.dataset['state'] === 'ready';
    },
    { polling: 10 },
    before,
  );
}

function getWithOrigin(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { origin } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  // A space in the folder name: the editor links must encode it.
  dir = await mkdtemp(path.join(tmpdir(), 'memo pages '));
  memo = path.join(dir, 'memo.md');
  original = await readFile(path.join(root, 'sources', 'water-security-first-year.md'), 'utf8');
  await writeFile(memo, original);
  await writeFile(path.join(dir, 'memo.config.json'), JSON.stringify({ editorUrl: EDITOR }));
  [preview, browser] = await Promise.all([
    startPreview({ file: 'memo.md', cwd: dir, port: 0 }),
    launchReader(),
  ]);
  await browser
    .defaultBrowserContext()
    .overridePermissions(new URL(preview.url).origin, ['clipboard-read', 'clipboard-write']);
  page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('memo preview: the Pages view', () => {
  it('opens on the screen view with a status line of the memo’s figures', async () => {
    await page.goto(preview.url);
    await page.waitForFunction(
      () => document.getElementById('summary')!.textContent!.includes('words'),
      { polling: 10 },
    );
    const summary = await page.$eval('#summary', (line) => line.textContent ?? '');
    expect(summary).toMatch(/^\d[\d,]* words · pages: open Pages · 4 notes · /);
    expect(summary).toContain(
      '4 recommendations: 1 in progress, 1 achieved, 1 stalled, 1 not started · 0 warnings',
    );
    expect(await page.$eval('#stage', (stage) => (stage as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#pages', (panel) => (panel as HTMLElement).hidden)).toBe(true);
  });

  it('switches to the pages as `memo build` prints them, with thumbnails and sections', async () => {
    await page.click('#tab-pages');
    await page.waitForFunction(
      () => document.getElementById('pages')!.dataset['state'] === 'ready',
      {
        polling: 10,
      },
    );
    const printed = await printedPages();
    expect(printed.length).toBeGreaterThan(1);
    expect(await page.$eval('#stage', (stage) => (stage as HTMLElement).hidden)).toBe(true);
    expect(await page.$$eval('#sheets .sheet', (sheets) => sheets.length)).toBe(printed.length);
    expect(await page.$$eval('#thumbs li', (thumbs) => thumbs.length)).toBe(printed.length);
    expect(await page.$eval('#page-of', (line) => line.textContent)).toBe(
      `Page 1 of ${printed.length}`,
    );
    expect(await page.$eval('#summary', (line) => line.textContent)).toContain(
      `· ${printed.length} pages ·`,
    );
    // The page shown is drawn, not blank: some of its pixels are dark (text).
    const inked = await page.$eval('#sheets .sheet canvas', (canvas) => {
      const { data } = (canvas as HTMLCanvasElement)
        .getContext('2d')!
        .getImageData(
          0,
          0,
          (canvas as HTMLCanvasElement).width,
          (canvas as HTMLCanvasElement).height,
        );
      let dark = 0;
      for (let index = 0; index < data.length; index += 4) if (data[index]! < 100) dark += 1;
      return dark;
    });
    expect(inked).toBeGreaterThan(1000);
    const conclusion = (await sections()).find((section) => section.title === 'Conclusion');
    expect(conclusion?.page).toBe(pageOfHeading(printed, 'Conclusion'));
  });

  it('moves a heading to the next page when an edit pushes it there', async () => {
    const before = (await sections()).find((section) => section.title === 'Conclusion')?.page;
    expect(before).toBeGreaterThan(0);
    // More and more text before the heading, until it starts on a later page:
    // at each step the Pages view says where the printed PDF has it.
    let after = before;
    let printed: string[] = [];
    for (let count = 8; count <= 48 && after === before; count += 8) {
      const filler = Array.from(
        { length: count },
        (_, index) =>
          `Added paragraph ${index + 1}: the basin's agencies met again, and the minutes record what each promised to do before the next low-water season.`,
      ).join('\n\n');
      await saveAndWaitForPages(original.replace('## Conclusion', `${filler}\n\n## Conclusion`));
      printed = await printedPages();
      after = (await sections()).find((section) => section.title === 'Conclusion')?.page;
      expect(after).toBe(pageOfHeading(printed, 'Conclusion'));
    }
    expect(after).toBeGreaterThan(before!);
    expect(await page.$$eval('#sheets .sheet', (sheets) => sheets.length)).toBe(printed.length);
  });

  it('keeps the page shown across a reload of the preview page', async () => {
    await page.click('#thumbs li[data-page="3"] button');
    expect(new URL(page.url()).hash).toBe('#pages/3');
    await page.reload();
    await page.waitForFunction(
      () => document.getElementById('pages')!.dataset['state'] === 'ready',
      {
        polling: 10,
      },
    );
    expect(await page.$eval('#pages', (panel) => (panel as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#page-of', (line) => line.textContent)).toMatch(/^Page 3 of \d+$/);
    const top = await page.$eval('#sheets', (sheets) => {
      const third = sheets.querySelector<HTMLElement>('[data-page="3"]')!;
      return third.getBoundingClientRect().top - sheets.getBoundingClientRect().top;
    });
    expect(Math.abs(top)).toBeLessThan(50);
  });

  it('switches back to the screen view', async () => {
    await page.click('#tab-screen');
    expect(await page.$eval('#stage', (stage) => (stage as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#pages', (panel) => (panel as HTMLElement).hidden)).toBe(true);
    expect(new URL(page.url()).hash).toBe('#screen');
  });
});

describe('memo preview: the error overlay', () => {
  it('lists errors before warnings, each place a link into the editor', async () => {
    const broken = `${original
      .replace('date: 2026-03-15', 'date: 2021-13-45')
      .replace(
        'The short version is mixed.',
        'As noted.[^nowhere]',
      )}\n[^unused]: A note nobody cites.\n`;
    await writeFile(memo, broken);
    await page.waitForFunction(() => !document.getElementById('overlay')!.hidden, { polling: 10 });
    expect(
      await page.$eval('#overlay', (overlay) => getComputedStyle(overlay).backgroundColor),
    ).toBe('rgb(27, 27, 27)');
    expect(await page.$eval('#overlay-title', (title) => title.textContent)).toBe(
      'memo.md: 2 errors, 1 warning',
    );
    expect(
      await page.$$eval('#overlay-problems h2', (titles) => titles.map((t) => t.textContent)),
    ).toEqual(['Errors (2)', 'Warnings (1)']);
    const items = await page.$$eval('#overlay-problems li', (list) =>
      list.map((item) => ({
        severity: item.className,
        text: item.textContent,
        href: item.querySelector('a.place')?.getAttribute('href'),
      })),
    );
    expect(items.map((item) => item.severity)).toEqual(['error', 'error', 'warning']);
    const warningLine = broken.split('\n').indexOf('[^unused]: A note nobody cites.') + 1;
    const folder = `/${dir.split('/').filter(Boolean).map(encodeURIComponent).join('/')}`;
    expect(folder).toContain('memo%20pages%20');
    expect(items.map((item) => item.href)).toEqual([
      `myeditor://open?file=${folder}/memo.md&line=7&column=7`,
      expect.stringMatching(
        new RegExp(`^myeditor://open\\?file=${folder}/memo\\.md&line=\\d+&column=\\d+$`),
      ),
      `myeditor://open?file=${folder}/memo.md&line=${warningLine}&column=1`,
    ]);
    expect(items[0]?.text).toBe(
      '7:7: `date` must be a real date written YYYY-MM-DD, such as 2026-03-15; got `2021-13-45` [frontmatter-date]',
    );
  });

  it('copies the position, or shows it selected when the clipboard is not allowed', async () => {
    await page.click('#overlay-problems li.error .copy');
    await page.waitForFunction(
      () =>
        document.querySelector('#overlay-problems li.error .copy[data-state="copied"]') !== null ||
        document.querySelector('#overlay-problems li.error input.position') !== null,
      { polling: 10 },
    );
    const shown = await page.$eval(
      '#overlay-problems li.error',
      (item) => item.querySelector('input')?.value,
    );
    const copied = shown ?? (await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied).toBe(`${path.join(dir, 'memo.md')}:7:7`);
  });

  it('goes away when the memo is fixed, and counts the warnings in the status line', async () => {
    await writeFile(memo, `${original}\n[^unused]: A note nobody cites.\n`);
    await page.waitForFunction(() => document.getElementById('overlay')!.hidden, { polling: 10 });
    await page.waitForFunction(
      () => document.getElementById('summary')!.textContent!.endsWith('· 1 warning'),
      { polling: 10 },
    );
    const link = await page.$eval('#warnings-problems a.place', (anchor) =>
      anchor.getAttribute('href'),
    );
    expect(link).toMatch(/^myeditor:\/\/open\?file=.*memo\.md&line=\d+&column=1$/);
  });
});

describe('memo preview: back to the Pages view', () => {
  it('shows the latest version at full size after edits made in the screen view', async () => {
    await page.click('#tab-pages');
    await page.waitForFunction(
      () => {
        const panel = document.getElementById('pages')!;
        return panel.dataset['state'] === 'ready' && Number(panel.dataset['width']) > 320;
      },
      { polling: 10 },
    );
    const printed = await printedPages();
    expect(await page.$$eval('#sheets .sheet', (sheets) => sheets.length)).toBe(printed.length);
    const width = await page.$eval(
      '#sheets .sheet',
      (sheet) => sheet.getBoundingClientRect().width,
    );
    expect(width).toBeGreaterThan(600);
    // The unused note of the last save is a warning, not printed: the notes stay four.
    expect(printed.join('\n')).not.toContain('A note nobody cites.');
  });

  it('draws the pages again to fit a narrower window', async () => {
    const before = await page.$eval('#pages', (panel) =>
      Number((panel as HTMLElement).dataset['width']),
    );
    await page.setViewport({ width: 900, height: 900 });
    await page.waitForFunction(
      (previous) => {
        const panel = document.getElementById('pages')!;
        return panel.dataset['state'] === 'ready' && Number(panel.dataset['width']) < previous;
      },
      { polling: 10 },
      before,
    );
    const width = await page.$eval(
      '#sheets .sheet',
      (sheet) => sheet.getBoundingClientRect().width,
    );
    const room = await page.$eval('#sheets', (sheets) => sheets.clientWidth);
    expect(width).toBeLessThanOrEqual(room);
    await page.setViewport({ width: 1440, height: 900 });
  });
});

describe('memo preview: what the Pages view needs stays locked down', () => {
  it('serves pdf.js as a script the shell’s policy names exactly, and refuses other origins', async () => {
    const shell = await fetch(preview.url);
    const csp = shell.headers.get('content-security-policy') ?? '';
    const { host } = new URL(preview.url);
    expect(csp).toContain(
      `worker-src http://${host}/pdfjs/pdf.min.mjs http://${host}/pdfjs/pdf.worker.min.mjs;`,
    );
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|script-src[^;]*'self'/);
    const script = await fetch(new URL('pdfjs/pdf.min.mjs', preview.url));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await getWithOrigin(new URL('memo.pdf', preview.url).href, 'http://evil.example')).toBe(
      403,
    );
    expect(await getWithOrigin(new URL('memo.pdf', preview.url).href, `http://${host}`)).toBe(200);
  });

  it('refuses an editor link that would run script instead of opening an editor', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'memo-editor-url-'));
    try {
      await writeFile(
        path.join(other, 'memo.config.json'),
        '{\n  "editorUrl": "javascript:alert({path})"\n}\n',
      );
      const { config, file } = await loadProjectConfig(other);
      expect(config).toBeUndefined();
      expect(
        file?.messages.map(
          (message) => `${message.line}:${message.column}: ${message.reason} [${message.ruleId}]`,
        ),
      ).toEqual([
        '2:3: `editorUrl`: must open an editor, not run a script: use a scheme such as `vscode:` [config-invalid]',
      ]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('memo preview: the Pages view of a memo that never built', () => {
  it('says why there are no pages instead of showing an empty view', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'memo-pages-broken-'));
    await writeFile(
      path.join(other, 'memo.md'),
      original.replace('date: 2026-03-15', 'date: 2021-13-45'),
    );
    const broken = await startPreview({ file: 'memo.md', cwd: other, port: 0 });
    const tab = await browser.newPage();
    try {
      await tab.goto(`${broken.url}#pages`);
      await tab.waitForFunction(
        () => document.getElementById('pages')!.dataset['state'] === 'failed',
        { polling: 10 },
      );
      expect(await tab.$eval('#pages-note', (note) => note.textContent)).toBe(
        'memo preview: no PDF: memo.md does not build: fix the problems the preview page lists',
      );
      expect(await tab.$eval('#overlay', (overlay) => (overlay as HTMLElement).hidden)).toBe(false);
      expect(await tab.$$eval('#sheets .sheet', (sheets) => sheets.length)).toBe(0);
    } finally {
      await tab.close();
      await broken.close();
      await rm(other, { recursive: true, force: true });
    }
  });
});
