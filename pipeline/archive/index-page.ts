/**
 * archive/index.html: every memo, every version newest first, with its dates,
 * the status of its recommendations and relative links to its HTML and PDF.
 * Built from versions.json (which versions) and the manifests (what they
 * are) alone, no clock, so `memo verify` rebuilds it and compares bytes.
 * Rebuilt after each publish under the archive's index lock, together with
 * versions.json, so two publishes never leave an index that misses one of them.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { STATUSES } from '../frontmatter/schema.js';
import { writeFilesAtomic } from '../io/atomic.js';
import { STATUS_LABELS, displayDate } from '../render/create-view.js';
import { fontCssFor, loadFonts } from '../render/fonts.js';
import { toolVersion } from '../version.js';
import {
  INDEX,
  INDEX_LOCK,
  SEARCH_DIR,
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
import {
  redlineName,
  redlinesToWrite,
  renderRedlineFiles,
  writeRedlineFiles,
} from './redline-files.js';
import { archiveFace } from './page-kit.js';
import type { ArchivePageKit } from './page-kit.js';
import { renderSearchFiles } from './search-files.js';
import { renderSeriesFiles, writeSeriesFiles } from './series-files.js';
import { loadArchiveTemplates } from './templates.js';
import { displayTime } from './display-time.js';
import { approvalsByVersion } from './distribution/approvals.js';
import type { Approval } from './distribution/approvals.js';

export interface ArchivedVersion {
  readonly slug: string;
  readonly version: number;
  readonly manifest: Manifest | undefined;
  /** Why the manifest cannot be used, when it cannot. */
  readonly problem: string | undefined;
}

/** What the index is made with (the archive pages' kit). */
export type IndexKit = ArchivePageKit;

/** The first 12 hex digits: enough to tell versions apart and to find one, short enough to read out. */
const SHORT_SHA = 12;

/** Who built the index (its `<meta name="generator">` and footer). */
export function indexGenerator(): string {
  return `memo-press ${toolVersion()}`;
}

/** The templates, fonts and generator of the archive's pages, as publish and verify use them. */
export async function loadIndexKit(): Promise<IndexKit> {
  const [templates, fonts] = await Promise.all([loadArchiveTemplates(), loadFonts()]);
  return {
    templates,
    fonts,
    generator: indexGenerator(),
  };
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

function versionView(
  entry: ArchivedVersion,
  memoTitle: string,
  previous: number | undefined,
  current: boolean,
  approvals: readonly Approval[],
) {
  const { manifest } = entry;
  const links = {
    htmlHref: href(entry.slug, entry.version, 'memo.html'),
    pdfHref: href(entry.slug, entry.version, 'memo.pdf'),
    redlineHref:
      previous === undefined
        ? null
        : [entry.slug, redlineName(previous, entry.version)].map(encodeURIComponent).join('/'),
    previous: previous ?? null,
  };
  if (manifest === undefined) {
    return {
      version: entry.version,
      current,
      title: memoTitle,
      titleChanged: false,
      problem: entry.problem ?? 'unreadable',
      ...links,
    };
  }
  const pdfSha = manifest.files['memo.pdf'].sha256;
  return {
    version: entry.version,
    current,
    // Formats published besides HTML and PDF (`memo publish --format docx`).
    docxHref: 'memo.docx' in manifest.files ? href(entry.slug, entry.version, 'memo.docx') : null,
    title: manifest.title,
    titleChanged: manifest.title !== memoTitle,
    problem: null,
    date: manifest.date,
    dateDisplay: displayDate(manifest.date, manifest.memo.lang),
    publishedAt: manifest.published_at,
    publishedDisplay: displayTime(manifest.published_at),
    statusCounts: statusCounts(manifest),
    forcedReason: manifest.forced_reason,
    note: manifest.note ?? null,
    pdfSha,
    pdfShaShort: pdfSha.slice(0, SHORT_SHA),
    approvedBy: approvals.map((approval) => approval.by).join(', '),
    ...links,
  };
}

type MemoEntry = Awaited<ReturnType<typeof memoView>>;

async function memoView(archive: string, slug: string, recorded: readonly LedgerEntry[]) {
  const numbers = [...entriesFor(recorded, slug).keys()].sort((a, b) => a - b);
  const versions = (await readMemoVersions(archive, slug, numbers)).reverse();
  const newest = versions.find((entry) => entry.manifest !== undefined)?.manifest;
  const title = newest?.title ?? slug;
  const approvals = await approvalsByVersion(archive, slug);
  return {
    slug,
    title,
    series: newest?.memo.series ?? null,
    date: newest?.date ?? '',
    versionCount: versions.length,
    oneVersion: versions.length === 1,
    versions: versions.map((entry, position) =>
      versionView(
        entry,
        title,
        versions[position + 1]?.version,
        position === 0,
        approvals.get(entry.version) ?? [],
      ),
    ),
  };
}

interface MemoGroup {
  /** null: the memos of no series. */
  readonly series: string | null;
  readonly id: string;
  readonly seriesHref: string | null;
  readonly memos: readonly MemoEntry[];
}

/** Memos by series (series by name, their memos oldest first), then the memos of no series. */
function groupBySeries(memos: readonly MemoEntry[]): MemoGroup[] {
  const names = [...new Set(memos.flatMap((memo) => (memo.series === null ? [] : [memo.series])))];
  names.sort();
  const groups: MemoGroup[] = names.map((name) => ({
    series: name,
    id: `series-${name}`,
    seriesHref: ['series', encodeURIComponent(name), 'index.html'].join('/'),
    memos: memos
      .filter((memo) => memo.series === name)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.slug < b.slug ? -1 : 1)),
  }));
  const loose = memos.filter((memo) => memo.series === null);
  if (loose.length > 0) groups.push({ series: null, id: 'memos', seriesHref: null, memos: loose });
  return groups;
}

/** The index of the versions `recorded` in versions.json (their manifests read from their folders). */
export async function renderIndex(
  archive: string,
  kit: IndexKit,
  recorded: readonly LedgerEntry[],
): Promise<string> {
  const slugs = [...new Set(recorded.map((entry) => entry.slug))].sort();
  const memos = await Promise.all(slugs.map((slug) => memoView(archive, slug, recorded)));
  const versionCount = memos.reduce((sum, memo) => sum + memo.versionCount, 0);
  const groups = groupBySeries(memos);
  const data = {
    generator: kit.generator,
    groups,
    grouped: groups.some((group) => group.series !== null),
    hasMemos: memos.length > 0,
    searchHref: `${SEARCH_DIR}/index.html`,
    memoCount: memos.length,
    oneMemo: memos.length === 1,
    versionCount,
    oneVersion: versionCount === 1,
  };
  const probe = kit.templates.render('index', data, kit.templates.css.index);
  const fonts = fontCssFor(kit.fonts, probe, archiveFace);
  return kit.templates.render('index', data, `${fonts}\n${kit.templates.css.index}`);
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
  kit: IndexKit,
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
    // Every page is made before anything is written: a page that cannot be made
    // fails the publish while versions.json still does not record it.
    const index = await renderIndex(archive, kit, entries);
    const series = await renderSeriesFiles(archive, kit, entries);
    // A repair (nothing added) rewrites every redline; a publish those of its memo (and missing ones).
    const redlines = await renderRedlineFiles(
      archive,
      kit,
      entries,
      added.length === 0 ? undefined : await redlinesToWrite(archive, entries, added),
    );
    const search = await renderSearchFiles(archive, kit, entries);
    await writeFilesAtomic(archive, [
      [LEDGER, serializeLedger(entries)],
      [INDEX, index],
    ]);
    // After the ledger: an interrupted write leaves derived pages `memo verify` reports and `--repair` rewrites.
    await writeSeriesFiles(archive, series);
    await writeRedlineFiles(archive, redlines);
    const searchFolder = path.join(archive, SEARCH_DIR);
    for (const name of await readdir(searchFolder).catch(() => [])) {
      if (/^\..*\.tmp$/.test(name)) await rm(path.join(searchFolder, name), { force: true });
    }
    await writeFilesAtomic(searchFolder, search);
  });
}
