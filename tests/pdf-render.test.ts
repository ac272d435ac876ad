/**
 * PDF rendering against the real system Chromium. One renderer is shared by
 * most tests (a launch costs seconds on a busy 2-core machine); only the
 * reproducibility, close and kill tests start their own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BrowserError,
  findChromium,
  headlessMode,
  launchBrowser,
} from '../pipeline/render/browser.js';
import { createPdfRenderer, RenderError } from '../pipeline/render/pdf.js';
import { asciiRuns } from '../pipeline/render/pdf-page.js';
import type { PdfMeta, PdfRenderer, PdfResult, PrintStart } from '../pipeline/render/pdf.js';
import { chromiumChildren } from './helpers/chromium.js';
import { embeddedFonts, pageCount, pageTexts, readCatalog, readInfo } from './helpers/pdf.js';
import { deferred, settled } from './helpers/wait.js';

const fontFile = createRequire(import.meta.url).resolve(
  '@fontsource/source-sans-3/files/source-sans-3-latin-400-normal.woff2',
);
const fontData = readFileSync(fontFile).toString('base64');

const meta: PdfMeta = {
  title: 'Housing Costs — Options for 2025',
  author: 'Policy Unit',
  subject: 'Rent growth and affordability',
  keywords: ['housing', 'public health'],
  lang: 'en-GB',
  date: new Date('2024-05-01T09:30:00Z'),
  creator: 'memo-press 0.1.0',
};

const paragraph = (i: number): string =>
  `<p>Paragraph ${i}. Rents in the region rose faster than wages for the fifth year running, and the share of ` +
  'households spending more than a third of their income on housing reached a new high.</p>';
const paragraphs = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => paragraph(from + i)).join('\n');

/** A memo page: embedded font, @page margin box, two headings; 7 + 7 paragraphs make 2 Letter pages. */
function memoHtml(
  body = `<h1>Housing Costs</h1>${paragraphs(0, 7)}<h2>Recommendations</h2>${paragraphs(7, 7)}`,
): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Memo</title><style>
@font-face { font-family: 'Memo Sans'; src: url(data:font/woff2;base64,${fontData}) format('woff2'); }
@page { size: letter; margin: 1in;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt 'Memo Sans'; } }
body { font: 12pt/1.4 'Memo Sans'; }
</style></head><body>${body}</body></html>`;
}

/** Live (non-zombie) processes in the process group led by `pid` (puppeteer starts Chromium detached). */
function liveGroupMembers(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' })
    .trim()
    .split('\n');
  return rows
    .map((row) => row.trim().split(/\s+/))
    .filter(([, pgid, stat]) => Number(pgid) === pid && stat !== undefined && !stat.startsWith('Z'))
    .map(([member]) => Number(member));
}

/** The group's processes still alive once they have had (plenty of) time to exit after their kill. */
const groupLeftAfterKill = (pid: number): Promise<number[]> =>
  settled(
    () => liveGroupMembers(pid),
    (left) => left.length === 0,
  );

/** Start a renderer and return it with its browser's pid (the new child process). */
async function rendererWithPid(concurrency = 2): Promise<{ renderer: PdfRenderer; pid: number }> {
  const before = chromiumChildren();
  const renderer = await createPdfRenderer({ concurrency, handleSignals: false });
  const [pid] = [...chromiumChildren()].filter((child) => !before.has(child));
  if (pid === undefined) throw new Error('could not find the browser process');
  return { renderer, pid };
}

let shared: PdfRenderer;
let memo: PdfResult;

beforeAll(async () => {
  shared = await createPdfRenderer({ handleSignals: false });
  memo = await shared.render(memoHtml(), meta);
});

afterAll(async () => {
  await shared?.close();
});

describe('PDF of a memo', () => {
  it('has the pages, headings and CSS running footer', async () => {
    expect(await pageCount(memo.pdf)).toBe(2);
    const [first = '', second = ''] = await pageTexts(memo.pdf);
    expect(first).toContain('Housing Costs');
    expect(first).toContain('Page 1 of 2');
    expect(`${first}\n${second}`).toContain('Recommendations');
    expect(second).toContain('Paragraph 13.');
    expect(second).toContain('Page 2 of 2');
    expect(memo.warnings).toEqual([]);
  });

  it('embeds the data: font', async () => {
    expect((await embeddedFonts(memo.pdf)).some((name) => /SourceSans3/.test(name))).toBe(true);
  });

  it('carries our metadata and nothing of Chromium’s', async () => {
    const info = await readInfo(memo.pdf);
    expect(info).toMatchObject({
      title: meta.title,
      author: meta.author,
      subject: meta.subject,
      keywords: 'housing, public health',
      creator: 'memo-press 0.1.0',
      producer: 'memo-press',
      creationDate: meta.date,
      modDate: meta.date,
    });
    expect(info.keys.sort()).toEqual(
      [
        'Author',
        'CreationDate',
        'Creator',
        'Keywords',
        'ModDate',
        'Producer',
        'Subject',
        'Title',
      ].sort(),
    );
  });

  it('keeps the tagged structure and outline and sets the catalog entries', async () => {
    const catalog = await readCatalog(memo.pdf);
    expect(catalog).toMatchObject({
      lang: 'en-GB',
      marked: true,
      hasStructTreeRoot: true,
      outlineTitles: ['Housing Costs', 'Recommendations'],
      pageMode: 'UseOutlines',
      displayDocTitle: true,
      hasXmpMetadata: true, // the archival XMP (tests/archival.test.ts checks its contents)
    });
    const [first, second] = catalog.id ?? [];
    expect(first).toMatch(/^[0-9A-F]{32}$/);
    expect(second).toBe(first);
  });

  it('prints text beyond ASCII as written, in the head and the body (sent in runs: asciiRuns)', async () => {
    const words = 'Ærøskøbing’s “café” — naïve → 𝔸𝕓𝕔 ✓';
    const runs = asciiRuns(`<title>${words}</title>`);
    expect(runs.join('')).toBe(`<title>${words}</title>`);
    for (const run of runs) expect(/^[\0-\x7f]*$/u.test(run) || !/[\0-\x7f]/u.test(run)).toBe(true);
    const html = memoHtml(`<h1>${words}</h1><p>${words}</p>`).replace(
      '<title>Memo</title>',
      `<title>${words}</title><style>/* → */</style>`,
    );
    const { pdf } = await shared.render(html, meta);
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain('Ærøskøbing’s “café” — naïve →');
    expect(text).toContain('𝔸𝕓𝕔');
    expect(text).not.toContain('\uFFFD');
  });

  it('does not run the memo’s scripts', async () => {
    const { pdf } = await shared.render(
      memoHtml('<h1>Static</h1><script>document.body.textContent = "SCRIPT RAN"</script>'),
      meta,
    );
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain('Static');
    expect(text).not.toContain('SCRIPT RAN');
  });
});

describe('isolation', () => {
  it('makes no request to the network and reports what it blocked', async () => {
    let requests = 0;
    let connections = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end();
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port =
      typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : 0;
    const base = `http://127.0.0.1:${port}`;
    try {
      const result = await shared.render(
        memoHtml(
          `<link rel="prefetch" href="${base}/prefetch"><link rel="preconnect" href="${base}">` +
            `<h1>Offline</h1><img src="${base}/x.png" alt="">`,
        ),
        meta,
      );
      expect(result.warnings).toContain(`blocked request to ${base}/x.png`);
      expect((await pageTexts(result.pdf)).join('\n')).toContain('Offline');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(requests).toBe(0);
    expect(connections).toBe(0);
  });

  it.each([
    [
      'a meta refresh to a local file',
      '<meta http-equiv="refresh" content="0;url=file:///etc/passwd"><h1>Memo</h1>',
    ],
    ['an iframe of a local file', '<h1>Memo</h1><iframe src="file:///etc/passwd"></iframe>'],
    [
      'a meta refresh to the network',
      '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/"><h1>Memo</h1>',
    ],
  ])('never prints a local file: %s', async (_name, body) => {
    try {
      const { pdf } = await shared.render(memoHtml(body), meta);
      const text = (await pageTexts(pdf)).join('\n');
      expect(text).toContain('Memo');
      expect(text).not.toContain('root:');
    } catch (error) {
      expect(error).toBeInstanceOf(RenderError);
    }
  });
});

describe('finding and launching Chromium', () => {
  it('prefers MEMO_CHROMIUM, then PUPPETEER_EXECUTABLE_PATH, skipping paths that do not exist', () => {
    const node = process.execPath; // an executable that surely exists
    expect(findChromium({ MEMO_CHROMIUM: node, PUPPETEER_EXECUTABLE_PATH: '/nonexistent' })).toBe(
      node,
    );
    expect(findChromium({ MEMO_CHROMIUM: '/nonexistent', PUPPETEER_EXECUTABLE_PATH: node })).toBe(
      node,
    );
    expect(findChromium({ MEMO_CHROMIUM: fontFile })).not.toBe(fontFile); // exists, not executable
  });

  it('runs a headless shell in its own mode and a full Chromium in new headless mode', () => {
    expect(headlessMode('/usr/lib/chromium/chromium-headless-shell')).toBe('shell');
    expect(headlessMode('/opt/chrome-headless-shell-linux64/chrome-headless-shell')).toBe('shell');
    expect(headlessMode('/usr/bin/chromium')).toBe(true);
    expect(headlessMode('/usr/bin/google-chrome-stable')).toBe(true);
  });

  it('explains what to do when the browser cannot start', async () => {
    const launching = launchBrowser({ executablePath: '/nonexistent/chromium' });
    await expect(launching).rejects.toBeInstanceOf(BrowserError);
    await expect(launching).rejects.toThrow(/apt-get install chromium.*MEMO_CHROMIUM/);
  });
});

describe('browser lifecycle', () => {
  it('prints byte-identical PDFs from two browser launches, and leaves no process behind', async () => {
    const { renderer, pid } = await rendererWithPid();
    let again: PdfResult;
    try {
      again = await renderer.render(memoHtml(), meta);
    } finally {
      await renderer.close();
    }
    expect(Buffer.from(again.pdf).equals(Buffer.from(memo.pdf))).toBe(true);
    // …and the shared renderer's page, reused by every test above, prints it identically too.
    const reused = await shared.render(memoHtml(), meta);
    expect(Buffer.from(reused.pdf).equals(Buffer.from(memo.pdf))).toBe(true);
    expect(await groupLeftAfterKill(pid)).toEqual([]);
    await expect(renderer.render(memoHtml(), meta)).rejects.toBeInstanceOf(RenderError);
  });

  it('rejects pending and later renders with RenderError when Chromium is killed', async () => {
    const printing = deferred<PrintStart>();
    const renderer = await createPdfRenderer({
      concurrency: 1,
      handleSignals: false,
      onPrintStart: (print) => printing.resolve(print),
    });
    let pid: number | undefined;
    try {
      const big = memoHtml(`<h1>Long</h1>${paragraphs(0, 600)}`);
      const running = renderer.render(big, meta);
      const queued = renderer.render(big, meta);
      // Observed below; meanwhile a rejection is not "unhandled".
      running.catch(() => {});
      queued.catch(() => {});
      // Killed once the first memo is printing, the second waiting for its turn.
      pid = (await Promise.race([printing.promise, running.then(() => undefined)]))?.browserPid;
      if (pid === undefined) throw new Error('the memo never started printing');
      process.kill(-pid, 'SIGKILL');
      await expect(running).rejects.toBeInstanceOf(RenderError);
      await expect(running).rejects.toThrow(/Chromium exited unexpectedly/);
      await expect(queued).rejects.toBeInstanceOf(RenderError);
      await expect(renderer.render(memoHtml(), meta)).rejects.toThrow(/Chromium/);
    } finally {
      await renderer.close();
    }
    expect(await groupLeftAfterKill(pid)).toEqual([]);
  }, 60_000);

  it('closes Chromium and exits with 128 + signal number on SIGTERM', async () => {
    // A separate Node process (tsx for the TypeScript import), since the
    // handler ends the process it runs in.
    const module = new URL('../pipeline/render/pdf.ts', import.meta.url).href;
    const code = `const { createPdfRenderer } = await import(${JSON.stringify(module)});
      await createPdfRenderer(); console.log('ready'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const [chunk]: unknown[] = await once(child.stdout, 'data');
    expect(String(chunk)).toContain('ready');
    const rows = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(child.pid)], {
      encoding: 'utf8',
    });
    const browserPid = Number(
      rows
        .split('\n')
        .find((row) => /chrom/.test(row))
        ?.trim()
        .split(/\s+/)[0],
    );
    expect(browserPid).toBeGreaterThan(0);
    child.kill('SIGTERM');
    const [exitCode] = await exited;
    expect(exitCode).toBe(143);
    expect(await groupLeftAfterKill(browserPid)).toEqual([]);
  }, 30_000);
});
