/**
 * Atomic file writes: the data goes to a temporary file in the same folder,
 * is flushed to disk, then renamed over the target. A reader (or a crash)
 * sees the old file or the new one, never a truncated one.
 *
 * A failed write leaves nothing: its temporary files are removed, and so are
 * the folders it created (only while they are still empty).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';

/** The file-system calls the writer makes; tests pass their own to inject a fault. */
export interface AtomicFs {
  readonly mkdir: typeof fsp.mkdir;
  readonly open: typeof fsp.open;
  readonly rename: typeof fsp.rename;
  readonly lstat: typeof fsp.lstat;
}

const nodeFs: AtomicFs = {
  mkdir: fsp.mkdir,
  open: fsp.open,
  rename: fsp.rename,
  lstat: fsp.lstat,
};

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

/** Remove the folders `mkdir -p` created for `folder` (up to `created`), while they are empty. */
async function removeCreated(folder: string, created: string | undefined): Promise<void> {
  if (created === undefined) return;
  const top = path.resolve(created);
  for (let current = path.resolve(folder); ; current = path.dirname(current)) {
    if (
      !(await fsp.rmdir(current).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (current === top || path.dirname(current) === current) return;
  }
}

/** An error with a code, as the file system would raise it. */
function codedError(code: string, message: string, file: string): Error {
  return Object.assign(new Error(`${code}: ${message}, '${file}'`), { code, path: file });
}

/**
 * Write several files of one folder as a unit: every one to a temporary file
 * first (flushed), then each renamed into place. A target that is a folder
 * (or anything but a file) is refused before anything is written, so a
 * failure never leaves some files new and others old.
 */
export async function writeFilesAtomic(
  folder: string,
  files: ReadonlyArray<readonly [name: string, data: string | Uint8Array]>,
  fs: AtomicFs = nodeFs,
): Promise<void> {
  const created = await fs.mkdir(folder, { recursive: true });
  const temporaries: string[] = [];
  // If the process exits meanwhile (Ctrl-C while a batch is being written:
  // the signal handler closes the browser, then calls process.exit), the
  // temporary files go with it instead of staying in the output folder.
  const removeOnExit = (): void => {
    for (const temporary of temporaries) rmSync(temporary, { force: true });
  };
  raiseListenerLimit(1); // one listener per write in flight, so many at once is no leak
  process.once('exit', removeOnExit);
  try {
    for (const [name] of files) {
      const target = path.join(folder, name);
      const info = await fs.lstat(target).catch(() => undefined);
      if (info !== undefined && !info.isFile() && !info.isSymbolicLink())
        throw codedError(info.isDirectory() ? 'EISDIR' : 'EEXIST', 'not a file', target);
    }
    for (const [name, data] of files) {
      const temporary = temporaryName(path.join(folder, name));
      temporaries.push(temporary);
      // Created synchronously, then opened without O_CREAT: an exit can come only
      // between two turns of the event loop, so it always finds (and removes) the file,
      // and an open still under way in the thread pool can never create it again.
      closeSync(openSync(temporary, 'wx', 0o644));
      const handle = await fs.open(temporary, 'r+');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [index, [name]] of files.entries())
      await fs.rename(temporaries[index] ?? '', path.join(folder, name));
    temporaries.length = 0;
  } catch (error) {
    for (const temporary of temporaries) await fsp.rm(temporary, { force: true });
    await removeCreated(folder, created);
    throw error;
  } finally {
    process.removeListener('exit', removeOnExit);
    raiseListenerLimit(-1);
  }
}

export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  fs: AtomicFs = nodeFs,
): Promise<void> {
  await writeFilesAtomic(path.dirname(target), [[path.basename(target), data]], fs);
}
