/**
 * A lock file shared by processes: `open(path, 'wx')` creates it only when it
 * does not exist, so one process at a time holds it. It records who holds it
 * (pid, host name, start time, a random token).
 *
 * Stale locks: a holder that was killed leaves its file behind. On the same
 * host a lock whose pid no longer exists (`kill(pid, 0)` → ESRCH) is stale;
 * an unreadable lock (a holder killed between creating and writing it) is
 * stale once it is a few seconds old. A lock from another host is never
 * broken automatically: the timeout error says whose it is.
 *
 * Breaking a stale lock is itself guarded (`<lock>.break`, same `wx` rule), and
 * the lock is removed only if it still holds the very bytes judged stale, so
 * two waiters can never both remove it and end up holding it together.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { errorCode } from './layout.js';
import { kindOf } from './safe-read.js';

const ownerSchema = z.strictObject({
  pid: z.number().int().positive(),
  hostname: z.string(),
  started_at: z.string(),
  token: z.string(),
});

export type LockOwner = z.output<typeof ownerSchema>;

export interface LockOptions {
  /** Give up after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Called once, when the lock is found held by another (live) process and waiting begins. */
  readonly onWait?: (owner: LockOwner | undefined) => void;
}

export interface HeldLock {
  readonly path: string;
  /** Stale locks removed on the way (their former owners, when readable). */
  readonly removedStale: readonly (LockOwner | undefined)[];
  release(): Promise<void>;
}

/** A lock that cannot be taken: held too long, or a path that is not a lock file at all. */
export class LockError extends Error {
  override name = 'LockError';
}

export class LockTimeoutError extends LockError {
  override name = 'LockTimeoutError';
}

/** An unreadable lock younger than this may be a holder still writing it. */
const UNREADABLE_GRACE_MS = 5_000;
/** A breaker holds its guard for microseconds; one this old was killed. */
const BREAK_GUARD_STALE_MS = 10_000;

type Inspection =
  | { readonly kind: 'gone' }
  | { readonly kind: 'live'; readonly owner: LockOwner | undefined }
  | { readonly kind: 'stale'; readonly owner: LockOwner | undefined; readonly raw: Buffer };

function parseOwner(raw: Buffer): LockOwner | undefined {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH'; // EPERM: it exists, owned by someone else
  }
}

async function inspect(lockPath: string): Promise<Inspection> {
  let raw: Buffer;
  let ageMs: number;
  try {
    // A link, folder or pipe in the lock's place is nothing memo-press made:
    // never read through it, never wait for it to go away.
    const info = await lstat(lockPath);
    if (!info.isFile()) {
      throw new LockError(
        `${lockPath} is ${kindOf(info)}, not a lock file memo-press made; delete it and try again`,
      );
    }
    [raw, ageMs] = await Promise.all([
      readFile(lockPath),
      stat(lockPath).then((info) => Date.now() - info.mtimeMs),
    ]);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
  const owner = parseOwner(raw);
  if (owner === undefined)
    return ageMs > UNREADABLE_GRACE_MS ? { kind: 'stale', owner, raw } : { kind: 'live', owner };
  if (owner.hostname !== hostname() || processExists(owner.pid)) return { kind: 'live', owner };
  return { kind: 'stale', owner, raw };
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

async function removeIfUnchanged(file: string, expected: Buffer): Promise<boolean> {
  try {
    if (!(await readFile(file)).equals(expected)) return false;
    await unlink(file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Remove a stale lock under the break guard; false when someone else is at it or it changed. */
async function breakStale(lockPath: string, raw: Buffer): Promise<boolean> {
  const guard = `${lockPath}.break`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    const age = await stat(guard).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > BREAK_GUARD_STALE_MS) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    return await removeIfUnchanged(lockPath, raw);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

export function describeOwner(owner: LockOwner | undefined): string {
  return owner === undefined
    ? 'an unreadable owner'
    : `process ${owner.pid} on ${owner.hostname} (since ${owner.started_at})`;
}

interface Attempt {
  readonly held: HeldLock | undefined;
  /** The holder, when the lock is taken. */
  readonly owner: LockOwner | undefined;
}

function ownerContent(): string {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    started_at: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  return `${JSON.stringify(owner)}\n`;
}

/** Create the lock if it is free (removing a stale one on the way); else say who holds it. */
async function attempt(
  lockPath: string,
  content: string,
  removedStale: (LockOwner | undefined)[],
): Promise<Attempt> {
  for (let tries = 0; tries < 5; tries += 1) {
    if (await createExclusive(lockPath, content)) {
      const release = async () => {
        await removeIfUnchanged(lockPath, Buffer.from(content, 'utf8'));
      };
      return { held: { path: lockPath, removedStale, release }, owner: undefined };
    }
    const state = await inspect(lockPath);
    if (state.kind === 'gone') continue;
    if (state.kind === 'stale' && (await breakStale(lockPath, state.raw))) {
      removedStale.push(state.owner);
      continue;
    }
    return { held: undefined, owner: state.owner };
  }
  return { held: undefined, owner: undefined };
}

/** Take the lock if nobody (alive) holds it; undefined when someone does. */
export async function tryAcquireLock(lockPath: string): Promise<HeldLock | undefined> {
  return (await attempt(lockPath, ownerContent(), [])).held;
}

/** Take the lock at `lockPath`, waiting (with backoff) while another process holds it. */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const content = ownerContent();
  const removedStale: (LockOwner | undefined)[] = [];
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  let waiting = false;
  for (;;) {
    const { held, owner } = await attempt(lockPath, content, removedStale);
    if (held !== undefined) return held;
    if (!waiting) {
      waiting = true;
      options.onWait?.(owner);
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(
        `${lockPath} has been held by ${describeOwner(owner)} for more than ${Math.round(timeoutMs / 1000)} s; ` +
          'if no publish is running, delete that file and try again',
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 1.5, 400);
  }
}

/** Run `task` holding the lock; the lock is released even when the task fails. */
export async function withLock<T>(
  lockPath: string,
  options: LockOptions,
  task: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(lockPath, options);
  try {
    return await task(lock);
  } finally {
    await lock.release();
  }
}
