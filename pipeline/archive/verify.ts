/**
 * `memo verify`: check an archive that may have been tampered with, or may
 * come from someone else. Nothing is opened that is not a regular file or a
 * real folder inside the archive (safe-read.ts); every entry is accounted
 * for. Problems are vfile messages on the path concerned:
 *
 * - `archive-changed`: a file's bytes differ from its recorded SHA-256;
 * - `archive-missing`: a listed file, a manifest, a version (also the newest:
 *   versions.json records every one) or versions.json/index.html is gone;
 * - `archive-unexpected`: an entry the archive layout (layout.ts) has no
 *   place for, in the archive, a memo's folder or a version's folder;
 * - `archive-file-type`: a symbolic link, pipe, device or socket where a
 *   file or folder of the archive must be (never followed or read);
 * - `archive-manifest`: a manifest that is not valid, or describes another version;
 * - `archive-chain`: a manifest differs from the SHA-256 the next version recorded for it;
 * - `archive-ledger`: versions.json is not valid, or a manifest differs from
 *   the SHA-256 it records (so an edited newest manifest is found too);
 * - `archive-approval`, `archive-distribution`: approvals.json and the
 *   distribution logs and copies (distribution/verify-distribution.ts);
 * - `archive-index`: index.html, or a file of series/ (verify-series.ts),
 *   differs from the one rebuilt from versions.json and the manifests.
 *
 * Warnings: a `.tmp-*` folder or temporary index file (an interrupted
 * publish, removed by the next one), and `archive-unfinished`, the one
 * complete version a publish killed before recording it left (the next
 * publish of that memo records it). The locks are ignored when they are files.
 */
import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import type { VFile } from 'vfile';
import { describeCause } from '../io/fs-errors.js';
import { isStrayIndexTemp, loadIndexKit, recordVersions, renderIndex } from './index-page.js';
import type { IndexKit } from './index-page.js';
import { isRedlineName, isStrayRedlineTemp, renderRedlineFiles } from './redline-files.js';
import { renderSearchFiles } from './search-files.js';
import {
  INDEX,
  INDEX_LOCK,
  LEDGER,
  MANIFEST,
  MEMO_LOCK,
  SEARCH_DIR,
  SERIES_DIR,
  TEMP_PREFIX,
  errorCode,
  isArchivableSlug,
  parseVersionName,
  versionName,
} from './layout.js';
import { entriesFor, readLedger } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { sha256Hex } from './manifest.js';
import { NotRegularError, kindOf, readRegular } from './safe-read.js';
import { Problems, REWRITE, short } from './verify-problems.js';
import { checkSeries } from './verify-series.js';
import { APPROVALS } from './distribution/approvals.js';
import { DISTRIBUTION_DIR } from './distribution/log.js';
import { checkDistribution } from './distribution/verify-distribution.js';
import { checkChain, verifyVersion } from './verify-version.js';
import type { VersionState } from './verify-version.js';

export interface VerifyResult {
  /** One file per path with problems. */
  readonly files: readonly VFile[];
  readonly memos: number;
  readonly versions: number;
  /** Files re-hashed. */
  readonly hashed: number;
  /** Whether every error is on a derived page, which `repairArchive` rewrites. */
  readonly repairable: boolean;
}

/** The largest index.html read back: far above any real archive's. */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;

/** A file of the archive's layout that is something else: a link, a pipe, a folder. */
function wrongType(problems: Problems, target: string, entry: Dirent, what: string): void {
  problems.error(
    target,
    `is ${kindOf(entry)}, where the archive has ${what}: it is not followed or read; replace it with what \`memo publish\` wrote, or remove it`,
    entry.isSymbolicLink() || !entry.isDirectory() ? 'archive-file-type' : 'archive-unexpected',
  );
}

interface MemoCheck {
  /** The redline pages found in the memo's folder (regular files). */
  readonly redlines: ReadonlySet<string>;
  readonly versions: number;
  readonly hashed: number;
  /** Version number → SHA-256 of its manifest (when it could be read). */
  readonly manifests: ReadonlyMap<number, string | undefined>;
}

async function verifyMemo(archive: string, slug: string, problems: Problems): Promise<MemoCheck> {
  const folder = path.join(archive, slug);
  const versions: number[] = [];
  const redlines = new Set<string>();
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const target = path.join(folder, entry.name);
    const version = parseVersionName(entry.name);
    if (version !== undefined) {
      if (entry.isDirectory()) versions.push(version);
      else wrongType(problems, target, entry, 'a version folder');
    } else if (isRedlineName(entry.name)) {
      if (entry.isFile()) redlines.add(entry.name);
      else wrongType(problems, target, entry, 'a redline page, a file');
    } else if (isStrayRedlineTemp(entry.name) && entry.isFile()) {
      problems.warning(
        target,
        'left by an interrupted publish; the next publish removes it',
        'archive-stray-temp',
      );
    } else if (entry.name.startsWith(TEMP_PREFIX) && entry.isDirectory()) {
      problems.warning(
        target,
        'left by an interrupted publish; it is not a version, and the next publish of this memo removes it',
        'archive-stray-temp',
      );
    } else if (entry.name === MEMO_LOCK || entry.name === `${MEMO_LOCK}.break`) {
      if (!entry.isFile()) wrongType(problems, target, entry, 'a lock file');
    } else if (entry.name === APPROVALS && entry.isFile()) {
      // checked by checkDistribution
    } else if (entry.name === DISTRIBUTION_DIR && entry.isDirectory()) {
      // checked by checkDistribution
    } else {
      problems.error(
        target,
        `is not part of the archive (${kindOf(entry)}): a memo folder holds only version folders v1, v2, … and the redline pages between them`,
        entry.isSymbolicLink() || entry.isFIFO() ? 'archive-file-type' : 'archive-unexpected',
      );
    }
  }
  versions.sort((a, b) => a - b);
  const newest = versions.at(-1) ?? 0;
  const manifests = new Map<number, string | undefined>();
  let previous: VersionState | undefined;
  let hashed = 0;
  for (let version = 1; version <= newest; version += 1) {
    const versionFolder = path.join(folder, versionName(version));
    if (!versions.includes(version)) {
      problems.error(
        versionFolder,
        `version ${version} is missing: ${slug} has versions up to v${newest}, numbered without gaps`,
        'archive-missing',
      );
      previous = undefined;
      continue;
    }
    const state = await verifyVersion(versionFolder, slug, version, problems);
    checkChain(versionFolder, previous, state, version, problems);
    manifests.set(
      version,
      state.manifestBytes === undefined ? undefined : sha256Hex(state.manifestBytes),
    );
    hashed += state.hashed;
    previous = state;
  }
  hashed += await checkDistribution(archive, slug, versions, problems);
  return { redlines, versions: versions.length, hashed, manifests };
}

/** versions.json against the folders: every recorded version there, with its manifest, and no other. */
function checkLedger(
  archive: string,
  recorded: readonly LedgerEntry[],
  found: ReadonlyMap<string, MemoCheck>,
  problems: Problems,
): void {
  for (const entry of recorded) {
    const folder = path.join(archive, entry.slug, versionName(entry.version));
    const memo = found.get(entry.slug);
    if (memo === undefined || !memo.manifests.has(entry.version)) {
      problems.error(
        folder,
        `is missing: ${LEDGER} records that ${entry.slug} version ${entry.version} was published (manifest SHA-256 ${short(entry.manifest_sha256)}…)`,
        'archive-missing',
      );
      continue;
    }
    const actual = memo.manifests.get(entry.version);
    if (actual !== undefined && actual !== entry.manifest_sha256) {
      problems.error(
        path.join(folder, MANIFEST),
        `changed since it was published: SHA-256 ${short(actual)}…, ${LEDGER} records ${short(entry.manifest_sha256)}…`,
        'archive-ledger',
      );
    }
  }
  for (const [slug, memo] of found) {
    const mine = entriesFor(recorded, slug);
    if (memo.manifests.size === 0 && mine.size === 0) {
      problems.error(
        path.join(archive, slug),
        'is not part of the archive: a folder with no published version in it; remove it',
        'archive-unexpected',
      );
    }
    // Interrupted publishes: the unrecorded versions right after the newest recorded one.
    const unfinished = new Set<number>();
    for (let next = Math.max(0, ...mine.keys()) + 1; memo.manifests.has(next); next += 1)
      unfinished.add(next);
    for (const version of memo.manifests.keys()) {
      if (mine.has(version)) continue;
      const folder = path.join(archive, slug, versionName(version));
      if (unfinished.has(version)) {
        problems.warning(
          folder,
          `is not recorded in ${LEDGER} or listed in the index: a publish was interrupted after writing it; the next publish of ${slug} records it`,
          'archive-unfinished',
        );
      } else {
        problems.error(
          folder,
          `is not recorded in ${LEDGER}: memo-press never wrote it there, so it was added by other means, or ${LEDGER} was edited`,
          'archive-ledger',
        );
      }
    }
  }
}

/** index.html against the index rebuilt from versions.json and the manifests, byte for byte. */
/** A derived page's bytes, or undefined after reporting why it cannot be read. */
async function readDerived(target: string, problems: Problems): Promise<Uint8Array | undefined> {
  try {
    return await readRegular(target, MAX_INDEX_BYTES);
  } catch (error) {
    problems.error(
      target,
      error instanceof NotRegularError
        ? error.message
        : `cannot be read: ${describeCause(errorCode(error))}`,
      'archive-index',
    );
    return undefined;
  }
}

async function checkIndex(
  archive: string,
  kit: IndexKit,
  index: Dirent | undefined,
  recorded: readonly LedgerEntry[],
  problems: Problems,
): Promise<void> {
  const target = path.join(archive, INDEX);
  if (index === undefined) {
    if (recorded.length > 0)
      problems.derived(
        target,
        `is missing: every archive with a published version has one; ${REWRITE}`,
        'archive-missing',
      );
    return;
  }
  if (!index.isFile()) return; // reported with the archive's entries
  const bytes = await readDerived(target, problems);
  if (bytes === undefined) return;
  const expected = await renderIndex(archive, kit, recorded);
  if (Buffer.from(bytes).equals(Buffer.from(expected, 'utf8'))) return;
  problems.derived(
    target,
    `differs from the index rebuilt from ${LEDGER} and the manifests: it was edited (or lists versions that are gone), or written by another version of memo-press; ${REWRITE}`,
    'archive-index',
  );
}

/** archive/search/ against the search files rebuilt from versions.json and the manifests. */
async function checkSearch(
  archive: string,
  kit: IndexKit,
  present: Dirent | undefined,
  recorded: readonly LedgerEntry[],
  problems: Problems,
): Promise<void> {
  const folder = path.join(archive, SEARCH_DIR);
  if (recorded.length === 0 && present === undefined) return;
  if (present === undefined) {
    problems.derived(
      folder,
      `is missing: the archive's search page; ${REWRITE}`,
      'archive-missing',
    );
    return;
  }
  if (!present.isDirectory()) {
    wrongType(problems, folder, present, 'the search page and its index, a folder');
    return;
  }
  const expected = new Map(await renderSearchFiles(archive, kit, recorded));
  const found = new Set<string>();
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const target = path.join(folder, entry.name);
    if (expected.has(entry.name) && entry.isFile()) found.add(entry.name);
    else if (/^\..*\.[0-9a-f]{12}\.tmp$/.test(entry.name) && entry.isFile())
      problems.warning(
        target,
        'left by an interrupted publish; the next publish removes it',
        'archive-stray-temp',
      );
    else
      problems.error(
        target,
        `is not part of the archive (${kindOf(entry)}): \`${SEARCH_DIR}/\` holds only ${[...expected.keys()].join(', ')}`,
        entry.isSymbolicLink() ? 'archive-file-type' : 'archive-unexpected',
      );
  }
  for (const [name, content] of expected) {
    const target = path.join(folder, name);
    if (!found.has(name)) {
      problems.derived(target, `is missing; ${REWRITE}`, 'archive-missing');
      continue;
    }
    const bytes = await readDerived(target, problems);
    if (bytes === undefined) continue;
    if (Buffer.from(bytes).equals(Buffer.from(content, 'utf8'))) continue;
    problems.derived(
      target,
      `differs from the one rebuilt from ${LEDGER} and the manifests: it was edited, or written by another version of memo-press; ${REWRITE}`,
      'archive-index',
    );
  }
}

/** Every memo's redline pages against those rebuilt from versions.json and the manifests. */
async function checkRedlines(
  archive: string,
  kit: IndexKit,
  recorded: readonly LedgerEntry[],
  found: ReadonlyMap<string, MemoCheck>,
  problems: Problems,
): Promise<void> {
  const expected = await renderRedlineFiles(archive, kit, recorded);
  for (const [slug, memo] of found) {
    const pages = new Map(expected.get(slug) ?? []);
    for (const name of memo.redlines) {
      if (!pages.has(name))
        problems.derived(
          path.join(archive, slug, name),
          `is not part of the archive: ${slug} has no such pair of consecutive versions; remove it`,
          'archive-unexpected',
        );
    }
    for (const [name, html] of pages) {
      const target = path.join(archive, slug, name);
      if (!memo.redlines.has(name)) {
        problems.derived(target, `is missing; ${REWRITE}`, 'archive-missing');
        continue;
      }
      const bytes = await readDerived(target, problems);
      if (bytes === undefined) continue;
      if (Buffer.from(bytes).equals(Buffer.from(html, 'utf8'))) continue;
      problems.derived(
        target,
        `differs from the redline rebuilt from the two versions' manifests: it was edited, or written by another version of memo-press; ${REWRITE}`,
        'archive-index',
      );
    }
  }
}

export async function verifyArchive(
  archiveDir: string,
  cwd: string = process.cwd(),
): Promise<VerifyResult> {
  const archive = path.resolve(cwd, archiveDir);
  const problems = new Problems(cwd);
  let entries: Dirent[];
  try {
    entries = await readdir(archive, { withFileTypes: true });
  } catch {
    problems.error(
      archive,
      'no archive here: expected the folder `memo publish` writes to (default `archive`), or pass --archive DIR',
      'archive-missing',
    );
    return {
      files: [...problems.byPath.values()],
      memos: 0,
      versions: 0,
      hashed: 0,
      repairable: false,
    };
  }
  const slugs: string[] = [];
  let index: Dirent | undefined;
  let ledgerEntry: Dirent | undefined;
  let seriesEntry: Dirent | undefined;
  let searchEntry: Dirent | undefined;
  for (const entry of entries) {
    const target = path.join(archive, entry.name);
    if (entry.name === INDEX) {
      index = entry;
      if (!entry.isFile()) wrongType(problems, target, entry, 'the index page, a file');
    } else if (entry.name === LEDGER) {
      ledgerEntry = entry;
      if (!entry.isFile()) wrongType(problems, target, entry, 'the list of versions, a file');
    } else if (entry.name === INDEX_LOCK || entry.name === `${INDEX_LOCK}.break`) {
      if (!entry.isFile()) wrongType(problems, target, entry, 'a lock file');
    } else if (isStrayIndexTemp(entry.name) && entry.isFile()) {
      problems.warning(
        target,
        'left by an interrupted publish; the next publish removes it',
        'archive-stray-temp',
      );
    } else if (entry.name === SERIES_DIR) {
      seriesEntry = entry;
    } else if (entry.name === SEARCH_DIR) {
      searchEntry = entry;
    } else if (entry.isDirectory() && isArchivableSlug(entry.name)) {
      slugs.push(entry.name);
    } else if (isArchivableSlug(entry.name) && !entry.isFile()) {
      wrongType(problems, target, entry, 'memo folders');
    } else {
      problems.error(
        target,
        `is not part of the archive (${kindOf(entry)}): an archive holds only ${INDEX}, ${LEDGER} and one folder per memo`,
        entry.isFile() || entry.isDirectory() ? 'archive-unexpected' : 'archive-file-type',
      );
    }
  }
  slugs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const found = new Map<string, MemoCheck>();
  let versions = 0;
  let hashed = 0;
  for (const slug of slugs) {
    const check = await verifyMemo(archive, slug, problems);
    found.set(slug, check);
    versions += check.versions;
    hashed += check.hashed;
  }
  const ledger = ledgerEntry?.isFile() === false ? undefined : await readLedger(archive);
  if (ledger !== undefined && !ledger.ok) {
    problems.error(path.join(archive, LEDGER), ledger.problem, 'archive-ledger');
  } else if (ledger !== undefined && !ledger.exists && versions > 0) {
    problems.error(
      path.join(archive, LEDGER),
      `is missing: it records every published version (an archive from before memo-press kept it gets one at its next publish)`,
      'archive-missing',
    );
  } else if (ledger?.ok === true) {
    checkLedger(archive, ledger.entries, found, problems);
    const kit = await loadIndexKit();
    await checkIndex(archive, kit, index, ledger.entries, problems);
    await checkRedlines(archive, kit, ledger.entries, found, problems);
    hashed += await checkSeries(archive, kit, seriesEntry, ledger.entries, problems);
    await checkSearch(archive, kit, searchEntry, ledger.entries, problems);
  }
  return {
    files: [...problems.byPath.values()],
    memos: slugs.length,
    versions,
    hashed,
    repairable: problems.errorsBeyondRepair === 0 && ledger?.ok === true,
  };
}

export interface RepairResult {
  /** The archive as verified after the repair (or before, when nothing was rewritten). */
  readonly verified: VerifyResult;
  /** The derived pages found wrong and rewritten (paths relative to cwd). */
  readonly rewritten: readonly string[];
  /** True when other problems kept the derived pages from being rewritten. */
  readonly refused: boolean;
}

/**
 * `memo verify --repair`: when the only problems are derived pages (the index,
 * the series pages, the redlines) that are edited, missing or stray, rewrite
 * them from versions.json and the manifests, under the index lock, and verify
 * again. Versions, manifests and versions.json are never touched: any problem
 * there leaves everything as it is.
 */
export async function repairArchive(
  archiveDir: string,
  cwd: string = process.cwd(),
): Promise<RepairResult> {
  const before = await verifyArchive(archiveDir, cwd);
  const wrong = before.files
    .filter((file) => file.messages.some((message) => message.fatal === true))
    .map((file) => file.path);
  if (wrong.length === 0) return { verified: before, rewritten: [], refused: false };
  if (!before.repairable) return { verified: before, rewritten: [], refused: true };
  const archive = path.resolve(cwd, archiveDir);
  await recordVersions(archive, [], await loadIndexKit());
  return {
    verified: await verifyArchive(archiveDir, cwd),
    rewritten: wrong,
    refused: false,
  };
}
