/**
 * The critical section of `memo publish`, run holding the memo's lock: check
 * the memo's folder against versions.json, pick the next version number,
 * check the date against the newest version, write the files and the
 * manifest into a temporary folder, flush, rename it to `v<N>`, and record it
 * (versions.json and the index, under the index lock). Rendering happens
 * before (it is the slow part). When recording fails, the version folder is
 * removed again: a publish that reports failure leaves no version behind.
 */
import { lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  createTempFolder,
  moveIntoPlace,
  removeStrayTemps,
  syncFolder,
  writeNewFile,
} from './durable.js';
import { ArchiveStateError } from './errors.js';
import {
  LEDGER,
  MANIFEST,
  MEMO_LOCK,
  errorCode,
  listSlugs,
  listVersions,
  memoFolder,
  versionFolder,
  versionName,
} from './layout.js';
import type { VersionFileName } from './layout.js';
import { entriesFor, readLedger } from './ledger.js';
import type { LedgerEntry } from './ledger.js';
import { withLock } from './lock.js';
import type { LockOptions, LockOwner } from './lock.js';
import { fileEntryOf, readManifest, serializeManifest, sha256Hex } from './manifest.js';
import type { Manifest } from './manifest.js';
import { kindOf } from './safe-read.js';

export { ArchiveStateError } from './errors.js';

/** The newest version as the lock holder sees it. */
export interface Newest {
  readonly version: number;
  readonly manifest: Manifest;
  readonly manifestBytes: Uint8Array;
}

export interface NewVersion {
  readonly archive: string;
  readonly slug: string;
  /** The version's files: those of VERSION_FILES, and one per other format published (`memo.docx`). */
  readonly files: Readonly<Record<VersionFileName, string | Uint8Array>> &
    Readonly<Record<string, string | Uint8Array>>;
  /** Everything of the manifest but what only the lock holder knows. */
  readonly manifest: Omit<Manifest, 'version' | 'published_at' | 'files' | 'previous'>;
  /** Refuse (throw) given the newest version, e.g. a date that goes backwards. */
  readonly check: (newest: Newest | undefined) => void;
  /** Record the versions in versions.json and the index (index-page.ts `recordVersions`). */
  readonly record: (entries: readonly LedgerEntry[]) => Promise<void>;
  readonly lock?: LockOptions;
}

export interface AddedVersion {
  readonly version: number;
  readonly folder: string;
  readonly manifest: Manifest;
  /** `.tmp-*` folders of interrupted publishes, removed. */
  readonly removedTemps: readonly string[];
  /** Stale locks of killed publishes, removed (their owners). */
  readonly removedLocks: readonly (LockOwner | undefined)[];
  /** Complete versions an interrupted publish left unrecorded, now recorded. */
  readonly adopted: readonly number[];
}

/** The newest version and its manifest; throws when the archive is damaged there. */
export async function newestVersion(archive: string, slug: string): Promise<Newest | undefined> {
  await assertRealFolder(memoFolder(archive, slug), slug, true);
  const version = (await listVersions(archive, slug)).at(-1);
  if (version === undefined) return undefined;
  const read = await readManifest(path.join(versionFolder(archive, slug, version), MANIFEST));
  if (!read.ok) {
    throw new ArchiveStateError(
      `the newest version, ${slug}/v${version}, cannot be read (${read.problem}); run \`memo verify\` and repair the archive first`,
    );
  }
  return { version, manifest: read.manifest, manifestBytes: read.bytes };
}

/** Refuse a memo folder that is a symbolic link (or not a folder): publish never writes through one. */
async function assertRealFolder(folder: string, slug: string, mayBeMissing: boolean) {
  const info = await lstat(folder).catch((error: unknown) => {
    if (mayBeMissing && errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (info !== undefined && !info.isDirectory()) {
    throw new ArchiveStateError(
      `the archive's \`${slug}\` is ${kindOf(info)}, not a folder: an archive holds only real folders and files; move it away and publish again`,
    );
  }
}

/**
 * The versions of the memo's folder that versions.json does not record yet,
 * and may: the one a publish killed between writing it and recording it (the
 * version after the newest recorded one), or, in an archive made before
 * versions.json existed, all of them. Anything else is damage.
 */
async function unrecorded(archive: string, slug: string): Promise<LedgerEntry[]> {
  const ledger = await readLedger(archive);
  if (!ledger.ok) throw new ArchiveStateError(`${ledger.problem}; run \`memo verify\``);
  if (!ledger.exists) {
    // An archive from before versions.json: record every memo's versions now.
    const all: LedgerEntry[] = [];
    for (const other of await listSlugs(archive)) all.push(...(await adopt(archive, other)));
    return all;
  }
  const recorded = entriesFor(ledger.entries, slug);
  const present = await listVersions(archive, slug);
  const damage = (what: string) =>
    new ArchiveStateError(
      `${slug}/${what}; run \`memo verify\` and repair the archive first (nothing was published)`,
    );
  for (const [version, hash] of recorded) {
    if (!present.includes(version))
      throw damage(`${versionName(version)} is recorded in ${LEDGER} but its folder is gone`);
    const read = await readManifest(path.join(versionFolder(archive, slug, version), MANIFEST));
    if (!read.ok || sha256Hex(read.bytes) !== hash)
      throw damage(`${versionName(version)}/${MANIFEST} changed since it was published`);
  }
  const newestRecorded = Math.max(0, ...recorded.keys());
  // Versions of publishes interrupted before they were recorded: only a run
  // right after the newest recorded one (each a complete folder) is adopted.
  const extra = present.filter((version) => !recorded.has(version)).sort((a, b) => a - b);
  const refused = extra.find((version, index) => version !== newestRecorded + 1 + index);
  if (refused !== undefined) throw damage(`${versionName(refused)} is not recorded in ${LEDGER}`);
  return adopt(archive, slug, extra);
}

/** Ledger entries for versions of `slug` found complete in its folder (default: all of them). */
async function adopt(
  archive: string,
  slug: string,
  versions?: readonly number[],
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const version of versions ?? (await listVersions(archive, slug))) {
    const read = await readManifest(path.join(versionFolder(archive, slug, version), MANIFEST));
    if (!read.ok) {
      throw new ArchiveStateError(
        `${slug}/${versionName(version)}: ${read.problem}; run \`memo verify\` and repair the archive first (nothing was published)`,
      );
    }
    entries.push({ slug, version, manifest_sha256: sha256Hex(read.bytes) });
  }
  return entries;
}

export async function addVersion(request: NewVersion): Promise<AddedVersion> {
  const parent = memoFolder(request.archive, request.slug);
  // A new memo's folder must survive a power cut along with its first version.
  await mkdir(request.archive, { recursive: true });
  await assertRealFolder(parent, request.slug, true);
  const made = await mkdir(parent).then(
    () => true,
    (error: unknown) => {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    },
  );
  if (made) await syncFolder(request.archive);
  await assertRealFolder(parent, request.slug, false);
  return withLock(path.join(parent, MEMO_LOCK), request.lock ?? {}, async (lock) => {
    const removedTemps = await removeStrayTemps(parent);
    const adopted = await unrecorded(request.archive, request.slug);
    const newest = await newestVersion(request.archive, request.slug);
    request.check(newest);
    const version = (newest?.version ?? 0) + 1;
    const manifest: Manifest = {
      ...request.manifest,
      version,
      published_at: new Date().toISOString(),
      files: {
        ...Object.fromEntries(
          Object.entries(request.files).map(([name, bytes]) => [name, fileEntryOf(bytes)]),
        ),
        'memo.html': fileEntryOf(request.files['memo.html']),
        'memo.pdf': fileEntryOf(request.files['memo.pdf']),
        'source.md': fileEntryOf(request.files['source.md']),
      },
      previous:
        newest === undefined
          ? null
          : { version: newest.version, manifest_sha256: sha256Hex(newest.manifestBytes) },
    };
    const temp = await createTempFolder(parent);
    const folder = versionFolder(request.archive, request.slug, version);
    const manifestText = serializeManifest(manifest);
    try {
      for (const [name, bytes] of Object.entries(request.files))
        await writeNewFile(path.join(temp, name), bytes);
      await writeNewFile(path.join(temp, MANIFEST), manifestText);
      await moveIntoPlace(temp, folder);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    try {
      await request.record([
        ...adopted,
        { slug: request.slug, version, manifest_sha256: sha256Hex(manifestText) },
      ]);
    } catch (error) {
      // Not recorded, so not published: take the version back (we hold the memo's lock).
      await rm(folder, { recursive: true, force: true });
      await syncFolder(parent).catch(() => undefined);
      throw error;
    }
    return {
      version,
      folder,
      manifest,
      removedTemps,
      removedLocks: lock.removedStale,
      adopted: adopted.filter((entry) => entry.slug === request.slug).map((entry) => entry.version),
    };
  });
}
