/**
 * archive/index.html: every memo, every version newest first, with its dates,
 * the status of its recommendations and relative links to its HTML and PDF.
 * Built from the manifests alone (no clock), rebuilt after each publish under
 * the archive's index lock and written atomically, so two publishes never
 * leave an index that misses one of them.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { STATUSES } from '../frontmatter/schema.js';
import { writeFileAtomic } from '../io/atomic.js';
import { STATUS_LABELS, displayDate } from '../render/create-view.js';
import {
  INDEX,
  INDEX_LOCK,
  MANIFEST,
  listSlugs,
  listVersions,
  versionFolder,
  versionName,
} from './layout.js';
import { withLock } from './lock.js';
import type { LockOptions } from './lock.js';
import { readManifest } from './manifest.js';
import type { Manifest } from './manifest.js';
import type { ArchiveTemplates } from './templates.js';

export interface ArchivedVersion {
  readonly slug: string;
  readonly version: number;
  readonly manifest: Manifest | undefined;
  /** Why the manifest cannot be used, when it cannot. */
  readonly problem: string | undefined;
}

/** "2026-03-15 14:05 UTC" from an ISO time. */
export function displayTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export async function readMemoVersions(archive: string, slug: string): Promise<ArchivedVersion[]> {
  const versions = await listVersions(archive, slug);
  return Promise.all(
    versions.map(async (version) => {
      const read = await readManifest(path.join(versionFolder(archive, slug, version), MANIFEST));
      return read.ok
        ? { slug, version, manifest: read.manifest, problem: undefined }
        : { slug, version, manifest: undefined, problem: read.problem };
    }),
  );
}

function statusCounts(manifest: Manifest) {
  return STATUSES.map((status) => ({
    status,
    label: STATUS_LABELS[status],
    count: manifest.memo.recommendations.filter((item) => item.status === status).length,
  })).filter((entry) => entry.count > 0);
}

function href(slug: string, version: number, file: string): string {
  return [slug, versionName(version), file].map(encodeURIComponent).join('/');
}

function versionView(entry: ArchivedVersion, memoTitle: string) {
  const { manifest } = entry;
  const links = {
    htmlHref: href(entry.slug, entry.version, 'memo.html'),
    pdfHref: href(entry.slug, entry.version, 'memo.pdf'),
  };
  if (manifest === undefined) {
    return {
      version: entry.version,
      title: memoTitle,
      titleChanged: false,
      problem: entry.problem ?? 'unreadable',
      ...links,
    };
  }
  return {
    version: entry.version,
    title: manifest.title,
    titleChanged: manifest.title !== memoTitle,
    problem: null,
    date: manifest.date,
    dateDisplay: displayDate(manifest.date, manifest.memo.lang),
    publishedAt: manifest.published_at,
    publishedDisplay: displayTime(manifest.published_at),
    statusCounts: statusCounts(manifest),
    forcedReason: manifest.forced_reason,
    ...links,
  };
}

export async function renderIndex(
  archive: string,
  templates: ArchiveTemplates,
  generator: string,
): Promise<string> {
  const memos = [];
  let versionCount = 0;
  for (const slug of await listSlugs(archive)) {
    const versions = (await readMemoVersions(archive, slug)).reverse();
    if (versions.length === 0) continue;
    versionCount += versions.length;
    const title = versions.find((entry) => entry.manifest !== undefined)?.manifest?.title ?? slug;
    memos.push({
      slug,
      title,
      versionCount: versions.length,
      oneVersion: versions.length === 1,
      versions: versions.map((entry) => versionView(entry, title)),
    });
  }
  return templates.render(
    'index',
    {
      generator,
      memos,
      memoCount: memos.length,
      oneMemo: memos.length === 1,
      versionCount,
      oneVersion: versionCount === 1,
    },
    templates.css.index,
  );
}

/** Rebuild `<archive>/index.html` from the archive as it is now. */
export async function writeIndex(
  archive: string,
  templates: ArchiveTemplates,
  generator: string,
  lock: LockOptions = {},
): Promise<void> {
  await withLock(path.join(archive, INDEX_LOCK), lock, async () => {
    // Temporary files of an index write that was killed (see io/atomic.ts).
    for (const name of await readdir(archive)) {
      if (/^\.index\.html\.[0-9a-f]+\.tmp$/.test(name))
        await rm(path.join(archive, name), { force: true });
    }
    await writeFileAtomic(
      path.join(archive, INDEX),
      await renderIndex(archive, templates, generator),
    );
  });
}
