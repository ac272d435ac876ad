/**
 * archive/index.html: every memo, every version newest first, with its dates,
 * who approved it (or "not approved"), the status of its recommendations and relative links to its HTML and PDF.
 * Built from versions.json (which versions), the manifests (what they are)
 * and approvals.json alone, no clock, so `memo verify` rebuilds it and compares bytes.
 * Rebuilt after each publish under the archive's index lock, together with
 * versions.json, so two publishes never leave an index that misses one of them.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { STATUSES } from '../frontmatter/schema.js';
import { writeFilesAtomic } from '../io/atomic.js';
import { STATUS_LABELS, displayDate } from '../render/create-view.js';
import { toolVersion } from '../version.js';
import {
  INDEX,
  INDEX_LOCK,
  LEDGER,
  MANIFEST,
  listVersions,
  versionFolder,
  versionName,
} from './layout.js';
import { withLock } from './lock.js';
import type { LockOptions } from './lock.js';
import { ArchiveStateError } from './errors.js';
import { entriesFor, readLedger, serializeLedger } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { readManifest } from './manifest.js';
import type { Manifest } from './manifest.js';
import { recordedSeriesMemos, renderSeriesFiles, writeSeriesFiles } from './series-files.js';
import type { ArchiveTemplates } from './templates.js';
import { approvalsByVersion } from './distribution/approvals.js';
import { seriesNames } from './tracker.js';

export interface ArchivedVersion {
  readonly slug: string;
  readonly version: number;
  readonly manifest: Manifest | undefined;
  /** Why the manifest cannot be used, when it cannot. */
  readonly problem: string | undefined;
}

/** Who built the index (its `<meta name="generator">` and footer). */
export function indexGenerator(): string {
  return `memo-press ${toolVersion()}`;
}

/** "2026-03-15 14:05 UTC" from an ISO time. */
export function displayTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export async function readMemoVersions(
  archive: string,
  slug: string,
  versions?: readonly number[],
): Promise<ArchivedVersion[]> {
  const numbers = versions ?? (await listVersions(archive, slug));
  return Promise.all(
    numbers.map(async (version) => {
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

function versionView(entry: ArchivedVersion, memoTitle: string, approvedBy: readonly string[]) {
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
    approvedBy: approvedBy.join(', '),
    ...links,
  };
}

/** The index of the versions `recorded` in versions.json (their manifests read from their folders). */
export async function renderIndex(
  archive: string,
  templates: ArchiveTemplates,
  generator: string,
  recorded: readonly LedgerEntry[],
): Promise<string> {
  const memos = [];
  let versionCount = 0;
  const slugs = [...new Set(recorded.map((entry) => entry.slug))].sort();
  for (const slug of slugs) {
    const numbers = [...entriesFor(recorded, slug).keys()].sort((a, b) => a - b);
    const versions = (await readMemoVersions(archive, slug, numbers)).reverse();
    versionCount += versions.length;
    const title = versions.find((entry) => entry.manifest !== undefined)?.manifest?.title ?? slug;
    const approvals = await approvalsByVersion(archive, slug);
    memos.push({
      slug,
      title,
      versionCount: versions.length,
      oneVersion: versions.length === 1,
      versions: versions.map((entry) =>
        versionView(
          entry,
          title,
          (approvals.get(entry.version) ?? []).map((approval) => approval.by),
        ),
      ),
    });
  }
  const series = seriesNames((await recordedSeriesMemos(archive, recorded)).memos).map((name) => ({
    name,
    href: ['series', encodeURIComponent(name), 'index.html'].join('/'),
  }));
  return templates.render(
    'index',
    {
      generator,
      series,
      memos,
      memoCount: memos.length,
      oneMemo: memos.length === 1,
      versionCount,
      oneVersion: versionCount === 1,
    },
    templates.css.index,
  );
}

/** Temporary files of an index write that was killed (see io/atomic.ts). */
const STRAY_TEMP = /^\.(?:index\.html|versions\.json)\.[0-9a-f]{12}\.tmp$/;

export function isStrayIndexTemp(name: string): boolean {
  return STRAY_TEMP.test(name);
}

/**
 * Add `added` to versions.json and rebuild index.html from it, holding the
 * archive's index lock; both files are written together (io/atomic.ts). Throws
 * when versions.json cannot be read, or already records one of these
 * versions with another manifest.
 */
export async function recordVersions(
  archive: string,
  added: readonly LedgerEntry[],
  templates: ArchiveTemplates,
  generator: string,
  lock: LockOptions = {},
): Promise<void> {
  await withLock(path.join(archive, INDEX_LOCK), lock, async () => {
    for (const name of await readdir(archive)) {
      if (isStrayIndexTemp(name)) await rm(path.join(archive, name), { force: true });
    }
    const ledger = await readLedger(archive);
    if (!ledger.ok) throw new ArchiveStateError(`${ledger.problem}; run \`memo verify\``);
    const entries = [...ledger.entries];
    for (const entry of added) {
      const known = entriesFor(entries, entry.slug).get(entry.version);
      if (known === entry.manifest_sha256) continue;
      if (known !== undefined) {
        throw new ArchiveStateError(
          `${LEDGER} already records ${entry.slug}/${versionName(entry.version)} with another manifest; run \`memo verify\``,
        );
      }
      entries.push(entry);
    }
    const index = await renderIndex(archive, templates, generator, entries);
    await writeFilesAtomic(archive, [
      [LEDGER, serializeLedger(entries)],
      [INDEX, index],
    ]);
    // After the ledger: an interrupted write leaves series pages `memo verify` reports and the next publish rewrites.
    await writeSeriesFiles(
      archive,
      await renderSeriesFiles(archive, templates, generator, entries),
    );
  });
}
