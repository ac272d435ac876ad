/**
 * Writing a version folder as a whole: its files go into a temporary folder
 * inside the memo's folder, each one flushed to disk, then the folder itself
 * is flushed and renamed to `v<N>` (a directory rename is atomic), and the
 * parent is flushed so the rename survives a power cut. A crash leaves either
 * no `v<N>` or a complete one; what it leaves behind is a `.tmp-*` folder,
 * which `removeStrayTemps` deletes on the next publish (under the memo's lock,
 * so it is never another publish's work in progress).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_PREFIX, errorCode } from './layout.js';

export class VersionExistsError extends Error {
  override name = 'VersionExistsError';
}

/** fsync a folder, so the names it holds (new files, a rename) are on disk. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms cannot fsync a directory; Linux and macOS can.
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EBADF'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** A new, empty `.tmp-<random>` folder in `parent` (created if needed). */
export async function createTempFolder(parent: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  const folder = path.join(parent, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  await mkdir(folder);
  return folder;
}

/** Write a new file (never an existing one) and flush it to disk. */
export async function writeNewFile(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Rename the finished `temp` folder to `target`, which must not exist; flush both folders. */
export async function moveIntoPlace(temp: string, target: string): Promise<void> {
  await syncFolder(temp);
  // rename(2) would replace an empty directory: refuse any existing entry first.
  // The caller holds the memo's lock, so nobody else creates `target` meanwhile.
  const exists = await lstat(target).then(
    () => true,
    (error: unknown) => {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    },
  );
  if (exists)
    throw new VersionExistsError(`${target} already exists; a published version is never replaced`);
  await rename(temp, target);
  await syncFolder(path.dirname(target));
}

/** Delete the `.tmp-*` folders of `parent`; returns their names. Call it holding the memo's lock. */
export async function removeStrayTemps(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const stray = names.filter((name) => name.startsWith(TEMP_PREFIX)).sort();
  for (const name of stray) await rm(path.join(parent, name), { recursive: true, force: true });
  return stray;
}
