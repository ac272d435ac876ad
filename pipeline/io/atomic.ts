/**
 * Atomic file writes: the data goes to a temporary file in the same folder,
 * is flushed to disk, then renamed over the target. A reader (or a crash)
 * sees the old file or the new one, never a truncated one.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Temporary files are named `.<name>.<random>.tmp`, so a glob can clean strays. */
export function temporaryName(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

function raiseListenerLimit(by: number): void {
  const limit = process.getMaxListeners();
  if (limit !== 0 && Number.isFinite(limit)) process.setMaxListeners(limit + by); // 0: unlimited
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = temporaryName(target);
  // If the process exits meanwhile (Ctrl-C while a batch is being written:
  // the signal handler closes the browser, then calls process.exit), the
  // temporary file goes with it instead of staying in the output folder.
  const removeOnExit = (): void => rmSync(temporary, { force: true });
  raiseListenerLimit(1); // one listener per write in flight, so many at once is no leak
  process.once('exit', removeOnExit);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    process.removeListener('exit', removeOnExit);
    raiseListenerLimit(-1);
  }
}
