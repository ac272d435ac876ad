/**
 * Read a file of the writer's project (a source, an image, a template, a
 * stylesheet, the config): only a regular file, after following symbolic
 * links, and never more than the limit, counted on the bytes actually read.
 * `stat` cannot be trusted for that: a device such as /dev/zero has size 0
 * and never ends, a file can grow while it is read, and an ordinary open of a
 * FIFO blocks until someone writes to it (so the file is opened
 * non-blocking, and a FIFO is refused before anything is read).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

export type ReadProblem = 'missing' | 'not-a-file' | 'too-large' | 'unreadable';

export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | {
      readonly ok: false;
      readonly problem: ReadProblem;
      /** Bytes known to be in the file (at least `limit + 1` when too large). */
      readonly size?: number;
    };

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
const CHUNK = 64 * 1024;

function problemOf(error: unknown): ReadResult {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const missing = code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
  return { ok: false, problem: missing ? 'missing' : 'unreadable' };
}

function kindProblem(info: Stats, limit: number): ReadResult | undefined {
  if (!info.isFile()) return { ok: false, problem: 'not-a-file' };
  if (info.size > limit) return { ok: false, problem: 'too-large', size: info.size };
  return undefined;
}

/** The size of the next read: what `stat` announced, in chunks, never past one byte over `limit`. */
function nextSize(expected: number, total: number, limit: number): number {
  return Math.min(Math.max(expected - total, CHUNK), limit + 1 - total);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** The bytes of the regular file at `file`, at most `limit` of them. */
export async function readBounded(file: string, limit: number): Promise<ReadResult> {
  try {
    // Checked on the path first, so a device or FIFO is never even opened…
    const early = kindProblem(await stat(file), limit);
    if (early !== undefined) return early;
    const handle = await open(file, FLAGS);
    try {
      // …and again on what was opened, in case the path changed meanwhile.
      const info = await handle.stat();
      const late = kindProblem(info, limit);
      if (late !== undefined) return late;
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const buffer = new Uint8Array(nextSize(info.size, total, limit));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        if (total > limit) return { ok: false, problem: 'too-large', size: total };
      }
      return { ok: true, bytes: concat(chunks, total) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return problemOf(error);
  }
}

/** `readBounded` for synchronous callers (a unified plugin's images). */
export function readBoundedSync(file: string, limit: number): ReadResult {
  try {
    const early = kindProblem(statSync(file), limit);
    if (early !== undefined) return early;
    const fd = openSync(file, FLAGS);
    try {
      const info = fstatSync(fd);
      const late = kindProblem(info, limit);
      if (late !== undefined) return late;
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const buffer = new Uint8Array(nextSize(info.size, total, limit));
        const count = readSync(fd, buffer, 0, buffer.length, null);
        if (count === 0) break;
        chunks.push(buffer.subarray(0, count));
        total += count;
        if (total > limit) return { ok: false, problem: 'too-large', size: total };
      }
      return { ok: true, bytes: concat(chunks, total) };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return problemOf(error);
  }
}
