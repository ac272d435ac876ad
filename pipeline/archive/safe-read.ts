/**
 * Reading an archive that may come from someone else (a git repository, a
 * shared drive): open only regular files, never through a symbolic link, and
 * never block or read without end. Hand-written because Node's `readFile`
 * follows links, waits forever on a FIFO and reads `/dev/zero` until memory
 * runs out; here every open is `O_NOFOLLOW | O_NONBLOCK`, checked with
 * `fstat` to be a regular file, and read at most to a given size.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** What an entry is, in words: "a symbolic link", "a named pipe (FIFO)", … */
export function kindOf(entry: Dirent | Stats): string {
  if (entry.isFile()) return 'a file';
  if (entry.isDirectory()) return 'a folder';
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}

/** A path that is not a regular file of the archive (a link, a pipe, a device, a folder, too large). */
export class NotRegularError extends Error {
  override name = 'NotRegularError';
}

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

async function openRegular(file: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, FLAGS);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ELOOP')
      throw new NotRegularError('is a symbolic link; an archive holds only files and folders');
    throw error;
  }
  const info = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!info.isFile()) {
    await handle.close();
    throw new NotRegularError(`is ${kindOf(info)}, not a file`);
  }
  return { handle, size: info.size };
}

/** The bytes of a regular file of at most `maxBytes`; throws NotRegularError otherwise. */
export async function readRegular(file: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegular(file);
  try {
    if (size > maxBytes)
      throw new NotRegularError(`is ${size} bytes, more than the ${maxBytes} it may have`);
    const buffer = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** SHA-256 and size of a regular file, read in chunks (a version's PDF may be large). */
export async function hashRegular(file: string): Promise<{ sha256: string; bytes: number }> {
  const { handle } = await openRegular(file);
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1 << 20);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, bytes);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await handle.close();
  }
}
