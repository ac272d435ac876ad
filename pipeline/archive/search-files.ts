/**
 * The archive's full-text search, offline from the archive folder:
 *
 *     search/index.html    the search page (templates/archive/search.hbs)
 *     search/search.js     its script (templates/archive/search.js)
 *     search/minisearch.js MiniSearch's browser build, from the npm package
 *     search/documents.js  one document per published version: memo, version,
 *                          date, title, link and text (the manifest's text blocks)
 *
 * Scripts loaded with `<script src>` work from file:// (a fetched index or
 * WebAssembly, as Pagefind uses, would need a web server). Built from
 * versions.json and the manifests, no clock: publish writes these files and
 * verify rebuilds them and compares bytes, like the index.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { fontCssFor } from '../render/fonts.js';
import { displayDate } from '../render/create-view.js';
import { versionName } from './layout.js';
import { entriesFor } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { archiveFace } from './page-kit.js';
import type { ArchivePageKit } from './page-kit.js';
import { loadVersionInput } from './redline-files.js';

export const SEARCH_FILES = ['index.html', 'search.js', 'minisearch.js', 'documents.js'] as const;

/** MiniSearch's browser build, with its licence line, without its source map reference. */
export async function miniSearchScript(): Promise<string> {
  const require = createRequire(import.meta.url);
  // The package exports no package.json: its root is two folders above its CommonJS entry.
  const root = path.resolve(path.dirname(require.resolve('minisearch')), '..', '..');
  const [code, pkg] = await Promise.all([
    readFile(path.join(root, 'dist', 'umd', 'index.js'), 'utf8'),
    readFile(path.join(root, 'package.json'), 'utf8'),
  ]);
  const { version } = z.object({ version: z.string() }).parse(JSON.parse(pkg));
  const body = code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return `/*! MiniSearch ${version}, MIT License, Copyright (c) Luca Ongaro (npm package minisearch) */\n${body}`;
}

interface SearchDocument {
  readonly id: string;
  readonly slug: string;
  readonly version: number;
  readonly title: string;
  readonly date: string;
  readonly dateDisplay: string;
  readonly current: boolean;
  /** From search/index.html to the version's memo.html. */
  readonly href: string;
  readonly text: string;
}

async function documentsOf(
  archive: string,
  recorded: readonly LedgerEntry[],
): Promise<SearchDocument[]> {
  const documents: SearchDocument[] = [];
  for (const slug of [...new Set(recorded.map((entry) => entry.slug))].sort()) {
    const versions = [...entriesFor(recorded, slug).keys()].sort((a, b) => b - a);
    for (const version of versions) {
      // A version that cannot be read is not searchable: verify reports the version itself.
      const loaded = await loadVersionInput(archive, slug, version);
      if (!loaded.ok) continue;
      const { manifest, blocks } = loaded.input;
      const front = [manifest.memo.subtitle, manifest.memo.summary]
        .concat(manifest.memo.recommendations.map((item) => item.title))
        .filter((text): text is string => text !== null);
      documents.push({
        id: `${slug}/${versionName(version)}`,
        slug,
        version,
        title: manifest.title,
        date: manifest.date,
        dateDisplay: displayDate(manifest.date, manifest.memo.lang),
        current: version === versions[0],
        href: ['..', slug, versionName(version), 'memo.html'].map(encodeURIComponent).join('/'),
        text: [...front, ...blocks.map((block) => block.text)].join('\n'),
      });
    }
  }
  return documents;
}

/** The files of search/, by name: what publishing writes and verify expects. */
export async function renderSearchFiles(
  archive: string,
  kit: ArchivePageKit,
  recorded: readonly LedgerEntry[],
): Promise<Array<[string, string]>> {
  const documents = await documentsOf(archive, recorded);
  const memoCount = new Set(documents.map((document) => document.slug)).size;
  const data = {
    generator: kit.generator,
    versionCount: documents.length,
    oneVersion: documents.length === 1,
    memoCount,
    oneMemo: memoCount === 1,
  };
  const css = `${kit.templates.css.index}\n${kit.templates.css.search}`;
  const probe = kit.templates.render('search', data, css);
  const page = kit.templates.render(
    'search',
    data,
    `${fontCssFor(kit.fonts, probe, archiveFace)}\n${css}`,
  );
  // JSON is a JavaScript expression: the memo text is data, never code.
  const documentsJs = `globalThis.memoSearchDocuments = ${JSON.stringify(documents)};\n`;
  return [
    ['index.html', page],
    ['search.js', kit.templates.searchScript],
    ['minisearch.js', await miniSearchScript()],
    ['documents.js', documentsJs],
  ];
}
