/**
 * The bibliography as a project input: `memo check` names the .bib file in
 * its messages, the build cache rebuilds a memo when its .bib changes, and
 * `memo publish` stores the .bib in the version (listed in the manifest,
 * checked by `memo verify`), so the redline shows a changed citation.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMemos } from '../../pipeline/build.js';
import { ownBrowser, readManifestFile } from '../archive/helpers.js';
import { runCli } from '../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'citations');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'memo-citations-'));
  await cp(fixtures, path.join(work, 'sources'), { recursive: true });
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('memo check', () => {
  it('reports a broken .bib entry at its line in the .bib file', async () => {
    const run = await runCli(['check', 'sources/broken.md'], work);
    expect(run.stderr).toContain(
      'sources/broken.bib:7:1: error entry `okafor2019` is not closed before the next entry starts (line 13)',
    );
    expect(run.code).toBe(1);
  });

  it('reports an unknown key at its place in the memo, and entries never cited as warnings', async () => {
    const unknown = await runCli(['check', 'sources/unknown-key.md'], work);
    expect(unknown.stderr).toContain(
      'sources/unknown-key.md:11:20: error `@gao2012` is not in `sources.bib`; did you mean `gao2021`? [citation-unknown]',
    );
    expect(unknown.code).toBe(1);
    const unused = await runCli(['check', 'sources/apa.md'], work);
    expect(unused.stderr).toContain(
      'sources/apa.md:6:1: warning `sources.bib` has 2 entries this memo never cites: `brennan2020`, `crs2022`',
    );
  });
});

describe('a project-wide bibliography', () => {
  it('serves memos that name none, in the config’s style, with no unused-entry warning', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'memo-citations-config-'));
    try {
      await mkdir(path.join(project, 'sources'));
      await cp(path.join(fixtures, 'sources.bib'), path.join(project, 'sources', 'sources.bib'));
      const memo = await readFile(path.join(fixtures, 'no-bibliography.md'), 'utf8');
      await writeFile(path.join(project, 'sources', 'memo.md'), memo);
      await writeFile(
        path.join(project, 'memo.config.json'),
        JSON.stringify({ bibliography: 'sources.bib', csl: 'apa' }),
      );
      const run = await runCli(['check', 'sources/memo.md'], project);
      expect(run.stderr).toBe('1 memo checked: no problems\n');
      await runCli(['build', 'sources/memo.md', '--format', 'html'], project);
      const html = await readFile(path.join(project, 'out', 'memo', 'memo.html'), 'utf8');
      expect(html).toContain('Oversight is thin (U.S. Government Accountability Office, 2021).');
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the build cache', () => {
  it('rebuilds a memo when its bibliography changes, and only then', async () => {
    const options = { outDir: 'out', format: 'html' as const, cwd: work };
    const first = await buildMemos(['sources/notes.md'], options);
    expect(first.memos.map((memo) => [memo.ok, memo.cached === true])).toEqual([[true, false]]);
    const again = await buildMemos(['sources/notes.md'], options);
    expect(again.memos.map((memo) => memo.cached === true)).toEqual([true]);
    const bib = path.join(work, 'sources', 'sources.bib');
    const text = await readFile(bib, 'utf8');
    await writeFile(bib, text.replace('Urban Policy Press', 'Lakeshore University Press'));
    const changed = await buildMemos(['sources/notes.md'], options);
    expect(changed.memos.map((memo) => memo.cached === true)).toEqual([false]);
    const html = await readFile(path.join(work, 'out', 'notes', 'memo.html'), 'utf8');
    expect(html).toContain('Lakeshore University Press, 2019');
    await writeFile(bib, text);
  }, 120_000);
});

describe('memo publish and memo diff', () => {
  let archive: string;

  beforeAll(async () => {
    archive = path.join(work, 'archive');
    const published = await runCli(['publish', 'sources/notes.md'], work, ownBrowser);
    if (published.code !== 0) throw new Error(published.stderr);
    const bib = path.join(work, 'sources', 'sources.bib');
    const text = await readFile(bib, 'utf8');
    await writeFile(bib, text.replace('GAO-21-105', 'GAO-21-317'));
    const second = await runCli(['publish', 'sources/notes.md'], work, ownBrowser);
    await writeFile(bib, text);
    if (second.code !== 0) throw new Error(second.stderr);
  }, 240_000);

  it('stores the bibliography in the version folder and lists it in the manifest', async () => {
    const stored = await readFile(path.join(archive, 'notes', 'v1', 'bibliography.bib'), 'utf8');
    expect(stored).toContain('GAO-21-105');
    const manifest = await readManifestFile(path.join(archive, 'notes', 'v1'));
    expect(Object.keys(manifest.files).sort()).toEqual([
      'bibliography.bib',
      'memo.html',
      'memo.pdf',
      'source.md',
    ]);
    const verified = await runCli(['verify'], work);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
  });

  it('shows a changed citation in the redline', async () => {
    const run = await runCli(['diff', 'notes'], work);
    expect(run.code).toBe(0);
    const html = await readFile(path.join(work, 'out', 'notes', 'redline-v1-v2.html'), 'utf8');
    const tree = fromHtml(html);
    const text = (selector: string) =>
      selectAll(selector, tree).map((node) => toString(node).replace(/\s+/g, ' '));
    // The report number changed in the first note and in the Sources entry.
    expect(text('ins')).toEqual(['[inserted: 317]', '[inserted: 317]']);
    expect(text('del')).toEqual(['[deleted: 105]', '[deleted: 105]']);
    const changed = text('.block').filter((block) => block.includes('317'));
    expect(changed).toHaveLength(2);
    // The Sources entry (end of the body), then the note.
    expect(changed[0]).toMatch(/^U\.S\. Government Accountability Office\. Rail Transit:/);
    expect(changed[1]).toMatch(/^U\.S\. Government Accountability Office, Rail Transit:/);
  });
});
