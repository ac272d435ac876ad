/**
 * The critical section of `memo publish`, run holding the memo's lock: pick
 * the next version number, check the date against the newest version, write
 * the files and the manifest into a temporary folder, flush, and rename it to
 * `v<N>`. Rendering happens before (it is the slow part); the index is
 * rebuilt after, under its own lock.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  createTempFolder,
  moveIntoPlace,
  removeStrayTemps,
  syncFolder,
  writeNewFile,
} from './durable.js';
import {
  MANIFEST,
  MEMO_LOCK,
  VERSION_FILES,
  listVersions,
  memoFolder,
  versionFolder,
} from './layout.js';
import type { VersionFileName } from './layout.js';
import { withLock } from './lock.js';
import type { LockOptions, LockOwner } from './lock.js';
import { fileEntryOf, readManifest, serializeManifest, sha256Hex } from './manifest.js';
import type { Manifest } from './manifest.js';

/** The newest version as the lock holder sees it. */
export interface Newest {
  readonly version: number;
  readonly manifest: Manifest;
  readonly manifestBytes: Uint8Array;
}

export class ArchiveStateError extends Error {
  override name = 'ArchiveStateError';
}

export interface NewVersion {
  readonly archive: string;
  readonly slug: string;
  readonly files: Readonly<Record<VersionFileName, string | Uint8Array>>;
  /** Everything of the manifest but what only the lock holder knows. */
  readonly manifest: Omit<Manifest, 'version' | 'published_at' | 'files' | 'previous'>;
  /** Refuse (throw) given the newest version, e.g. a date that goes backwards. */
  readonly check: (newest: Newest | undefined) => void;
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
}

/** The newest version and its manifest; throws when the archive is damaged there. */
export async function newestVersion(archive: string, slug: string): Promise<Newest | undefined> {
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

export async function addVersion(request: NewVersion): Promise<AddedVersion> {
  const parent = memoFolder(request.archive, request.slug);
  // A new memo's folder must survive a power cut along with its first version.
  if ((await mkdir(parent, { recursive: true })) !== undefined) await syncFolder(request.archive);
  return withLock(path.join(parent, MEMO_LOCK), request.lock ?? {}, async (lock) => {
    const removedTemps = await removeStrayTemps(parent);
    const newest = await newestVersion(request.archive, request.slug);
    request.check(newest);
    const version = (newest?.version ?? 0) + 1;
    const manifest: Manifest = {
      ...request.manifest,
      version,
      published_at: new Date().toISOString(),
      files: {
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
    try {
      for (const name of VERSION_FILES)
        await writeNewFile(path.join(temp, name), request.files[name]);
      await writeNewFile(path.join(temp, MANIFEST), serializeManifest(manifest));
      await moveIntoPlace(temp, folder);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    return { version, folder, manifest, removedTemps, removedLocks: lock.removedStale };
  });
}
