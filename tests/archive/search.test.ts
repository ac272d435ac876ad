/**
 * Full-text search of every published version, offline from the archive
 * folder: a phrase that only an older version has is found, with its memo,
 * version and date, by the shipped scripts run in Node and by the search page
 * opened from file:// in Chromium; the search files are rebuilt and compared
 * by `memo verify`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { launchReader } from '../helpers/chromium.js';
import { waitFor } from '../helpers/wait.js';
import { fixtures, ownBrowser, temporaryFolder } from './helpers.js';

let work: string;
let searchFolder: string;

interface Result {
  readonly slug: string;
  readonly version: number;
  readonly title: string;
  readonly dateDisplay: string;
  readonly current: boolean;
  readonly href: string;
  readonly excerpt: string;
}

/** The archive's own search scripts, run in a fresh Node context as the page runs them. */
async function nodeSearch(): Promise<(query: string) => Result[]> {
  const context = vm.createContext({});
  for (const name of ['minisearch.js', 'documents.js', 'search.js'])
    vm.runInContext(await readFile(path.join(searchFolder, name), 'utf8'), context, {
      filename: name,
    });
  vm.runInContext(
    'globalThis.engine = memoSearch.createEngine(globalThis.MiniSearch, globalThis.memoSearchDocuments);',
    context,
  );
  return (query) => {
    const found: string = vm.runInContext(
      `JSON.stringify(memoSearch.search(engine, ${JSON.stringify(query)}))`,
      context,
    );
    const results: Result[] = JSON.parse(found);
    return results;
  };
}

beforeAll(async () => {
  work = await temporaryFolder('search');
  for (const version of ['v1.md', 'v2.md']) {
    await writeFile(path.join(work, 'drought.md'), await readFile(path.join(fixtures, version)));
    const run = await runCli(['publish', 'drought.md'], work, ownBrowser);
    if (run.code !== 0) throw new Error(run.stderr);
  }
  searchFolder = path.join(work, 'archive', 'search');
}, 180_000);

describe('search across every published version', () => {
  it('finds a phrase only an older version has, naming memo, version and date (in Node)', async () => {
    const search = await nodeSearch();
    const older = search('"met twice"');
    expect(older.map((result) => [result.slug, result.version, result.dateDisplay])).toEqual([
      ['drought', 1, 'February 1, 2026'],
    ]);
    expect(older[0]?.title).toBe('Drought Readiness Review');
    expect(older[0]?.current).toBe(false);
    expect(older[0]?.excerpt).toContain('The working group has met twice');
    expect(older[0]?.href).toBe('../drought/v1/memo.html');
    expect(search('weekly bulletin').map((result) => result.version)).toEqual([2]);
    expect(search('"met twice" bulletin')).toEqual([]);
    expect(
      search('hard questions')
        .map((result) => result.version)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('works from the archive folder in Chromium, with no network and the results as text', async () => {
    const browser = await launchReader();
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const url = pathToFileURL(path.join(searchFolder, 'index.html'));
      url.search = `?q=${encodeURIComponent('"met twice"')}`;
      await page.goto(url.href, { waitUntil: 'load' });
      const read = () =>
        page.$$eval('.search-result', (items) =>
          items.map((item) =>
            Array.from(item.children)
              .map((child) => child.textContent ?? '')
              .join(' ')
              .replace(/\s+/g, ' ')
              .trim(),
          ),
        );
      await waitFor(async () => (await read()).length > 0, {
        timeout: 30_000,
        what: 'search results',
      });
      const results = await read();
      expect(results).toHaveLength(1);
      expect(results[0]).toMatch(
        /^Drought Readiness Review drought · version 1 · February 1, 2026 .*met twice/,
      );
      expect(await page.$eval('#search-status', (node) => node.textContent)).toBe(
        '1 version matches “"met twice"”.',
      );
      // The page, its scripts (file:) and its inlined fonts (data:): nothing from a network.
      expect(requests.filter((request) => !/^(file|data):/.test(request))).toEqual([]);
      expect(requests.filter((request) => request.startsWith('file:')).length).toBe(4);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('is linked from the index, and rebuilt and compared by memo verify', async () => {
    const index = await readFile(path.join(work, 'archive', 'index.html'), 'utf8');
    expect(index).toContain(
      '<form class="archive-search" role="search" action="search/index.html"',
    );
    const documents = path.join(searchFolder, 'documents.js');
    await writeFile(
      documents,
      (await readFile(documents, 'utf8')).replace('met twice', 'met once'),
    );
    const run = await runCli(['verify'], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'archive/search/documents.js:1:1: error differs from the one rebuilt from versions.json and the manifests',
    );
    const repaired = await runCli(['verify', '--repair'], work);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout).toContain('repaired archive/search/documents.js\n');
  });
});
