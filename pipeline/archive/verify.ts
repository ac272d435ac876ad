/**
 * `memo verify`: re-hash every file of every version and compare it with the
 * version's manifest. Problems are vfile messages on the path concerned:
 *
 * - `archive-changed`: a file's bytes differ from its recorded SHA-256;
 * - `archive-missing`: a listed file, a manifest or a whole version is gone
 *   (versions are numbered v1, v2, … without gaps);
 * - `archive-unexpected`: a file no version lists, or a stray entry in a memo's folder;
 * - `archive-manifest`: a manifest that is not valid, or describes another version;
 * - `archive-chain`: a manifest differs from the SHA-256 the next version
 *   recorded for it (each manifest records its predecessor's hash), so even
 *   an edited manifest is detected, except the newest one's.
 *
 * A `.tmp-*` folder (an interrupted publish, removed by the next publish) is
 * a warning; the locks are ignored.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { fail, warn } from '../messages.js';
import {
  MANIFEST,
  MEMO_LOCK,
  TEMP_PREFIX,
  errorCode,
  listSlugs,
  parseVersionName,
  versionName,
} from './layout.js';
import { readManifest, sha256Hex } from './manifest.js';
import type { Manifest } from './manifest.js';

export interface VerifyResult {
  /** One file per path with problems. */
  readonly files: readonly VFile[];
  readonly memos: number;
  readonly versions: number;
  /** Files re-hashed. */
  readonly hashed: number;
}

class Problems {
  readonly byPath = new Map<string, VFile>();
  constructor(private readonly cwd: string) {}
  private fileFor(target: string): VFile {
    const relative = path.relative(this.cwd, target) || '.';
    let file = this.byPath.get(relative);
    if (file === undefined) {
      file = new VFile({ path: relative, cwd: this.cwd });
      this.byPath.set(relative, file);
    }
    return file;
  }
  error(target: string, reason: string, rule: string): void {
    fail(this.fileFor(target), reason, undefined, rule);
  }
  warning(target: string, reason: string, rule: string): void {
    warn(this.fileFor(target), reason, undefined, rule);
  }
}

const short = (hash: string) => hash.slice(0, 12);

interface VersionState {
  readonly manifest: Manifest | undefined;
  readonly manifestBytes: Uint8Array | undefined;
  readonly hashed: number;
}

async function verifyVersion(
  folder: string,
  slug: string,
  version: number,
  problems: Problems,
): Promise<VersionState> {
  const read = await readManifest(path.join(folder, MANIFEST));
  const entries = await readdir(folder, { withFileTypes: true });
  if (!read.ok) {
    problems.error(
      path.join(folder, MANIFEST),
      `${read.problem}: the files of ${slug}/${versionName(version)} cannot be checked`,
      read.missing ? 'archive-missing' : 'archive-manifest',
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
    const target = path.join(folder, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(target);
    } catch (error) {
      const reason =
        errorCode(error) === 'ENOENT'
          ? 'is missing'
          : `cannot be read (${errorCode(error) ?? 'error'})`;
      problems.error(
        target,
        `${reason}: version ${version} was published with it (SHA-256 ${short(entry.sha256)}…)`,
        'archive-missing',
      );
      continue;
    }
    hashed += 1;
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      problems.error(
        target,
        `changed since it was published: SHA-256 ${short(actual)}… (${bytes.byteLength} bytes), the manifest says ${short(entry.sha256)}… (${entry.bytes} bytes)`,
        'archive-changed',
      );
    }
  }
  const listed = new Set([...Object.keys(manifest.files), MANIFEST]);
  for (const entry of entries) {
    if (!listed.has(entry.name)) {
      problems.error(
        path.join(folder, entry.name),
        `is not part of version ${version}: its manifest does not list it, and a published version never gains files`,
        'archive-unexpected',
      );
    }
  }
  return { manifest, manifestBytes: read.bytes, hashed };
}

function checkChain(
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

async function verifyMemo(
  archive: string,
  slug: string,
  problems: Problems,
): Promise<{ versions: number; hashed: number }> {
  const folder = path.join(archive, slug);
  const versions: number[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const version = entry.isDirectory() ? parseVersionName(entry.name) : undefined;
    if (version !== undefined) versions.push(version);
    else if (entry.name.startsWith(TEMP_PREFIX)) {
      problems.warning(
        path.join(folder, entry.name),
        'left by an interrupted publish; it is not a version, and the next publish of this memo removes it',
        'archive-stray-temp',
      );
    } else if (entry.name !== MEMO_LOCK && entry.name !== `${MEMO_LOCK}.break`) {
      problems.error(
        path.join(folder, entry.name),
        'is not part of the archive: a memo folder holds only version folders v1, v2, …',
        'archive-unexpected',
      );
    }
  }
  versions.sort((a, b) => a - b);
  const newest = versions.at(-1) ?? 0;
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
    hashed += state.hashed;
    previous = state;
  }
  return { versions: versions.length, hashed };
}

export async function verifyArchive(
  archiveDir: string,
  cwd: string = process.cwd(),
): Promise<VerifyResult> {
  const archive = path.resolve(cwd, archiveDir);
  const problems = new Problems(cwd);
  try {
    await readdir(archive);
  } catch {
    problems.error(
      archive,
      'no archive here: expected the folder `memo publish` writes to (default `archive`), or pass --archive DIR',
      'archive-missing',
    );
    return { files: [...problems.byPath.values()], memos: 0, versions: 0, hashed: 0 };
  }
  const slugs = await listSlugs(archive);
  let versions = 0;
  let hashed = 0;
  for (const slug of slugs) {
    const counts = await verifyMemo(archive, slug, problems);
    versions += counts.versions;
    hashed += counts.hashed;
  }
  return { files: [...problems.byPath.values()], memos: slugs.length, versions, hashed };
}
