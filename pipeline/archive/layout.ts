/**
 * Where things live in an archive, and how its folder names are read.
 *
 *     <archive>/index.html                  every memo, every version
 *     <archive>/versions.json               every published version and its manifest's SHA-256
 *     <archive>/.index.lock                 held while index.html is rebuilt
 *     <archive>/<slug>/.lock                held while a version is added
 *     <archive>/<slug>/.tmp-<random>/       a version being written (never listed)
 *     <archive>/<slug>/v<N>/memo.pdf, memo.html, source.md, manifest.json (+ memo.docx…)
 *                           (+ bibliography.bib or .json when the memo cites one)
 *     <archive>/<slug>/redline-v<N-1>-v<N>.html                        (redline-files.ts)
 *     <archive>/series/<series>/index.html, tracker.json, tracker.csv   (series-files.ts)
 *     <archive>/search/index.html, search.js, minisearch.js, documents.js (search-files.ts)
 *
 * Nothing else: every one of these is a regular file or a real folder (never
 * a symbolic link), which `memo verify` checks and `memo publish` relies on.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isSafeSlug } from '../io/sources.js';

export const MANIFEST = 'manifest.json';
/** The files every version has besides its manifest, in the order they are written. */
export const VERSION_FILES = ['memo.html', 'memo.pdf', 'source.md'] as const;
/** The output formats every version has (the index links them); `memo publish --format` adds others. */
export const ALWAYS_ARCHIVED: readonly string[] = ['html', 'pdf'];
export type VersionFileName = (typeof VERSION_FILES)[number];
/** The memo's bibliography, when it cites one (citations), under a fixed name by its kind. */
export const BIBLIOGRAPHY_FILES = ['bibliography.bib', 'bibliography.json'] as const;
export type BibliographyFileName = (typeof BIBLIOGRAPHY_FILES)[number];

/** The longest `memo publish --note`: a change note, not a memo. */
export const MAX_NOTE_CHARS = 2000;

export const INDEX = 'index.html';
export const LEDGER = 'versions.json';
export const MEMO_LOCK = '.lock';
export const INDEX_LOCK = '.index.lock';
export const TEMP_PREFIX = '.tmp-';
/** The folder of the series pages: a name no memo may have. */
export const SERIES_DIR = 'series';
/** The folder of the archive's search page and its index (search-files.ts): a name no memo may have. */
export const SEARCH_DIR = 'search';
/** Names of the archive's own folders, which no memo may have. */
export const RESERVED_NAMES: readonly string[] = [SERIES_DIR, SEARCH_DIR];

const VERSION_NAME = /^v([1-9][0-9]{0,8})$/;

/** A slug that is safe as one folder name: the same rule as every command's (io/sources.ts). */
export function isArchivableSlug(slug: string): boolean {
  return isSafeSlug(slug) && !RESERVED_NAMES.includes(slug);
}

export function versionName(version: number): string {
  return `v${version}`;
}

/** 3 for "v3"; undefined for anything else ("v03", "v0", "x"). */
export function parseVersionName(name: string): number | undefined {
  const match = VERSION_NAME.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** "v3", "3" → 3 (command-line form); undefined when it is neither. */
export function parseVersionArgument(text: string): number | undefined {
  return parseVersionName(text.startsWith('v') ? text : `v${text}`);
}

export function memoFolder(archive: string, slug: string): string {
  return path.join(archive, slug);
}

export function versionFolder(archive: string, slug: string, version: number): string {
  return path.join(archive, slug, versionName(version));
}

async function entriesOf(folder: string) {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** The version numbers present in `<archive>/<slug>/`, ascending. */
export async function listVersions(archive: string, slug: string): Promise<number[]> {
  const versions: number[] = [];
  for (const entry of await entriesOf(memoFolder(archive, slug))) {
    const version = entry.isDirectory() ? parseVersionName(entry.name) : undefined;
    if (version !== undefined) versions.push(version);
  }
  return versions.sort((a, b) => a - b);
}

/** The memo folders of the archive (visible directories), sorted by slug. */
export async function listSlugs(archive: string): Promise<string[]> {
  return (await entriesOf(archive))
    .filter(
      (entry) =>
        entry.isDirectory() && !entry.name.startsWith('.') && !RESERVED_NAMES.includes(entry.name),
    )
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
