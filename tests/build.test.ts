/**
 * The samples, built end to end by the real pipeline and real Chromium, checked
 * the way a reader would: the PDF's text, pages, metadata, tags and bookmarks,
 * and the HTML's structure and links.
 */
import { cp, mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMemo } from './archive/helpers.js';
import { runCli } from './helpers/cli.js';
import type { CliRun } from './helpers/cli.js';
import { compileFile } from './helpers/compile-fixture.js';
import { pageTexts, readCatalog, readInfo } from './helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..');
const samples = (await readdir(path.join(root, 'sources')))
  .filter((name) => name.endsWith('.md'))
  .sort();
// Source Serif maps its apostrophe glyph to U+02BC in the PDF's ToUnicode table.
const flat = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/\u02BC/g, '\u2019')
    .trim();

let out: string;
let run: CliRun;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'memo-build-'));
  run = await runCli(['build', 'sources', '--out', out], root);
});

describe('memo build on the samples', () => {
  it('builds every sample and exits 0', () => {
    expect(run.stderr).toContain(`${samples.length} memos built, 0 failed`);
    expect(run.code).toBe(0);
  });

  it('passes `memo audit` (PDF/A-2u and PDF/UA-1 identification, tags, links, fonts, safety)', async () => {
    const audited = await runCli(['audit', out], root);
    expect(audited.stderr).toBe('');
    expect(audited.stdout).toContain(`audit passed (${samples.length} PDFs and`);
    expect(audited.code).toBe(0);
  });

  describe.each(samples)('%s', (name) => {
    const slug = name.replace(/\.md$/, '');
    let pdf: Uint8Array;
    let pages: string[];
    let view: NonNullable<Awaited<ReturnType<typeof compileFile>>['view']>;

    beforeAll(async () => {
      pdf = new Uint8Array(await readFile(path.join(out, slug, 'memo.pdf')));
      pages = (await pageTexts(pdf)).map(flat);
      const compiled = await compileFile(path.join(root, 'sources', name));
      if (compiled.view === undefined) throw new Error(compiled.report);
      view = compiled.view;
    });

    it('prints the title, distribution, notes and appendix as real text', () => {
      const all = pages.join(' ');
      expect(all).toContain(flat(view.title));
      for (const recipient of view.distribution) expect(all).toContain(flat(recipient));
      const notes = selectAll('li', fromHtml(view.notesHtml, { fragment: true }));
      expect(notes.length).toBeGreaterThan(0);
      for (const note of notes) expect(all).toContain(flat(toString(note).replace('↩', '')));
      for (const recommendation of view.recommendations) {
        expect(all).toContain(flat(recommendation.title));
        expect(all).toContain(recommendation.statusLabel);
      }
    });

    it('numbers its pages "Page X of Y" and starts the appendix on a page of its own', () => {
      pages.forEach((text, index) =>
        expect(text).toContain(`Page ${index + 1} of ${pages.length}`),
      );
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const heading = new RegExp(`${flat(view.recommendationsTitle)} Recommendation 1 `, 'i');
      const appendixPage = pages.findIndex((text) => heading.test(text));
      expect(appendixPage).toBeGreaterThan(0);
      // The distribution list comes right before the appendix, on an earlier page.
      expect(pages[appendixPage]).not.toContain(view.distribution.at(-1));
      expect(pages[appendixPage - 1]).toContain(view.distribution.at(-1));
    });

    it('prints the classification at the top and bottom of every page', () => {
      const marking = view.classification;
      expect(marking).not.toBeNull();
      for (const text of pages)
        expect(text.split(marking ?? '').length - 1).toBeGreaterThanOrEqual(2);
    });

    it('carries metadata, language, tags and bookmarks', async () => {
      const info = await readInfo(pdf);
      expect(info.title).toBe(view.title);
      expect(info.author).toBe(view.byline);
      expect(info.subject).toBe(view.summary ?? view.title);
      expect(info.keywords).toContain(view.organization);
      expect(info.creationDate?.toISOString().slice(0, 10)).toBe(view.date);
      const catalog = await readCatalog(pdf);
      expect(catalog.lang).toBe(view.lang);
      expect(catalog.marked).toBe(true);
      expect(catalog.hasStructTreeRoot).toBe(true);
      expect(catalog.displayDocTitle).toBe(true);
      // Notes at the foot of their pages (the default) leave no Notes section to bookmark.
      if (view.notes === 'footnotes') expect(catalog.outlineTitles).not.toContain('Notes');
      else expect(catalog.outlineTitles).toContain('Notes');
      expect(catalog.outlineTitles).toContain('Distribution');
      expect(catalog.outlineTitles).toContain(view.recommendationsTitle);
      expect(catalog.outlineTitles.length).toBeGreaterThanOrEqual(5);
    });

    it('writes valid, self-contained HTML whose internal links all resolve', async () => {
      const html = await readFile(path.join(out, slug, 'memo.html'), 'utf8');
      const tree = fromHtml(html);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(selectAll('html[lang]', tree)).toHaveLength(1);
      expect(toString(selectAll('title', tree)[0] ?? tree)).toBe(view.title);
      expect(selectAll('h1', tree)).toHaveLength(1);
      const ids = new Set(selectAll('[id]', tree).map((node) => String(node.properties['id'])));
      const fragments = selectAll('a[href^="#"]', tree).map((node) =>
        String(node.properties['href']).slice(1),
      );
      expect(fragments.length).toBeGreaterThan(5);
      for (const fragment of fragments)
        expect(ids, `#${fragment}`).toContain(decodeURIComponent(fragment));
      expect(selectAll('a.rec-ref', tree).length).toBeGreaterThan(0);
      // Nothing is fetched when the file is opened: every resource is a data: URL.
      expect(html).not.toMatch(/\ssrc="(?!data:)|<link\b|url\((?!["']?data:)/);
    });
  });
});

describe('a batch with a broken memo', () => {
  it('builds the good memos, writes nothing for the broken one, and exits 1', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-batch-'));
    await cp(
      path.join(root, 'tests', 'fixtures', 'body', 'features.md'),
      path.join(folder, 'good.md'),
    );
    await cp(
      path.join(root, 'tests', 'fixtures', 'errors', 'impossible-date', 'input.md'),
      path.join(folder, 'bad.md'),
    );
    const result = await runCli(['build', '.', '--out', 'out', '--format', 'html'], folder);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'bad.md:5:7: error `date` must be a real date written YYYY-MM-DD, such as 2026-03-15; got `2021-13-45` [frontmatter-date]',
    );
    expect(result.stderr).toContain('1 memo built, 1 failed');
    // `.memo-cache` holds the build cache's entries.
    expect(
      (await readdir(path.join(folder, 'out'))).filter((name) => !name.startsWith('.')),
    ).toEqual(['good']);
    expect(await readdir(path.join(folder, 'out', 'good'))).toEqual(['memo.html']);
  });

  it('reports a path that does not exist', async () => {
    const result = await runCli(['build', 'no-such-memo.md', '--format', 'html'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no-such-memo.md:1:1: error no such file, or a folder with no `.md` memo in it [source-missing]',
    );
  });

  it('rejects bad usage with exit code 2', async () => {
    const result = await runCli(['build', '--format', 'html,rtf'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--format takes html, pdf, docx, both, or several of them with commas; got `rtf`',
    );
  });
});

describe('a TMPDIR too deep for Chromium’s socket', () => {
  it('prints all the same, with the browser’s folder elsewhere, and leaves nothing behind', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-deep-tmp-'));
    const deep = path.join(folder, 'a-temporary-folder-far-too-deep-for-a-unix-socket');
    await mkdir(deep, { recursive: true });
    const memo = path.join(folder, 'memo.md');
    await cp(path.join(root, 'tests', 'fixtures', 'body', 'features.md'), memo);
    // The real command, whose own TMPDIR is deep; the full browser opens the socket.
    const out = path.join(folder, 'out');
    const result = await runMemo(['build', memo, '--out', out, '--format', 'pdf'], {
      TMPDIR: deep,
      MEMO_CHROMIUM: '/usr/bin/chromium',
    });
    expect(result.stderr).toContain('1 memo built, 0 failed');
    expect(result.code).toBe(0);
    const pdf = new Uint8Array(await readFile(path.join(out, 'memo', 'memo.pdf')));
    expect((await pageTexts(pdf)).join('\n')).not.toBe('');
    expect(await readdir(deep)).toEqual([]);
  });
});
