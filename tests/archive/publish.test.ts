/**
 * `memo publish`, run as a writer would, in a git repository in a temporary
 * folder: versions are added and never changed, the manifest describes them,
 * the index lists them, and memos with errors or a date going backwards are
 * refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import {
  entriesOf,
  fixtures,
  ownBrowser,
  readManifestFile,
  root,
  sha256,
  temporaryFolder,
} from './helpers.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

async function hashes(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(folder))
    out[name] = sha256(await readFile(path.join(folder, name)));
  return out;
}

let work: string;
let archive: string;
let source: string;
let head: string;
let v1Before: Record<string, string>;
let published: CliRun[];
let unchanged: CliRun;
let requireRefused: CliRun;

beforeAll(async () => {
  work = await temporaryFolder('publish');
  archive = path.join(work, 'archive');
  source = path.join(work, 'sources', 'drought.md');
  git(work, 'init', '-q');
  await mkdir(path.dirname(source));
  await writeFile(source, await readFile(path.join(fixtures, 'v1.md')));
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'first draft');
  head = git(work, 'rev-parse', 'HEAD');
  const first = await runCli(
    ['publish', 'sources/drought.md', '--require-committed', '--note', 'First issue.'],
    work,
    ownBrowser,
  ); // v1: committed
  v1Before = await hashes(path.join(archive, 'drought', 'v1'));
  unchanged = await runCli(['publish', 'sources/drought.md'], work, ownBrowser); // the same source again
  await writeFile(source, await readFile(path.join(fixtures, 'v2.md')));
  requireRefused = await runCli(
    ['publish', 'sources/drought.md', '--require-committed'],
    work,
    ownBrowser,
  );
  const second = await runCli(
    ['publish', 'sources/drought.md', '--archive', 'archive'],
    work,
    ownBrowser,
  ); // v2: uncommitted edit
  published = [first, second];
}, 180_000);

describe('memo publish', () => {
  it('stores each publish as the next version, and says so', () => {
    published.forEach((run, index) => {
      expect(run.stdout).toBe(
        `published archive/drought/v${index + 1} (version ${index + 1}): memo.html, memo.pdf, source.md, manifest.json\n`,
      );
      expect(run.code).toBe(0);
    });
    expect(published[0]?.stderr).toBe('');
  });

  it('warns that a source with uncommitted changes is published, naming the file', () => {
    expect(published[1]?.stderr).toBe(
      `sources/drought.md:1:1: warning this file has changes not committed to git since commit ${head.slice(0, 7)}: ` +
        'the version records that, but no commit holds its source; commit it, or use --require-committed to refuse such a publish [archive-uncommitted]\n1 warning\n',
    );
  });

  it('refuses an uncommitted source with --require-committed, before printing anything', () => {
    expect(requireRefused.code).toBe(1);
    expect(requireRefused.stdout).toBe('');
    expect(requireRefused.stderr).toContain(
      `sources/drought.md:1:1: error this file has changes not committed to git since commit ${head.slice(0, 7)}, and --require-committed asks for a committed source; commit it (\`git commit sources/drought.md\`), then publish again [archive-uncommitted]`,
    );
    expect(requireRefused.stderr).toContain('sources/drought.md: not published');
  });

  it('refuses to publish bytes identical to the newest version: nothing new', () => {
    expect(unchanged.code).toBe(1);
    expect(unchanged.stdout).toBe('');
    expect(unchanged.stderr).toMatch(
      /^sources\/drought\.md:1:1: error nothing new to publish: the source, HTML and PDF are byte for byte version 1 \(published \d{4}-\d\d-\d\d \d\d:\d\d UTC\); change the memo, then publish again \[archive-unchanged\]\n/,
    );
  });

  it('keeps the --note in the manifest, and null without one', async () => {
    expect((await readManifestFile(path.join(archive, 'drought', 'v1'))).note).toBe('First issue.');
    expect((await readManifestFile(path.join(archive, 'drought', 'v2'))).note).toBeNull();
  });

  it('rejects an empty --note as bad usage', async () => {
    const run = await runCli(['publish', 'sources/drought.md', '--note', '  '], work, ownBrowser);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--note needs a text');
  });

  it('writes exactly the four files of a version, as the manifest describes them', async () => {
    expect(await entriesOf(archive)).toEqual(['drought', 'index.html', 'search', 'versions.json']);
    expect(await entriesOf(path.join(archive, 'drought'))).toEqual([
      'redline-v1-v2.html',
      'v1',
      'v2',
    ]);
    const folder = path.join(archive, 'drought', 'v1');
    expect(await entriesOf(folder)).toEqual([
      'manifest.json',
      'memo.html',
      'memo.pdf',
      'source.md',
    ]);
    const manifest = await readManifestFile(folder);
    expect(manifest).toMatchObject({
      format: 'memo-press-archive/2',
      slug: 'drought',
      version: 1,
      title: 'Drought Readiness Review',
      date: '2026-02-01',
      forced_reason: null,
      previous: null,
      tool: {
        name: 'memo-press',
        version: JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version,
      },
      source: {
        file: 'drought.md',
        git: { commit: head, path: 'sources/drought.md', uncommitted_changes: false },
      },
    });
    expect(manifest.chromium).toMatch(/^(Headless)?Chrome\/\d+\./);
    expect(Date.parse(manifest.published_at)).not.toBeNaN();
    expect(manifest.memo.recommendations.map((item) => item.status)).toEqual([
      'in-progress',
      'not-started',
      'stalled',
    ]);
    for (const name of ['memo.html', 'memo.pdf', 'source.md'] as const) {
      const bytes = await readFile(path.join(folder, name));
      expect(manifest.files[name]).toEqual({ sha256: sha256(bytes), bytes: bytes.byteLength });
    }
    expect(await readFile(path.join(folder, 'source.md'), 'utf8')).toBe(
      await readFile(path.join(fixtures, 'v1.md'), 'utf8'),
    );
  });

  it('never changes a published version, and chains each manifest to the one before', async () => {
    expect(await hashes(path.join(archive, 'drought', 'v1'))).toEqual(v1Before);
    const v2 = await readManifestFile(path.join(archive, 'drought', 'v2'));
    expect(v2.previous).toEqual({ version: 1, manifest_sha256: v1Before['manifest.json'] });
    expect(v2.title).toBe('Drought Readiness Review, Spring Update');
    expect(v2.source.git).toEqual({
      commit: head,
      path: 'sources/drought.md',
      uncommitted_changes: true,
    });
  });

  it('lists every version in a self-contained index, newest first, with working links', async () => {
    const html = await readFile(path.join(archive, 'index.html'), 'utf8');
    const tree = fromHtml(html);
    // The memo's own fonts, inlined; nothing fetched, no script.
    expect(html).not.toMatch(/\ssrc=|<link\b|<script|url\((?!data:font\/woff2;base64,)/);
    expect(html).toContain('font-family: "Source Sans 3"');
    const versions = selectAll('.version', tree);
    const text = (node: (typeof versions)[number] | undefined) =>
      toString(node ?? tree)
        .replace(/\s+/g, ' ')
        .trim();
    expect(versions.map((node) => text(selectAll('.version-title', node)[0]))).toEqual([
      'Version 2 Current',
      'Version 1: Drought Readiness Review',
    ]);
    expect(text(versions[0])).toContain('April 15, 2026');
    expect(text(versions[0])).toContain('In progress 1');
    expect(text(versions[0])).toContain('Achieved 1');
    // The change note, and the PDF's SHA-256: short, and in full in a selectable code element.
    expect(text(selectAll('.version-note', versions[1] ?? tree)[0])).toBe(
      'What changed: First issue.',
    );
    const pdfHash = sha256(await readFile(path.join(archive, 'drought', 'v1', 'memo.pdf')));
    expect(
      selectAll('.sha > code', versions[1] ?? tree).map((node) => [
        text(node),
        node.properties['title'],
      ]),
    ).toEqual([[pdfHash.slice(0, 12), pdfHash]]);
    expect(selectAll('code.sha-full', versions[1] ?? tree).map((node) => text(node))).toEqual([
      pdfHash,
    ]);
    const links = selectAll('a[href]', tree)
      .map((node) => String(node.properties['href']))
      .filter((href) => !href.startsWith('#'));
    expect(links).toEqual([
      'drought/v2/memo.html',
      'drought/v2/memo.pdf',
      'drought/redline-v1-v2.html',
      'drought/v1/memo.html',
      'drought/v1/memo.pdf',
    ]);
    for (const href of links)
      expect(
        (await readFile(path.join(archive, decodeURIComponent(href)))).byteLength,
      ).toBeGreaterThan(1000);
  });

  it('keeps a redline of each version against the one before, linked back to the index', async () => {
    const redline = fromHtml(
      await readFile(path.join(archive, 'drought', 'redline-v1-v2.html'), 'utf8'),
    );
    expect(toString(selectAll('h1', redline)[0] ?? redline)).toBe(
      'Drought Readiness Review, Spring Update',
    );
    expect(selectAll('.redline-back a', redline).map((node) => node.properties['href'])).toEqual([
      '../index.html',
    ]);
    expect(selectAll('ins', redline).length).toBeGreaterThan(0);
  });

  it('refuses a memo with errors, reporting them like build, and adds nothing', async () => {
    const broken = path.join(work, 'sources', 'broken.md');
    await writeFile(
      broken,
      await readFile(path.join(root, 'tests', 'fixtures', 'errors', 'impossible-date', 'input.md')),
    );
    const run = await runCli(['publish', 'sources/broken.md'], work, ownBrowser);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'sources/broken.md:5:7: error `date` must be a real date written YYYY-MM-DD',
    );
    expect(run.stderr).toContain('[frontmatter-date]');
    expect(run.stderr).toContain('sources/broken.md: not published');
    expect(run.stdout).toBe('');
    expect(await entriesOf(archive)).toEqual(['drought', 'index.html', 'search', 'versions.json']);
    expect(await entriesOf(path.join(archive, 'drought'))).toEqual([
      'redline-v1-v2.html',
      'v1',
      'v2',
    ]);
  });

  it('refuses a date older than the newest version, unless forced with a reason', async () => {
    await writeFile(
      source,
      (await readFile(source, 'utf8')).replace('date: 2026-04-15', 'date: 2026-03-01'),
    );
    const refused = await runCli(['publish', 'sources/drought.md'], work, ownBrowser);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'sources/drought.md:5:1: error `date` 2026-03-01 is older than the newest published version, v2 (dated 2026-04-15)',
    );
    expect(refused.stderr).toContain('--force "reason" [archive-date-older]');
    expect(await entriesOf(path.join(archive, 'drought'))).toEqual([
      'redline-v1-v2.html',
      'v1',
      'v2',
    ]);

    const forced = await runCli(
      ['publish', 'sources/drought.md', '--force', 'Corrects the March figures'],
      work,
      ownBrowser,
    );
    expect(forced.code).toBe(0);
    const v3 = await readManifestFile(path.join(archive, 'drought', 'v3'));
    expect(v3.forced_reason).toBe('Corrects the March figures');
    expect(v3.date).toBe('2026-03-01');
    expect(await readFile(path.join(archive, 'index.html'), 'utf8')).toContain(
      'Corrects the March figures',
    );
  }, 60_000);

  it('rejects --force without a reason as bad usage', async () => {
    const run = await runCli(['publish', 'sources/drought.md', '--force', ' '], work, ownBrowser);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--force needs a reason');
  });
});

describe('memo publish with a project config', () => {
  it('builds the memo with the config, as memo build does, into its archiveDir', async () => {
    const project = await temporaryFolder('config');
    const config = JSON.stringify({ organization: 'Council From Config', archiveDir: 'published' });
    await writeFile(path.join(project, 'memo.config.json'), config);
    const memo = (await readFile(path.join(fixtures, 'v1.md'), 'utf8')).replace(
      'organization: Basin Policy Council\n',
      '',
    );
    await writeFile(path.join(project, 'drought.md'), memo);
    const run = await runCli(['publish', 'drought.md'], project, ownBrowser);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('published published/drought/v1 (version 1)');
    const manifest = await readManifestFile(path.join(project, 'published', 'drought', 'v1'));
    expect(manifest.memo.organization).toBe('Council From Config');
    expect(manifest.config).toEqual({ file: 'memo.config.json', sha256: sha256(config) });
    expect(manifest.templates_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.source.git).toBeNull();
    const verified = await runCli(['verify'], project);
    expect(verified.stdout).toBe(
      'published: every version verified (1 memo, 1 version, 3 files re-hashed)\n',
    );
  }, 60_000);
});
