/**
 * `memo verify`, one version folder: its manifest, each file it lists
 * (re-hashed, opened only as a regular file, never through a link), nothing
 * else in the folder, and the hash chain to the version before.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describeCause } from '../io/fs-errors.js';
import { MANIFEST, errorCode, versionName } from './layout.js';
import { readManifest, sha256Hex } from './manifest.js';
import type { Manifest } from './manifest.js';
import { NotRegularError, hashRegular, kindOf } from './safe-read.js';
import { short } from './verify-problems.js';
import type { Problems } from './verify-problems.js';

export interface VersionState {
  readonly manifest: Manifest | undefined;
  readonly manifestBytes: Uint8Array | undefined;
  readonly hashed: number;
}

async function checkFile(
  target: string,
  expected: { readonly sha256: string; readonly bytes: number },
  version: number,
  problems: Problems,
): Promise<boolean> {
  let actual: { sha256: string; bytes: number };
  try {
    actual = await hashRegular(target);
  } catch (error) {
    if (error instanceof NotRegularError) {
      problems.error(
        target,
        `${error.message}: version ${version} was published with a file here, and only that file is checked`,
        'archive-file-type',
      );
      return false;
    }
    const reason =
      errorCode(error) === 'ENOENT'
        ? 'is missing'
        : `cannot be read: ${describeCause(errorCode(error))}`;
    problems.error(
      target,
      `${reason}: version ${version} was published with it (SHA-256 ${short(expected.sha256)}…)`,
      'archive-missing',
    );
    return false;
  }
  if (actual.sha256 !== expected.sha256) {
    problems.error(
      target,
      `changed since it was published: SHA-256 ${short(actual.sha256)}… (${actual.bytes} bytes), the manifest says ${short(expected.sha256)}… (${expected.bytes} bytes)`,
      'archive-changed',
    );
  }
  return true;
}

export async function verifyVersion(
  folder: string,
  slug: string,
  version: number,
  problems: Problems,
): Promise<VersionState> {
  const entries = await readdir(folder, { withFileTypes: true });
  const read = await readManifest(path.join(folder, MANIFEST));
  if (!read.ok) {
    const own = entries.find((entry) => entry.name === MANIFEST);
    problems.error(
      path.join(folder, MANIFEST),
      `${read.problem}: the files of ${slug}/${versionName(version)} cannot be checked`,
      read.missing
        ? 'archive-missing'
        : own !== undefined && !own.isFile()
          ? 'archive-file-type'
          : 'archive-manifest',
    );
    return { manifest: undefined, manifestBytes: read.bytes, hashed: 0 };
  }
  const { manifest } = read;
  if (manifest.slug !== slug || manifest.version !== version) {
    problems.error(
      path.join(folder, MANIFEST),
      `describes ${manifest.slug} v${manifest.version}, not the folder it is in (${slug}/${versionName(version)})`,
      'archive-manifest',
    );
  }
  let hashed = 0;
  for (const [name, entry] of Object.entries(manifest.files)) {
    if (entry === undefined) continue;
    if (await checkFile(path.join(folder, name), entry, version, problems)) hashed += 1;
  }
  const listed = new Set([...Object.keys(manifest.files), MANIFEST]);
  for (const entry of entries) {
    if (!listed.has(entry.name)) {
      problems.error(
        path.join(folder, entry.name),
        `is not part of version ${version} (${kindOf(entry)} its manifest does not list): a published version never gains files; remove it`,
        'archive-unexpected',
      );
    }
  }
  return { manifest, manifestBytes: read.bytes, hashed };
}

export function checkChain(
  folder: string,
  previous: VersionState | undefined,
  current: VersionState,
  version: number,
  problems: Problems,
): void {
  const link = current.manifest?.previous;
  if (current.manifest === undefined || version === 1) return;
  const previousManifest = path.join(path.dirname(folder), versionName(version - 1), MANIFEST);
  if (link === null || link === undefined || link.version !== version - 1) {
    problems.error(
      path.join(folder, MANIFEST),
      `does not record version ${version - 1} as its predecessor`,
      'archive-chain',
    );
    return;
  }
  if (
    previous?.manifestBytes !== undefined &&
    sha256Hex(previous.manifestBytes) !== link.manifest_sha256
  ) {
    problems.error(
      previousManifest,
      `changed after version ${version} was published (which recorded its SHA-256 as ${short(link.manifest_sha256)}…)`,
      'archive-chain',
    );
  }
}
