/**
 * File-system errors in plain words. Node's `ENOSPC: no space left on device,
 * open '/…/.memo.html.3f2a.tmp'` becomes "cannot write out/a/memo.html: the
 * disk is full; free some space and try again": the path the writer asked
 * for (shown relative to the working directory) and the cause, never the
 * temporary file's name or the error code alone.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';

export type FsAction = 'write' | 'read' | 'create' | 'open';

export function fsErrorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** True for the errors of a file-system call (they carry a code such as ENOENT). */
export function isFsError(error: unknown): boolean {
  return /^E[A-Z0-9]+$/.test(fsErrorCode(error) ?? '');
}

function shown(target: string, cwd: string): string {
  const relative = path.relative(cwd, target);
  return relative === '' ? '.' : relative.startsWith('..') ? target : relative;
}

/** The nearest existing one of `target` and its ancestors, when it is not a folder (a file where a folder must be). */
async function blockingFile(target: string): Promise<string | undefined> {
  let current = path.resolve(target);
  for (;;) {
    const info = await lstat(current).catch(() => undefined);
    if (info !== undefined) return info.isDirectory() ? undefined : current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * The path an error is about, as the writer named it: the target for a
 * temporary file (`.memo.html.3f2a….tmp` → `memo.html`), else `fallback`.
 */
export function errorTarget(error: unknown, fallback: string): string {
  const file =
    error instanceof Error && 'path' in error && typeof error.path === 'string'
      ? error.path
      : undefined;
  if (file === undefined) return fallback;
  const temporary = /^\.(.+)\.[0-9a-f]{12}\.tmp$/.exec(path.basename(file));
  return temporary?.[1] === undefined ? file : path.join(path.dirname(file), temporary[1]);
}

/** The cause of a file-system error in plain words, without the path (`the disk is full; …`). */
export function describeCause(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (no space left on the device); free some space and try again';
    case 'EDQUOT':
      return 'your disk quota is used up; free some space and try again';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; check who owns the folder, or choose another one';
    case 'EROFS':
      return 'the disk is read-only; choose a folder on a writable disk';
    case 'EISDIR':
      return 'it is a folder, where a file must be written; remove or rename that folder';
    case 'ENOTDIR':
      return 'part of the path is a file, where a folder must be';
    case 'EEXIST':
      return 'something of that name is already there';
    case 'ENOENT':
      return 'the folder does not exist (was it removed meanwhile?)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open at once; lower --concurrency, or raise the limit (`ulimit -n`)';
    case 'ELOOP':
      return 'it is a symbolic link, which is not followed here, or links go in a circle';
    case 'ENAMETOOLONG':
      return 'the path is too long; choose a shorter folder';
    case 'EIO':
      return 'the disk reported an input/output error; check the disk or network share';
    case 'EBUSY':
      return 'the file is in use by another program; close it and try again';
    case 'EFBIG':
      return 'the file is too large for this disk';
    default:
      return `the system refused it (${code ?? 'unknown error'})`;
  }
}

/**
 * `cannot write out/a/memo.html: out is a file, not a folder; …`: what could
 * not be done to `target`, and why. Finds the file that stands where a folder
 * must be (ENOTDIR, EEXIST, ENOENT), so the message names it.
 */
export async function describeFsError(
  error: unknown,
  action: FsAction,
  target: string,
  cwd: string,
): Promise<string> {
  const code = fsErrorCode(error);
  const head = `cannot ${action} ${shown(target, cwd)}`;
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOENT') {
    const blocker = await blockingFile(target);
    if (blocker !== undefined) {
      return `${head}: ${shown(blocker, cwd)} is a file, not a folder; move it away, or choose another folder`;
    }
  }
  if (code === 'EISDIR') {
    return `${head}: it is a folder, where a file must be written; remove or rename that folder`;
  }
  return `${head}: ${describeCause(code)}`;
}

/** The same without looking at the disk, for errors whose path is all that is known. */
export function describeFsErrorNow(error: unknown, cwd: string): string {
  const where =
    error instanceof Error && 'path' in error && typeof error.path === 'string'
      ? ` ${shown(error.path, cwd)}`
      : '';
  return `cannot use${where}: ${describeCause(fsErrorCode(error))}`;
}
