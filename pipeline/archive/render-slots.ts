/**
 * A machine-wide limit on the browsers `memo publish` runs at once.
 *
 * Each publish is its own process with its own Chromium. Twenty publishes
 * started together (a CI matrix, a script) would start twenty browsers on
 * what may be a 2-core machine: they all crawl, and launches and prints run
 * into their timeouts. So a publish prints only while it holds one of N slot
 * locks (N = the number of CPUs, at least 2) in a folder of the system's
 * temporary directory; the others wait their turn. Slots are ordinary lock
 * files (lock.ts): one left by a killed publish is stale and is taken over.
 * `MEMO_BROWSER_SLOTS` (read by the CLI) changes N; 0 turns the limit off.
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockTimeoutError, tryAcquireLock } from './lock.js';
import type { HeldLock } from './lock.js';

export interface RenderSlotOptions {
  /** Browsers at once on this machine (default: CPUs, at least 2); 0: no limit. */
  readonly slots?: number;
  /** Where the slot locks live (default: `<tmpdir>/memo-press-render-slots-<user>`). */
  readonly folder?: string;
  /** Give up waiting after this long (default 15 min). */
  readonly timeoutMs?: number;
}

function defaultFolder(): string {
  const user = process.getuid?.() ?? userInfo().username;
  return path.join(tmpdir(), `memo-press-render-slots-${user}`);
}

async function acquireSlot(options: RenderSlotOptions, slots: number): Promise<HeldLock> {
  const folder = options.folder ?? defaultFolder();
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  // Start at a different slot in each process, so waiters don't all poll slot 0 first.
  const offset = process.pid % slots;
  let delay = 25;
  for (;;) {
    for (let index = 0; index < slots; index += 1) {
      const held = await tryAcquireLock(path.join(folder, `slot-${(offset + index) % slots}.lock`));
      if (held !== undefined) return held;
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(
        `every one of the ${slots} browser slots in ${folder} stayed busy; is something stuck printing?`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 1.5, 500);
  }
}

/** Run `task` (which starts and closes a browser) holding one of the machine's browser slots. */
export async function withRenderSlot<T>(
  options: RenderSlotOptions,
  task: () => Promise<T>,
): Promise<T> {
  const slots = Math.floor(options.slots ?? Math.max(2, availableParallelism()));
  if (slots <= 0) return task();
  const slot = await acquireSlot(options, slots);
  try {
    return await task();
  } finally {
    await slot.release();
  }
}
