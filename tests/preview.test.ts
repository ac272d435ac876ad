/**
 * `memo preview` in real headless Chromium: the shell page loads the memo,
 * saves reload it (also rename-saves, templates and styles), errors show as an
 * overlay with the CLI's `line:column: message [rule]`, fixing brings the memo
 * back; the PDF, the Host check, clean shutdown, and the command itself
 * (Ctrl-C → exit 0).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cp, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../pipeline/preview/server.js';
import type { Preview } from '../pipeline/preview/server.js';
import { runCli } from './helpers/cli.js';
import { launchReader } from './helpers/chromium.js';
import { pageTexts } from './helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..');
const TITLE = 'First-Year Water Security Assessment';
const SENTENCE = 'The short version is mixed.';

let dir: string;
let memo: string;
let original: string;
let preview: Preview;
let browser: Browser;
let page: Page;
/** Save → build done (server side) and save → new text on screen, in ms. */
const latencies: Array<{ built: number; screen: number }> = [];
let lastBuildAt = 0;

async function save(text: string): Promise<void> {
  await writeFile(memo, text);
}

/** Resolves when `check(memoDocument)` is true in the shell's current memo frame. */
async function waitInMemo(check: string): Promise<void> {
  await page.waitForFunction(
    `(() => { const doc = document.getElementById('memo')?.contentDocument; return doc != null && doc.body != null && (${check}); })()`,
    { polling: 5 },
  );
}

const memoText = (): Promise<string> =>
  page.evaluate(
    () =>
      (document.getElementById('memo') as HTMLIFrameElement).contentDocument?.body.textContent ??
      '',
  );

const overlayShown = (): Promise<boolean> =>
  page.evaluate(() => !document.getElementById('overlay')!.hidden);

const overlayLines = (): Promise<string[]> =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('#overlay-problems li'), (item) => item.textContent ?? ''),
  );

/** A raw GET with the given Host header (fetch would not let us choose it). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request_ = request(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request_.on('error', reject);
    request_.end();
  });
}

function canConnect(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'memo-preview-'));
  memo = path.join(dir, 'memo.md');
  original = await readFile(path.join(root, 'sources', 'water-security-first-year.md'), 'utf8');
  await save(original);
  // Own copies of the templates and styles, so the test can change them.
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  await cp(path.join(root, 'styles'), path.join(dir, 'styles'), { recursive: true });
  [preview, browser] = await Promise.all([
    startPreview({
      file: 'memo.md',
      cwd: dir,
      port: 0,
      templatesDir: 'templates',
      stylesDir: 'styles',
      onBuild: () => (lastBuildAt = performance.now()),
    }),
    launchReader(),
  ]);
  page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 700 });
});

afterAll(async () => {
  const list = (key: 'built' | 'screen') =>
    latencies.map((entry) => entry[key].toFixed(0)).join(', ');
  console.info(
    `memo preview (ms), save → built: ${list('built')}; save → on screen: ${list('screen')}`,
  );
  await browser?.close();
  await preview?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('memo preview in the browser', () => {
  it('serves the shell, which shows the memo in a sandboxed frame', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await page.goto(preview.url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'sha256-[^']+'[ ;]/);
    await waitInMemo(`doc.querySelector('h1')?.textContent === ${JSON.stringify(TITLE)}`);
    expect(await page.$eval('#memo', (frame) => frame.getAttribute('sandbox'))).toBe(
      'allow-same-origin',
    );
    expect(await page.title()).toBe(`${TITLE} — memo preview`);
    expect(await overlayShown()).toBe(false);
  });

  it('shows an edited paragraph after each save, keeping the scroll position', async () => {
    await page.$eval('#memo', (frame) =>
      (frame as HTMLIFrameElement).contentWindow!.scrollTo(0, 800),
    );
    for (let edit = 1; edit <= 5; edit += 1) {
      const start = performance.now();
      await save(original.replace(SENTENCE, `The short version is mixed, edit ${edit}.`));
      await waitInMemo(`doc.body.textContent.includes('mixed, edit ${edit}.')`);
      latencies.push({ built: lastBuildAt - start, screen: performance.now() - start });
    }
    expect(await memoText()).not.toContain(SENTENCE);
    expect(
      await page.$eval('#memo', (frame) => (frame as HTMLIFrameElement).contentWindow!.scrollY),
    ).toBe(800);
    expect(await page.$$eval('iframe', (frames) => frames.length)).toBe(1);
  });

  it('follows an editor that saves by renaming a new file over the memo', async () => {
    const temporary = path.join(dir, '.memo.md.tmp');
    await writeFile(temporary, original.replace(SENTENCE, 'Saved by rename, once.'));
    await rename(temporary, memo);
    await waitInMemo(`doc.body.textContent.includes('Saved by rename, once.')`);
    // …and the watch still works after the file's inode was replaced.
    await save(original.replace(SENTENCE, 'Saved in place after the rename.'));
    await waitInMemo(`doc.body.textContent.includes('Saved in place after the rename.')`);
  });

  it('shows every problem of a broken source as `line:column: message [rule]` over the last good memo', async () => {
    const broken = original
      .replace('date: 2026-03-15', 'date: 2021-13-45')
      .replace(SENTENCE, 'As noted elsewhere.[^nowhere]');
    await save(broken);
    await page.waitForFunction(() => !document.getElementById('overlay')!.hidden, { polling: 5 });
    const lines = await overlayLines();
    expect(lines).toContain(
      '7:7: `date` must be a real date written YYYY-MM-DD, such as 2026-03-15; got `2021-13-45` [frontmatter-date]',
    );
    // The same problems, in the same words and order, as the CLI's compact report.
    const cli = await runCli(['build', 'memo.md', '--format', 'html', '--out', 'cli-out'], dir);
    const reported = cli.stderr
      .split('\n')
      .filter((line) => line.startsWith('memo.md:'))
      .map((line) => line.replace(/^memo\.md:(\d+:\d+): error /, '$1: '));
    expect(reported.length).toBeGreaterThanOrEqual(2);
    expect(lines).toEqual(reported);
    expect(await page.$eval('#overlay-title', (title) => title.textContent)).toBe(
      `memo.md: ${lines.length} errors`,
    );
    // Underneath, the last good version stays (not a blank page).
    expect(await memoText()).toContain('Saved in place after the rename.');
  });

  it('hides the overlay and shows the memo again once the source is fixed', async () => {
    await save(original.replace(SENTENCE, 'Fixed again.'));
    await waitInMemo(`doc.body.textContent.includes('Fixed again.')`);
    await page.waitForFunction(() => document.getElementById('overlay')!.hidden, { polling: 5 });
  });

  it('shows warnings in a panel that does not block the memo', async () => {
    await save(`${original}\n[^unused]: A note nobody cites.\n`);
    await page.waitForFunction(() => !document.getElementById('warnings')!.hidden, { polling: 5 });
    const warning = await page.$eval('#warnings-problems li', (item) => item.textContent);
    const line = original.split('\n').length + 1;
    expect(warning).toMatch(new RegExp(`^${line}:1: .*\\[\\^unused\\].* \\[footnote-unused\\]$`));
    expect(await overlayShown()).toBe(false);
  });

  it('reloads when a style or a template changes, and reports a broken template', async () => {
    const css = path.join(dir, 'styles', 'memo.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\nh1 { color: rgb(1, 2, 3); }\n`);
    await waitInMemo(`getComputedStyle(doc.querySelector('h1')).color === 'rgb(1, 2, 3)'`);

    const template = path.join(dir, 'templates', 'assessment.hbs');
    const good = await readFile(template, 'utf8');
    await writeFile(template, good.replace('<h1>{{title}}</h1>', '<h1>{{title}</h1>'));
    await page.waitForFunction(() => !document.getElementById('overlay')!.hidden, { polling: 5 });
    expect(await overlayLines()).toContainEqual(
      expect.stringMatching(
        /^templates: the templates or styles could not be loaded: templates\/assessment\.hbs: Parse error on line \d+: .* \[template-error\]$/,
      ),
    );

    await writeFile(
      template,
      good.replace('<h1>{{title}}</h1>', '<h1 class="retitled">{{title}}</h1>'),
    );
    await waitInMemo(`doc.querySelector('h1.retitled') !== null`);
    await page.waitForFunction(() => document.getElementById('overlay')!.hidden, { polling: 5 });
  });

  it('follows the project config, and shows its problems at their place', async () => {
    const config = path.join(dir, 'memo.config.json');
    await save(original.replace('classification: UNCLASSIFIED\n', ''));
    await waitInMemo(`!doc.body.textContent.includes('UNCLASSIFIED')`);
    await writeFile(config, '{\n  "classification": "FROM THE CONFIG"\n}\n');
    await waitInMemo(`doc.body.textContent.includes('FROM THE CONFIG')`);

    await writeFile(config, '{\n  "organisation": "Council"\n}\n');
    await page.waitForFunction(() => !document.getElementById('overlay')!.hidden, { polling: 5 });
    expect(await overlayLines()).toContainEqual(
      expect.stringMatching(
        /^memo\.config\.json:2:3: unknown field `organisation`.* \[config-unknown-field\]$/,
      ),
    );

    await unlink(config);
    await page.waitForFunction(() => document.getElementById('overlay')!.hidden, { polling: 5 });
    await waitInMemo(`!doc.body.textContent.includes('FROM THE CONFIG')`);
  });

  it('serves the memo as a PDF', async () => {
    const response = await fetch(new URL('memo.pdf', preview.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    const text = (await pageTexts(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain(TITLE);
  }, 120_000); // launches Chromium: slow on a loaded machine

  it('answers only requests addressed to itself, and only on its paths', async () => {
    const port = new URL(preview.url).port;
    expect(await getWithHost(preview.url, `attacker.example:${port}`)).toBe(403);
    expect(await getWithHost(preview.url, 'localhost')).toBe(403);
    expect(await getWithHost(preview.url, `localhost:${port}`)).toBe(200);
    expect((await fetch(new URL('secret.txt', preview.url))).status).toBe(404);
    expect((await fetch(new URL('../memo.md', preview.url))).status).toBe(404);
    expect((await fetch(preview.url, { method: 'POST' })).status).toBe(405);
  });

  it('closes its port, and the page says the server is gone', async () => {
    await preview.close();
    expect(await canConnect(preview.url)).toBe(false);
    await page.waitForFunction(() => !document.getElementById('status')!.hidden, { polling: 5 });
  });
});

describe('the memo preview command', () => {
  it('prints its URL, serves until Ctrl-C, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, // runs the TypeScript sources
        '--input-type=module',
        '-e',
        `const { main } = await import(${JSON.stringify(path.join(root, 'pipeline', 'cli', 'main.ts'))});
         process.exitCode = await main(process.argv.slice(1));`,
        'preview',
        'memo.md',
        '--port',
        '0',
      ],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^memo preview: (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C to stop\)$/m.exec(
          stdout,
        );
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      void exited.then(() => reject(new Error(`exited before serving: ${stdout}`)));
    });
    expect((await fetch(url)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await canConnect(url)).toBe(false);
  }, 120_000); // a new Node process compiling the sources with tsx

  it('reports a missing file like the build does, and refuses a non-loopback host', async () => {
    const missing = await runCli(['preview', 'nope.md'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'nope.md:1:1: error no such file: `memo preview` takes one memo file, such as sources/my-memo.md [source-missing]',
    );
    const exposed = await runCli(['preview', 'memo.md', '--host', '0.0.0.0'], dir);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain(
      'memo: --host must be a loopback address (127.0.0.1 or ::1), got 0.0.0.0: the preview serves unpublished memos to this machine only\n',
    );
    const badPort = await runCli(['preview', 'memo.md', '--port', '70000'], dir);
    expect(badPort.code).toBe(2);
  });
});
