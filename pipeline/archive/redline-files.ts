/**
 * The archive's redline pages: `<slug>/redline-v<N-1>-v<N>.html`, each
 * version against the one before, linked from the index. Built from the two
 * manifests (and, for versions published before manifests kept their text
 * blocks, from their memo.html) with no clock, so `memo publish` writes them
 * and `memo verify` rebuilds them and compares bytes, like the index.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFilesAtomic } from '../io/atomic.js';
import { fontCssFor } from '../render/fonts.js';
import { MANIFEST, memoFolder, versionFolder } from './layout.js';
import { entriesFor } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { readManifest, sha256Hex } from './manifest.js';
import { buildRedline, renderRedline } from './redline.js';
import type { VersionInput } from './redline.js';
import { NotRegularError, readRegular } from './safe-read.js';
import type { ArchivePageKit } from './page-kit.js';
import { textBlocks } from './text-blocks.js';

/** A memo.html with every image inlined (at most 20 MB of images, base64) and 4 MB of text. */
const MAX_HTML_BYTES = 256 * 1024 * 1024;

const REDLINE_NAME = /^redline-v([1-9][0-9]{0,8})-v([1-9][0-9]{0,8})\.html$/;
/** Temporary files of a redline write that was killed (see io/atomic.ts). */
const STRAY_TEMP = /^\.redline-v[0-9]+-v[0-9]+\.html\.[0-9a-f]{12}\.tmp$/;

/** `redline-v1-v2.html`: version `to` against version `from`. */
export function redlineName(from: number, to: number): string {
  return `redline-v${from}-v${to}.html`;
}

/** Whether `name` is a redline page's name (which one the archive expects is up to versions.json). */
export function isRedlineName(name: string): boolean {
  return REDLINE_NAME.test(name);
}

export function isStrayRedlineTemp(name: string): boolean {
  return STRAY_TEMP.test(name);
}

export type LoadedVersion =
  | { readonly ok: true; readonly input: VersionInput }
  | { readonly ok: false; readonly problem: string; readonly rule: string };

/**
 * A version's manifest and text blocks. Its memo.html is read (and checked
 * against the manifest) when the manifest has no blocks, or `checkHtml` asks.
 */
export async function loadVersionInput(
  archive: string,
  slug: string,
  version: number,
  checkHtml = false,
): Promise<LoadedVersion> {
  const folder = versionFolder(archive, slug, version);
  const read = await readManifest(path.join(folder, MANIFEST));
  if (!read.ok)
    return { ok: false, problem: `${read.problem}; run \`memo verify\``, rule: 'archive-manifest' };
  if (read.manifest.memo.blocks !== undefined && !checkHtml)
    return { ok: true, input: { manifest: read.manifest, blocks: read.manifest.memo.blocks } };
  let html: Uint8Array;
  try {
    // Never through a link, never a pipe or a device (safe-read.ts).
    html = await readRegular(path.join(folder, 'memo.html'), MAX_HTML_BYTES);
  } catch (error) {
    const problem = error instanceof NotRegularError ? error.message : 'is missing';
    return {
      ok: false,
      problem: `its memo.html ${problem}; run \`memo verify\``,
      rule: 'archive-missing',
    };
  }
  if (sha256Hex(html) !== read.manifest.files['memo.html'].sha256) {
    return {
      ok: false,
      problem: 'its memo.html changed since it was published; run `memo verify`',
      rule: 'archive-changed',
    };
  }
  // Versions published before the manifest stored the blocks: read from memo.html.
  const blocks = read.manifest.memo.blocks ?? textBlocks(new TextDecoder().decode(html));
  return { ok: true, input: { manifest: read.manifest, blocks } };
}

/** One redline page, with only the font faces its text needs (as the memo's own page). */
export function renderRedlinePage(
  a: VersionInput,
  b: VersionInput,
  kit: ArchivePageKit,
  indexHref: string | null,
): string {
  const redline = buildRedline(a, b, kit.generator, indexHref);
  const paper = b.manifest.memo.paper;
  const probe = renderRedline(redline, paper, kit.templates, '');
  return renderRedline(redline, paper, kit.templates, fontCssFor(kit.fonts, probe));
}

/** Every memo's redline pages (or those of `only`), by slug: what publishing writes and verify expects. */
export async function renderRedlineFiles(
  archive: string,
  kit: ArchivePageKit,
  recorded: readonly LedgerEntry[],
  only?: ReadonlySet<string>,
): Promise<Map<string, Array<[string, string]>>> {
  const files = new Map<string, Array<[string, string]>>();
  for (const slug of [...new Set(recorded.map((entry) => entry.slug))].sort()) {
    if (only !== undefined && !only.has(slug)) continue;
    const versions = [...entriesFor(recorded, slug).keys()].sort((a, b) => a - b);
    const pages: Array<[string, string]> = [];
    let previous: LoadedVersion | undefined;
    for (const [position, version] of versions.entries()) {
      const current = await loadVersionInput(archive, slug, version);
      const before = versions[position - 1];
      // A version that cannot be read has no redline: verify reports the version itself.
      if (before !== undefined && previous?.ok === true && current.ok) {
        pages.push([
          redlineName(before, version),
          renderRedlinePage(previous.input, current.input, kit, '../index.html'),
        ]);
      }
      previous = current;
    }
    files.set(slug, pages);
  }
  return files;
}

/**
 * The memos whose redlines a publish rewrites: those it adds versions to, and
 * any with a redline page missing. (Each page costs about 0.1 s to make; the
 * others were written by an earlier publish, and `memo verify` checks them all.)
 */
export async function redlinesToWrite(
  archive: string,
  recorded: readonly LedgerEntry[],
  added: readonly LedgerEntry[],
): Promise<Set<string>> {
  const slugs = new Set(added.map((entry) => entry.slug));
  for (const slug of new Set(recorded.map((entry) => entry.slug))) {
    if (slugs.has(slug)) continue;
    const versions = [...entriesFor(recorded, slug).keys()].sort((a, b) => a - b);
    const present = new Set(await readdir(memoFolder(archive, slug)).catch(() => []));
    const missing = versions.some(
      (version, position) =>
        position > 0 && !present.has(redlineName(versions[position - 1] ?? 0, version)),
    );
    if (missing) slugs.add(slug);
  }
  return slugs;
}

/** Write the redline pages that changed or are new; remove stray temporaries and pages no longer called for. */
export async function writeRedlineFiles(
  archive: string,
  files: ReadonlyMap<string, ReadonlyArray<readonly [string, string]>>,
): Promise<void> {
  for (const [slug, pages] of files) {
    const folder = memoFolder(archive, slug);
    const wanted = new Set(pages.map(([name]) => name));
    for (const name of await readdir(folder)) {
      if (isStrayRedlineTemp(name) || (isRedlineName(name) && !wanted.has(name)))
        await rm(path.join(folder, name), { force: true });
    }
    const changed = [];
    for (const [name, html] of pages) {
      const existing = await readRegular(path.join(folder, name), MAX_HTML_BYTES).catch(
        () => undefined,
      );
      if (existing === undefined || !Buffer.from(existing).equals(Buffer.from(html, 'utf8')))
        changed.push([name, html] as const);
    }
    if (changed.length > 0) await writeFilesAtomic(folder, changed);
  }
}
